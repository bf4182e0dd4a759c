package org.vigil.collectors.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.model.Envelope;

/**
 * The real rsyslog daemon as an RFC 5425 sender: its GnuTLS driver is what operators point at the
 * collector, so its handshake and octet-counted framing must work, not just the JDK's.
 */
class RsyslogTlsSenderTest {
  private static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");
  private static final Path GTLS_DRIVER =
      Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so");
  private static final Duration DELIVERY = Duration.ofSeconds(20);
  private static final List<String> LINES = List.of("first line from rsyslog", "second line");

  @TempDir Path dir;

  private TlsTestPki pki;
  @RegisterExtension final SyslogCollectorFixture collector = new SyslogCollectorFixture();

  private Process rsyslogd;

  @BeforeEach
  void createPki() {
    assumeTrue(TlsTestPki.opensslAvailable(), "the openssl command is not installed");
    assumeTrue(Files.isExecutable(RSYSLOGD), "rsyslogd is not installed (see .ci/setup)");
    assumeTrue(Files.exists(GTLS_DRIVER), "rsyslog-gnutls is not installed (see .ci/setup)");
    pki = new TlsTestPki(dir);
    pki.createCa("ca");
    pki.issue("server", "ca", 4097, true);
    pki.issue("client", "ca", 5, false);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (rsyslogd != null) {
      rsyslogd.destroy();
      if (!rsyslogd.waitFor(10, TimeUnit.SECONDS)) {
        rsyslogd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void deliversWhatRsyslogSendsWhenClientCertificatesAreNotRequired() throws Exception {
    start(SyslogTlsConfig.of(pki.crt("server"), pki.key("server")).withPort(0));
    startRsyslog(true);

    assertDelivered();
  }

  @Test
  void deliversWhatRsyslogSendsWithACaSignedClientCertificate() throws Exception {
    start(
        SyslogTlsConfig.of(pki.crt("server"), pki.key("server"))
            .withPort(0)
            .withClientCa(pki.crt("ca"), true));
    startRsyslog(true);

    assertDelivered();
    assertThat(collector.server().metrics().tlsHandshakeFailures()).isZero();
  }

  @Test
  void refusesRsyslogWithoutAClientCertificateWhenOneIsRequired() throws Exception {
    start(
        SyslogTlsConfig.of(pki.crt("server"), pki.key("server"))
            .withPort(0)
            .withClientCa(pki.crt("ca"), true));
    startRsyslog(false);

    await()
        .atMost(DELIVERY)
        .untilAsserted(
            () ->
                assertThat(collector.server().metrics().tlsHandshakeFailures())
                    .as("handshake failures; rsyslogd said: %s", rsyslogOutput())
                    .isPositive());
    // rsyslog keeps retrying; give a wrongly accepted retry time to show up.
    Thread.sleep(3_000);
    assertThat(collector.producer().history()).isEmpty();
    assertThat(rsyslogd.isAlive()).as("rsyslogd still running").isTrue();
  }

  private void assertDelivered() {
    await()
        .atMost(DELIVERY)
        .until(() -> collector.producer().history().size() >= LINES.size() || !rsyslogd.isAlive());
    assertThat(rsyslogd.isAlive()).as("rsyslogd exited: %s", rsyslogOutput()).isTrue();
    List<ProducerRecord<byte[], byte[]>> records = collector.producer().history();
    assertThat(records).hasSize(LINES.size());
    for (int i = 0; i < LINES.size(); i++) {
      ProducerRecord<byte[], byte[]> record = records.get(i);
      assertThat(text(record.value())).startsWith("<").endsWith("vigil-test: " + LINES.get(i));
      assertThat(text(record.headers().lastHeader(Envelope.HEADER_TRANSPORT).value()))
          .isEqualTo("tls");
    }
  }

  private void start(SyslogTlsConfig tls) {
    collector.start(
        SyslogServerConfig.defaults("collector-rsyslog")
            .withBindHost("127.0.0.1")
            .withPort(0)
            .withTls(tls),
        true);
  }

  /**
   * A private rsyslogd reading a file written before it starts, so the lines are there on its first
   * read and no input port has to be raced for.
   *
   * <p>Without a client certificate it still checks the collector's name, as an operator who forgot
   * the certificate would have it; in {@code anon} mode this rsyslog (8.2302) never produced a
   * failed handshake at the collector within 20 s.
   */
  private void startRsyslog(boolean withClientCertificate) throws IOException {
    Path input = dir.resolve("input.log");
    Files.write(input, LINES, UTF_8);
    Path work = Files.createDirectories(dir.resolve("rsyslog-work"));
    String global =
        "global(workDirectory=\""
            + work
            + "\"\n  defaultNetstreamDriverCAFile=\""
            + pki.crt("ca")
            + "\"";
    if (withClientCertificate) {
      global +=
          "\n  defaultNetstreamDriverCertFile=\""
              + pki.crt("client")
              + "\"\n  defaultNetstreamDriverKeyFile=\""
              + pki.key("client")
              + "\"";
    }
    String config =
        global
            + ")\n"
            + "module(load=\"imfile\")\n"
            + "input(type=\"imfile\" file=\""
            + input
            + "\" tag=\"vigil-test:\")\n"
            + "action(type=\"omfwd\" target=\"127.0.0.1\" port=\""
            + collector.server().tlsPort()
            + "\" protocol=\"tcp\" TCP_Framing=\"octet-counted\"\n"
            + "  StreamDriver=\"gtls\" StreamDriverMode=\"1\" StreamDriverAuthMode=\""
            + "x509/name\" StreamDriverPermittedPeers=\"localhost\")\n";
    Path conf = dir.resolve("rsyslog.conf");
    Files.writeString(conf, config);
    rsyslogd =
        new ProcessBuilder(
                RSYSLOGD.toString(),
                "-n",
                "-f",
                conf.toString(),
                "-i",
                dir.resolve("rsyslog.pid").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("rsyslogd.out").toFile())
            .start();
  }

  private String rsyslogOutput() {
    try {
      return Files.readString(dir.resolve("rsyslogd.out"));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, UTF_8);
  }
}
