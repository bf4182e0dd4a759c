package org.vigil.app;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.vigil.app.bench.BeatsBenchCommand;
import org.vigil.app.bench.CorrelationBenchCommand;
import org.vigil.app.bench.DashboardBenchCommand;
import org.vigil.app.bench.NetflowBenchCommand;
import org.vigil.app.bench.SyslogBenchCommand;
import org.vigil.bench.SyslogBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil bench}: with no subcommand, the end-to-end syslog benchmark against a running
 * pipeline; {@code vigil bench syslog} starts its own systems and measures them with loggen.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      SyslogBenchCommand.class,
      NetflowBenchCommand.class,
      BeatsBenchCommand.class,
      CorrelationBenchCommand.class,
      DashboardBenchCommand.class
    },
    description = {
      "Measure a running Vigil end to end with sshd syslog traffic (Java sender).",
      "Sends benign logins with brute-force bursts and reports events indexed per",
      "second and alert latency (last evidence sent to alert searchable in",
      "Elasticsearch). Start the pipeline first (vigil up).",
      "'vigil bench syslog' instead starts everything itself and measures the",
      "collector and the whole system with syslog-ng's loggen, optionally against",
      "rsyslog.",
      "'vigil bench netflow' replays recorded v9/IPFIX captures at its own collector",
      "and whole system and runs the decoder's JMH benchmark.",
      "'vigil bench correlation' measures the rule stage with 50 rules and 100,000",
      "group keys, and alert latency in the whole system.",
      "'vigil bench dashboard' times the alert queue and event search with a million",
      "events and ten thousand alerts indexed."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SyslogTargetOptions sending;

  @Option(
      names = "--es",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:9200",
      description = "Elasticsearch (default: ${DEFAULT-VALUE}).")
  URI elasticsearch;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Lines to send (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "120",
      description = "How long to wait for indexing after sending (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    SyslogBench.Options options;
    try {
      options =
          new SyslogBench.Options(
              sending.target,
              elasticsearch,
              count,
              sending.rate,
              sending.tcp,
              Duration.ofSeconds(timeoutSeconds));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    SyslogBench.Result result = new SyslogBench(options).run(System.out);
    System.out.print(result.report());
    System.out.flush();
    return Vigil.EXIT_OK;
  }
}
