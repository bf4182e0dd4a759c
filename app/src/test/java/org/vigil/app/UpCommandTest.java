package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code vigil up} says when it cannot start; nothing is started in these cases. */
class UpCommandTest {
  @TempDir Path dataDir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Vigil.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void aTakenDashboardPortIsOneLineNamingThePortAndTheOption() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("0.0.0.0", 0));
      int port = taken.getLocalPort();

      int exit =
          run(
              "up",
              "--data-dir",
              dataDir.toString(),
              // Checked before the dashboard port: keep a running Vigil out of the way.
              "--syslog-port",
              "0",
              "--netflow-port",
              "0",
              "--ipfix-port",
              "0",
              "--dashboard-port",
              Integer.toString(port));

      assertThat(exit).isEqualTo(Vigil.EXIT_ERROR);
      assertThat(err.toString().strip())
          .doesNotContain("\n")
          .contains("dashboard port " + port)
          .contains("already in use")
          .contains("--dashboard-port");
    }
  }

  @Test
  void aTakenSyslogUdpPortIsReportedToo() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("0.0.0.0", 0))) {
      int port = taken.getLocalPort();

      int exit =
          run("up", "--data-dir", dataDir.toString(), "--syslog-port", Integer.toString(port));

      assertThat(exit).isEqualTo(Vigil.EXIT_ERROR);
      assertThat(err.toString().strip())
          .doesNotContain("\n")
          .contains("syslog port " + port + " (UDP)")
          .contains("--syslog-port");
    }
  }

  @Test
  void aTakenNetflowPortIsOneLineNamingTheOption() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("0.0.0.0", 0))) {
      int port = taken.getLocalPort();

      int exit =
          run(
              "up",
              "--data-dir",
              dataDir.toString(),
              "--syslog-port",
              "0",
              "--netflow-port",
              Integer.toString(port));

      assertThat(exit).isEqualTo(Vigil.EXIT_ERROR);
      assertThat(err.toString().strip())
          .doesNotContain("\n")
          .contains("NetFlow port " + port + " (UDP)")
          .contains("--netflow-port");
    }
  }

  @Test
  void aTakenIpfixTcpPortIsOneLineNamingTheOption() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("0.0.0.0", 0));
      int port = taken.getLocalPort();

      int exit =
          run(
              "up",
              "--data-dir",
              dataDir.toString(),
              "--syslog-port",
              "0",
              "--netflow-port",
              "0",
              "--ipfix-port",
              "0",
              "--ipfix-tcp-port",
              Integer.toString(port));

      assertThat(exit).isEqualTo(Vigil.EXIT_ERROR);
      assertThat(err.toString().strip())
          .doesNotContain("\n")
          .contains("IPFIX TCP port " + port + " (TCP)")
          .contains("--ipfix-tcp-port");
    }
  }

  @Test
  void aNegativeIpfixTcpPortIsAnErrorNamingTheOption() {
    int exit = run("up", "--data-dir", dataDir.toString(), "--ipfix-tcp-port", "-1");

    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("--ipfix-tcp-port").contains("-1");
  }

  @Test
  void ipfixOverTcpIsOffUnlessAPortIsGiven() {
    StackOptions off = new StackOptions();
    new CommandLine(off).parseArgs();
    StackOptions zero = new StackOptions();
    new CommandLine(zero).parseArgs("--ipfix-tcp-port", "0");
    StackOptions on = new StackOptions();
    new CommandLine(on).parseArgs("--ipfix-tcp-port", "4739");

    assertThat(off.toSettings().ipfixTcpPort()).isEqualTo(-1);
    assertThat(zero.toSettings().ipfixTcpPort()).isEqualTo(-1);
    assertThat(on.toSettings().ipfixTcpPort()).isEqualTo(4739);
  }

  @Test
  void theUdpReceiveBufferIsSixtyFourMegabytesUnlessGivenWithAUnit() {
    StackOptions plain = new StackOptions();
    new CommandLine(plain).parseArgs();
    StackOptions large = new StackOptions();
    new CommandLine(large).parseArgs("--udp-receive-buffer", "128m");

    assertThat(plain.toSettings().udpReceiveBufferBytes()).isEqualTo(64 << 20);
    assertThat(large.toSettings().udpReceiveBufferBytes()).isEqualTo(128 << 20);
    assertThatThrownBy(
            () -> new CommandLine(new StackOptions()).parseArgs("--udp-receive-buffer", "lots"))
        .hasMessageContaining("--udp-receive-buffer")
        .hasMessageContaining("e.g. 8m");
  }

  @Test
  void theOutOfOrdernessBoundsAreFiveSecondsAndTwoMinutesUnlessGiven() {
    StackOptions plain = new StackOptions();
    new CommandLine(plain).parseArgs();
    StackOptions wide = new StackOptions();
    new CommandLine(wide).parseArgs("--out-of-orderness", "300", "--flow-out-of-orderness", "600");
    StackOptions negative = new StackOptions();
    new CommandLine(negative).parseArgs("--out-of-orderness", "-1");

    assertThat(plain.toSettings().outOfOrderness()).isEqualTo(Duration.ofSeconds(5));
    assertThat(plain.toSettings().flowOutOfOrderness()).isEqualTo(Duration.ofMinutes(2));
    assertThat(wide.toSettings().outOfOrderness()).isEqualTo(Duration.ofMinutes(5));
    assertThat(wide.toSettings().flowOutOfOrderness()).isEqualTo(Duration.ofMinutes(10));
    assertThatThrownBy(negative::toSettings).hasMessageContaining("--out-of-orderness");
  }

  @Test
  void beatsListensOn5044ByDefaultAndTlsNeedsBothFiles() {
    StackOptions plain = new StackOptions();
    new CommandLine(plain).parseArgs("--agencies", "agencies.txt");
    StackOptions halfTls = new StackOptions();
    new CommandLine(halfTls).parseArgs("--beats-tls-key", "beats.key");
    StackOptions off = new StackOptions();
    new CommandLine(off).parseArgs("--beats-port", "-1");

    assertThat(plain.toSettings().beatsPort()).isEqualTo(5044);
    assertThat(plain.toSettings().beatsTls()).isNull();
    assertThat(plain.toSettings().agencies()).isAbsolute().endsWithRaw(Path.of("agencies.txt"));
    assertThat(off.toSettings().beatsPort()).isEqualTo(-1);
    assertThatThrownBy(halfTls::toSettings)
        .hasMessageContaining("--beats-tls-cert")
        .hasMessageContaining("--beats-tls-key");
  }

  @Test
  void assetsAndRepeatedIntelPathsReachTheSettingsAsAbsolutePaths() {
    StackOptions options = new StackOptions();
    new CommandLine(options)
        .parseArgs("--assets", "assets.csv", "--intel", "feeds", "--intel", "cert.json");
    StackOptions none = new StackOptions();
    new CommandLine(none).parseArgs();

    AllInOne.Settings settings = options.toSettings();
    assertThat(settings.assets()).isAbsolute().endsWithRaw(Path.of("assets.csv"));
    assertThat(settings.intel()).hasSize(2).allSatisfy(p -> assertThat(p).isAbsolute());
    assertThat(settings.intel().get(1)).endsWithRaw(Path.of("cert.json"));
    assertThat(none.toSettings().assets()).isNull();
    assertThat(none.toSettings().intel()).isEmpty();
  }

  @Test
  void aPortOutOfRangeIsAnError() {
    int exit = run("up", "--data-dir", dataDir.toString(), "--kafka-port", "70000");

    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("70000");
  }

  @Test
  void dashboardHttpsNeedsTheCertificateAndItsKey() {
    StackOptions half = new StackOptions();
    new CommandLine(half).parseArgs("--dashboard-tls-cert", "cert.pem");
    StackOptions both = new StackOptions();
    new CommandLine(both)
        .parseArgs("--dashboard-tls-cert", "cert.pem", "--dashboard-tls-key", "key.pem");

    assertThatThrownBy(half::toSettings)
        .hasMessageContaining("--dashboard-tls-cert")
        .hasMessageContaining("--dashboard-tls-key");
    assertThat(both.toSettings().dashboardTlsCert()).isAbsolute().endsWithRaw(Path.of("cert.pem"));
    assertThat(both.toSettings().dashboardTlsKey()).isAbsolute().endsWithRaw(Path.of("key.pem"));
    assertThat(new StackOptions().toSettings().dashboardTlsCert()).isNull();
  }
}
