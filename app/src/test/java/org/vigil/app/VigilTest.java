package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VigilTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path dir;

  private int run(String... args) {
    CommandLine cl = Vigil.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void helpListsTheCommandsAndExitsZero() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("replay", "bench", "up", "demo", "--version");
  }

  @Test
  void everyCommandsHelpRendersWithoutAFormatWarning() {
    // picocli formats descriptions with String.format: a lone '%' prints a warning on stderr and
    // the raw text in place of the help.
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    List<String> commands = new ArrayList<>();
    try {
      System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
      collectUsage(Vigil.commandLine(), commands);
    } finally {
      System.setErr(stderr);
    }
    assertThat(commands).contains("vigil bench correlation", "vigil report generate");
    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
  }

  @Test
  void everyCommandsDescriptionAndFooterAreWrappedToTheHelpsWidth() {
    // The texts are wrapped by hand; picocli would break a line that passes its width again,
    // leaving a one- or two-word fragment on a line of its own.
    CommandLine vigil = Vigil.commandLine();
    List<String> tooLong = new ArrayList<>();
    collectLinesWiderThan(vigil, vigil.getUsageHelpWidth(), tooLong);
    assertThat(tooLong).isEmpty();
  }

  private static void collectLinesWiderThan(CommandLine cl, int width, List<String> found) {
    CommandLine.Model.UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
    for (String[] lines : List.of(usage.description(), usage.footer())) {
      for (String line : lines) {
        String shown = String.format(line);
        if (shown.length() > width) {
          found.add(cl.getCommandSpec().qualifiedName() + ": " + shown);
        }
      }
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      collectLinesWiderThan(sub, width, found);
    }
  }

  private static void collectUsage(CommandLine cl, List<String> names) {
    cl.getUsageMessage();
    names.add(cl.getCommandSpec().qualifiedName());
    for (CommandLine sub : cl.getSubcommands().values()) {
      collectUsage(sub, names);
    }
  }

  @Test
  void replayHelpExplainsTheRewriteRule() {
    assertThat(run("replay", "--help")).isZero();
    assertThat(out.toString()).contains("<38>", "RFC 3164", "--octet-counting", "--rate");
  }

  @Test
  void versionExitsZero() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("vigil ");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertThat(run("replay", "--no-such-option", "x.log")).isEqualTo(2);
    assertThat(err.toString()).contains("--no-such-option").contains("vigil replay --help");
  }

  @Test
  void noCommandIsAUsageError() {
    assertThat(run()).isEqualTo(2);
  }

  @Test
  void aMalformedTargetIsAUsageError() {
    assertThat(run("replay", "x.log", "--to", "localhost")).isEqualTo(2);
    assertThat(err.toString()).contains("HOST:PORT");
  }

  @Test
  void anUnknownHostIsOneLineOnStderrWithoutStackTrace() throws IOException {
    Path file = Files.writeString(dir.resolve("a.log"), "hello\n");
    assertThat(run("replay", file.toString(), "--to", "no-such-host.invalid:5514")).isEqualTo(1);
    assertThat(err.toString().strip())
        .isEqualTo("vigil: unknown host 'no-such-host.invalid'")
        .doesNotContain("at org.");
  }

  @Test
  void verbosePrintsTheStackTrace() throws IOException {
    Path file = Files.writeString(dir.resolve("a.log"), "hello\n");
    assertThat(run("replay", file.toString(), "--to", "no-such-host.invalid:5514", "--verbose"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("at org.vigil.bench.HostPort.resolve");
  }

  @Test
  void aMissingFileIsARuntimeError() {
    assertThat(run("replay", dir.resolve("missing.log").toString(), "--to", "127.0.0.1:5514"))
        .isEqualTo(1);
    assertThat(err.toString()).startsWith("vigil: cannot read file");
  }

  @Test
  void replaysAFileToAUdpSocket() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("auth.log"),
            "Nov 25 06:12:01 web01 sshd[2211]: Failed password for root from 203.0.113.77 port"
                + " 51422 ssh2\nNov 25 06:12:04 web01 sshd[2213]: Failed password for root from"
                + " 203.0.113.77 port 51423 ssh2\n");
    try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      receiver.setSoTimeout(5_000);
      int code = run("replay", file.toString(), "--to", "127.0.0.1:" + receiver.getLocalPort());
      assertThat(code).as(err.toString()).isZero();
      assertThat(out.toString()).startsWith("sent 2 lines to udp 127.0.0.1:");
      List<String> received = new ArrayList<>();
      byte[] buf = new byte[8192];
      for (int i = 0; i < 2; i++) {
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        receiver.receive(packet);
        received.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
      }
      assertThat(received)
          .allSatisfy(
              m ->
                  assertThat(m)
                      .matches("<38>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d web01 sshd\\[.*")
                      .doesNotContain("Nov 25 06:12"));
    }
  }

  @Test
  void aNegativeRateIsAUsageError() {
    assertThat(run("replay", "x.log", "--rate", "-5")).isEqualTo(2);
  }
}
