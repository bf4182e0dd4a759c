package org.vigil.app;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.vigil.bench.HostPort;
import org.vigil.bench.SyslogLineRewriter;
import org.vigil.bench.SyslogSender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil demo}: {@code vigil up}, then the bundled attack sample replayed through the real
 * syslog port, so the dashboard shows alerts within seconds.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start the whole system as 'vigil up' does, then replay a bundled attack sample",
      "(SSH brute force, a password spray, a login after failures, among normal",
      "traffic) through the syslog port. Ctrl-C stops everything."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StackOptions options;

  @Option(
      names = "--rate",
      paramLabel = "N",
      defaultValue = "50",
      description = "Sample lines per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (UpCommand.Running running = UpCommand.Running.start(options.toSettings(), out)) {
      HostPort target = new HostPort("127.0.0.1", running.system().syslogPort());
      try (BufferedReader sample = DemoSample.open();
          SyslogSender sender = SyslogSender.tcp(target, SyslogSender.Framing.NEWLINE, rate)) {
        out.println("demo: replaying the attack sample to " + target + " over TCP...");
        out.flush();
        SyslogSender.SendSummary summary =
            sender.sendLines(sample, SyslogLineRewriter.stampingNow(false));
        out.println(
            "demo: sent "
                + summary.sent()
                + " lines; alerts appear at http://localhost:"
                + running.system().dashboardPort()
                + "/ within seconds");
        out.flush();
      }
      running.awaitShutdown();
    }
    return Vigil.EXIT_OK;
  }
}
