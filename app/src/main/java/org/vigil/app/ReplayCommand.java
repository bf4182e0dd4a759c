package org.vigil.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vigil.bench.SyslogLineRewriter;
import org.vigil.bench.SyslogSender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil replay}: sends a log file to a collector as syslog, one message per line. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Send each line of a log file to a syslog collector.",
    footerHeading = "%nHow lines are rewritten:%n",
    footer = {
      "  A line that starts with a priority (<0> to <191>) is sent exactly as it is.",
      "  Any other line gets priority <38> (auth.info) and the current time:",
      "    - a leading RFC 3164 timestamp (Nov 25 06:12:01) or RFC 3339 timestamp",
      "      (2024-11-25T06:12:01Z) is replaced by the current time in this machine's",
      "      zone; the host name after it is kept;",
      "    - a line without a timestamp gets the current time and this machine's host",
      "      name in front.",
      "  --keep-time leaves timestamps in the lines untouched. Blank lines are",
      "  skipped.",
      "",
      "Example:",
      "  vigil replay auth.log --to 127.0.0.1:5514 --rate 50"
    })
final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SyslogTargetOptions sending;

  @Parameters(index = "0", paramLabel = "FILE", description = "The log file, one message per line.")
  Path file;

  @Option(
      names = "--octet-counting",
      description = "Over TCP, frame each message with its length (RFC 6587 3.4.1); implies --tcp.")
  boolean octetCounting;

  @Option(names = "--keep-time", description = "Keep the timestamps found in the lines.")
  boolean keepTime;

  @Override
  public Integer call() throws Exception {
    if (sending.rate < 0 || Double.isNaN(sending.rate) || Double.isInfinite(sending.rate)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--rate must be 0 (as fast as possible) or a positive number");
    }
    SyslogLineRewriter rewriter = SyslogLineRewriter.stampingNow(keepTime);
    try (SyslogSender sender =
        sending.tcp || octetCounting
            ? SyslogSender.tcp(
                sending.target,
                octetCounting ? SyslogSender.Framing.OCTET_COUNTING : SyslogSender.Framing.NEWLINE,
                sending.rate)
            : SyslogSender.udp(sending.target, sending.rate)) {
      SyslogSender.SendSummary summary = sender.sendFile(file, rewriter);
      spec.commandLine().getOut().println(summary);
      spec.commandLine().getOut().flush();
    }
    return Vigil.EXIT_OK;
  }
}
