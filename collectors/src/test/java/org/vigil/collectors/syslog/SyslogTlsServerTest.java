package org.vigil.collectors.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.model.Envelope;
import org.vigil.model.Transport;

class SyslogTlsServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long SERVER_SERIAL = 4097;
  private static ResourceLeakDetector.Level previousLevel;

  @TempDir Path dir;

  private TlsTestPki pki;
  @RegisterExtension final SyslogCollectorFixture collector = new SyslogCollectorFixture();

  @BeforeAll
  static void paranoidLeakDetection() {
    previousLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterAll
  static void restoreLeakDetection() {
    ResourceLeakDetector.setLevel(previousLevel);
  }

  @BeforeEach
  void createPki() {
    assumeTrue(TlsTestPki.opensslAvailable(), "the openssl command is not installed");
    pki = new TlsTestPki(dir);
    pki.createCa("ca");
    pki.issue("server", "ca", SERVER_SERIAL, true);
  }

  private SyslogTlsConfig tlsConfig() {
    return SyslogTlsConfig.of(pki.crt("server"), pki.key("server")).withPort(0);
  }

  private SyslogServerConfig config(SyslogTlsConfig tls) {
    return SyslogServerConfig.defaults("collector-tls")
        .withBindHost("127.0.0.1")
        .withPort(0)
        .withTls(tls);
  }

  private SyslogServer start(SyslogTlsConfig tls) {
    return collector.start(config(tls), true);
  }

  @Test
  void publishesOctetCountedFramesSentOverTlsAsTlsTransport() throws Exception {
    start(tlsConfig());
    int clientPort;
    try (SSLSocket socket = connect(pki.clientContext("ca", null))) {
      clientPort = socket.getLocalPort();
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
      write(
          socket, counted("<13>1 - host app - - - one") + counted("<13>1 - host app - - - two\n"));
      awaitRecords(2);
    }

    List<ProducerRecord<byte[], byte[]>> records = collector.producer().history();
    assertThat(records)
        .extracting(r -> text(r.value()))
        .containsExactly("<13>1 - host app - - - one", "<13>1 - host app - - - two\n");
    assertThat(records)
        .allSatisfy(
            r -> {
              assertThat(text(r.headers().lastHeader(Envelope.HEADER_TRANSPORT).value()))
                  .isEqualTo("tls");
              assertThat(envelope(r).transport()).isEqualTo(Transport.TLS);
              assertThat(envelope(r).peerAddress()).isEqualTo("127.0.0.1");
              assertThat(envelope(r).peerPort()).isEqualTo(clientPort);
              assertThat(envelope(r).collectorId()).isEqualTo("collector-tls");
            });
    assertThat(collector.server().metrics().receivedTcp()).isEqualTo(2);
    assertThat(collector.server().metrics().tlsHandshakeFailures()).isZero();
  }

  @Test
  void keepsPlainTcpAndUdpOnTheirOwnPort() throws Exception {
    start(tlsConfig());
    assertThat(collector.server().tlsPort()).isNotEqualTo(collector.server().port());
    try (Socket plain = new Socket("127.0.0.1", collector.server().port())) {
      write(plain, "<13>plain\n");
      awaitRecords(1);
    }
    assertThat(envelope(collector.producer().history().get(0)).transport())
        .isEqualTo(Transport.TCP);
  }

  @Test
  void acceptsTls12() throws Exception {
    start(tlsConfig());
    try (SSLSocket socket = connect(pki.clientContext("ca", null), "TLSv1.2")) {
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
      write(socket, "<13>over tls 1.2\n");
      awaitRecords(1);
    }
  }

  @Test
  void refusesTls11() throws Exception {
    start(tlsConfig());
    // SECLEVEL=0 lets OpenSSL 3 offer TLS 1.1 at all, so the refusal is the collector's.
    Process client =
        new ProcessBuilder(
                TlsTestPki.OPENSSL.toString(),
                "s_client",
                "-connect",
                "127.0.0.1:" + collector.server().tlsPort(),
                "-tls1_1",
                "-cipher",
                "DEFAULT@SECLEVEL=0",
                "-CAfile",
                pki.crt("ca").toString())
            .redirectErrorStream(true)
            .start();
    client.getOutputStream().close();
    assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String output = new String(client.getInputStream().readAllBytes(), UTF_8);

    assertThat(client.exitValue()).as(output).isNotZero();
    assertThat(output).containsIgnoringCase("protocol version");
    await().atMost(WAIT).until(() -> collector.server().metrics().tlsHandshakeFailures() == 1);
    assertThat(collector.producer().history()).isEmpty();
  }

  @Test
  void stopsReadingTlsWhileKafkaIsCongestedAndResumesWhenDrained() throws Exception {
    collector.start(config(tlsConfig()), false, 2_000, 500);
    try (SSLSocket socket = connect(pki.clientContext("ca", null))) {
      CongestionScenario.assertPausesWhileCongestedAndDeliversAll(
          socket,
          collector.server(),
          collector.producer(),
          collector.publisher(),
          SyslogTlsServerTest::frame);
    }
  }

  @Test
  void closesAnIdleTlsConnection() throws Exception {
    // Long enough for the handshake on a loaded machine: the timeout also ends slow handshakes.
    collector.start(config(tlsConfig()).withTcpIdleTimeout(Duration.ofSeconds(2)), true);
    try (SSLSocket socket = connect(pki.clientContext("ca", null))) {
      socket.setSoTimeout(30_000);
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void doesNotCountAPortProbeAsAFailedHandshake() throws Exception {
    start(tlsConfig());
    try (Socket probe = new Socket("127.0.0.1", collector.server().tlsPort())) {
      probe.setSoLinger(true, 0);
    }
    try (Socket probe = new Socket("127.0.0.1", collector.server().tlsPort())) {
      probe.shutdownOutput();
    }
    try (SSLSocket socket = connect(pki.clientContext("ca", null))) {
      write(socket, "<13>after the probes\n");
      awaitRecords(1);
    }
    assertThat(collector.server().metrics().tlsHandshakeFailures()).isZero();
  }

  @Test
  void refusesASenderWithoutAClientCertificateWhenOneIsRequired() throws Exception {
    pki.createCa("rogue-ca");
    pki.issue("rogue", "rogue-ca", 7, false);
    start(tlsConfig().withClientCa(pki.crt("ca"), true));

    assertRefused(pki.clientContext("ca", null));
    assertRefused(pki.clientContext("ca", "rogue"));

    await().atMost(WAIT).until(() -> collector.server().metrics().tlsHandshakeFailures() == 2);
    assertThat(collector.producer().history()).isEmpty();
  }

  @Test
  void letsInASenderWithAClientCertificateSignedByTheCa() throws Exception {
    pki.issue("client", "ca", 5, false);
    start(tlsConfig().withClientCa(pki.crt("ca"), true));

    try (SSLSocket socket = connect(pki.clientContext("ca", "client"))) {
      write(socket, "<13>with a client certificate\n");
      awaitRecords(1);
    }
    assertThat(envelope(collector.producer().history().get(0)).transport())
        .isEqualTo(Transport.TLS);
    assertThat(collector.server().metrics().tlsHandshakeFailures()).isZero();
  }

  @Test
  void letsInASenderWithoutACertificateWhenClientCertificatesAreOptional() throws Exception {
    start(tlsConfig().withClientCa(pki.crt("ca"), false));
    try (SSLSocket socket = connect(pki.clientContext("ca", null))) {
      write(socket, "<13>no client certificate\n");
      awaitRecords(1);
    }
  }

  @Test
  void newConnectionsGetTheNewCertificateAfterAReloadWhileOpenOnesContinue() throws Exception {
    start(tlsConfig());
    SSLContext client = pki.clientContext("ca", null);
    try (SSLSocket before = connect(client)) {
      assertThat(serialSeenBy(before)).isEqualTo(BigInteger.valueOf(SERVER_SERIAL));

      pki.issue("renewed", "ca", 8193, true);
      replaceServerFilesWith("renewed");
      collector.server().reloadCertificates();

      try (SSLSocket after = connect(client)) {
        assertThat(serialSeenBy(after)).isEqualTo(BigInteger.valueOf(8193));
        write(after, "<13>after reload\n");
        awaitRecords(1);
      }
      write(before, "<13>still open\n");
      awaitRecords(2);
    }
    assertThat(collector.producer().history())
        .extracting(r -> text(r.value()))
        .containsExactly("<13>after reload", "<13>still open");
  }

  @Test
  void picksUpChangedCertificateFilesByItself() throws Exception {
    start(tlsConfig().withReloadInterval(Duration.ofMillis(100)));
    SSLContext client = pki.clientContext("ca", null);
    pki.issue("renewed", "ca", 12289, true);
    replaceServerFilesWith("renewed");

    await()
        .atMost(WAIT)
        .until(
            () -> {
              try (SSLSocket socket = connect(client)) {
                return serialSeenBy(socket).equals(BigInteger.valueOf(12289));
              }
            });
  }

  @Test
  void keepsTheOldCertificateWhenTheNewOneIsCorrupt() throws Exception {
    start(tlsConfig());
    Files.writeString(pki.crt("server"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n");

    assertThatThrownBy(collector.server()::reloadCertificates)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("syslog TLS certificate " + pki.crt("server"))
        .hasMessageNotContaining("\n");

    try (SSLSocket socket = connect(pki.clientContext("ca", null))) {
      assertThat(serialSeenBy(socket)).isEqualTo(BigInteger.valueOf(SERVER_SERIAL));
      write(socket, "<13>old certificate still works\n");
      awaitRecords(1);
    }
  }

  @Test
  void keepsTheOldCertificateWhenTheNewKeyDoesNotMatch() throws Exception {
    start(tlsConfig());
    pki.issue("other", "ca", 9, true);
    Files.copy(pki.key("other"), pki.key("server"), StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(collector.server()::reloadCertificates)
        .hasMessage(
            "syslog TLS private key "
                + pki.key("server")
                + " does not match the certificate "
                + pki.crt("server")
                + " (CN=localhost): set --syslog-tls-key to that certificate's key");
    try (SSLSocket socket = connect(pki.clientContext("ca", null))) {
      assertThat(serialSeenBy(socket)).isEqualTo(BigInteger.valueOf(SERVER_SERIAL));
    }
  }

  @Test
  void namesAMissingKeyFileInOneLine() {
    Path missing = dir.resolve("missing.key");
    assertThatThrownBy(() -> start(SyslogTlsConfig.of(pki.crt("server"), missing).withPort(0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "syslog TLS private key "
                + missing
                + " not readable: no such file; set --syslog-tls-key");
  }

  @Test
  void namesAMissingCertificateFileInOneLine() {
    Path missing = dir.resolve("missing.crt");
    assertThatThrownBy(() -> start(SyslogTlsConfig.of(missing, pki.key("server")).withPort(0)))
        .hasMessage(
            "syslog TLS certificate "
                + missing
                + " not readable: no such file; set --syslog-tls-cert");
  }

  @Test
  void namesAKeyThatIsNotTheCertificatesAtStart() {
    pki.issue("other", "ca", 9, true);
    assertThatThrownBy(
            () -> start(SyslogTlsConfig.of(pki.crt("server"), pki.key("other")).withPort(0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not match the certificate " + pki.crt("server"));
  }

  @Test
  void namesAKeyInAnUnsupportedFormat() throws IOException {
    Path pkcs1 = dir.resolve("pkcs1.key");
    Files.writeString(
        pkcs1, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
    assertThatThrownBy(() -> start(SyslogTlsConfig.of(pki.crt("server"), pkcs1).withPort(0)))
        .hasMessageStartingWith(
            "syslog TLS private key " + pkcs1 + " is not an unencrypted PKCS#8 PEM key")
        .hasMessageNotContaining("\n");
  }

  @Test
  void namesTheBusyTlsPortAndReleasesThePlainOnes() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> start(tlsConfig().withPort(port)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "syslog TLS port "
                  + port
                  + " is already in use: stop the process holding it or choose another port"
                  + " with --syslog-tls-port");
    }
  }

  @Test
  void refusesRequiredClientCertificatesWithoutACaBundle() {
    assertThatThrownBy(
            () ->
                new SyslogTlsConfig(
                    pki.crt("server"),
                    pki.key("server"),
                    null,
                    true,
                    0,
                    SyslogTlsConfig.DEFAULT_RELOAD_INTERVAL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--syslog-tls-client-ca");
  }

  @Test
  void receivesWhatOpensslSClientSends() throws Exception {
    start(tlsConfig());
    String nonce = "vigil-" + UUID.randomUUID();
    List<String> command =
        new ArrayList<>(
            List.of(
                TlsTestPki.OPENSSL.toString(),
                "s_client",
                "-connect",
                "127.0.0.1:" + collector.server().tlsPort(),
                "-quiet",
                "-CAfile",
                pki.crt("ca").toString(),
                "-verify_return_error"));
    Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      try (OutputStream stdin = client.getOutputStream()) {
        stdin.write(("<13>1 - host s_client - - - " + nonce + "\n").getBytes(UTF_8));
      }
      // -quiet ignores the end of its input and stays connected: wait for the record instead.
      ProducerRecord<byte[], byte[]> record = awaitRecords(1).get(0);
      assertThat(text(record.value())).isEqualTo("<13>1 - host s_client - - - " + nonce);
      assertThat(envelope(record).transport()).isEqualTo(Transport.TLS);
    } finally {
      client.destroy();
      client.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void replaceServerFilesWith(String name) throws IOException {
    Files.copy(pki.crt(name), pki.crt("server"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(pki.key(name), pki.key("server"), StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * A refused client may finish its side of a TLS 1.3 handshake; the collector.server() then hangs
   * up.
   */
  private void assertRefused(SSLContext client) throws Exception {
    try (SSLSocket socket = connect(client)) {
      write(socket, "<13>should not arrive\n");
      InputStream in = socket.getInputStream();
      assertThat(in.read()).isEqualTo(-1);
    } catch (IOException expected) {
      // refused during the handshake, or the alert arrived on the write or the read
    }
  }

  private SSLSocket connect(SSLContext context, String... protocols) throws IOException {
    SSLSocket socket =
        (SSLSocket)
            context.getSocketFactory().createSocket("127.0.0.1", collector.server().tlsPort());
    socket.setSoTimeout((int) WAIT.toMillis());
    SSLParameters parameters = socket.getSSLParameters();
    // Checks the certificate's 127.0.0.1 SAN, as a careful sender does.
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setServerNames(List.of(new SNIHostName("localhost")));
    if (protocols.length > 0) {
      parameters.setProtocols(protocols);
    }
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  private static BigInteger serialSeenBy(SSLSocket socket) throws IOException {
    return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
  }

  private List<ProducerRecord<byte[], byte[]>> awaitRecords(int count) {
    await().atMost(WAIT).until(() -> collector.producer().history().size() >= count);
    return collector.producer().history();
  }

  private static String frame(int i) {
    String head = String.format("<13>msg-%02d ", i);
    return counted(head + "x".repeat(500 - head.length()));
  }

  /** RFC 5425 §4.3: MSG-LEN SP SYSLOG-MSG, the length in octets. */
  private static String counted(String message) {
    return message.getBytes(UTF_8).length + " " + message;
  }

  private static void write(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(UTF_8));
    out.flush();
  }

  private static Envelope envelope(ProducerRecord<byte[], byte[]> record) {
    return Envelope.fromHeaders(
        name -> {
          Header header = record.headers().lastHeader(name);
          return header == null ? null : header.value();
        });
  }

  private static String text(byte[] bytes) {
    return new String(bytes, UTF_8);
  }
}
