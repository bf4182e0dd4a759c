package org.vigil.collectors.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vigil.model.Envelope;
import org.vigil.model.Protocol;
import org.vigil.model.Topics;
import org.vigil.model.Transport;

class SyslogServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SyslogServerConfig LOCAL =
      SyslogServerConfig.defaults("collector-test").withBindHost("127.0.0.1").withPort(0);

  @RegisterExtension final SyslogCollectorFixture collector = new SyslogCollectorFixture();

  @Test
  void publishesAUdpDatagramWithItsEnvelope() throws IOException {
    collector.start(LOCAL, true);
    int senderPort;
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      senderPort = socket.getLocalPort();
      send(socket, "127.0.0.1", "<13>Oct 11 22:14:15 host app: over udp\n");
    }

    ProducerRecord<byte[], byte[]> record = awaitRecords(1).get(0);
    assertThat(record.topic()).isEqualTo(Topics.RAW_SYSLOG);
    assertThat(text(record.key())).isEqualTo("127.0.0.1");
    assertThat(text(record.value())).isEqualTo("<13>Oct 11 22:14:15 host app: over udp");
    Envelope envelope = envelope(record);
    assertThat(envelope.protocol()).isEqualTo(Protocol.SYSLOG);
    assertThat(envelope.transport()).isEqualTo(Transport.UDP);
    assertThat(envelope.peerAddress()).isEqualTo("127.0.0.1");
    assertThat(envelope.peerPort()).isEqualTo(senderPort);
    assertThat(envelope.collectorId()).isEqualTo("collector-test");
    assertThat(envelope.receivedAtMillis())
        .isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());
    assertThat(record.headers().lastHeader(SyslogFrame.HEADER_TRUNCATED)).isNull();
    await().atMost(WAIT).until(() -> collector.server().metrics().published() == 1);
    assertThat(collector.server().metrics().receivedUdp()).isEqualTo(1);
  }

  @Test
  void truncatesAnOverlongDatagramAndSaysSoInAHeader() throws IOException {
    collector.start(
        new SyslogServerConfig(
            "127.0.0.1", 0, 1024, 1 << 20, Duration.ofMinutes(1), "collector-test"),
        true);
    try (DatagramSocket socket = new DatagramSocket()) {
      send(socket, "127.0.0.1", "<13>" + "x".repeat(4000));
    }

    ProducerRecord<byte[], byte[]> record = awaitRecords(1).get(0);
    assertThat(record.value()).hasSize(1024);
    assertThat(text(record.headers().lastHeader(SyslogFrame.HEADER_TRUNCATED).value()))
        .isEqualTo("true");
    assertThat(collector.server().metrics().truncated()).isEqualTo(1);
  }

  @Test
  void publishesTcpMessagesInBothFramings() throws IOException {
    collector.start(LOCAL, true);
    int newlinePort;
    int countedPort;
    try (Socket newline = new Socket("127.0.0.1", collector.server().port());
        Socket counted = new Socket("127.0.0.1", collector.server().port())) {
      newlinePort = newline.getLocalPort();
      countedPort = counted.getLocalPort();
      write(newline, "<13>line one\n<13>line two\r\n");
      awaitRecords(2);
      write(counted, "12 <13>counted\n13 <13>counted 2");
      awaitRecords(4);
    }

    List<ProducerRecord<byte[], byte[]>> records = collector.producer().history();
    assertThat(records)
        .extracting(r -> text(r.value()))
        .containsExactly("<13>line one", "<13>line two", "<13>counted\n", "<13>counted 2");
    assertThat(records)
        .allSatisfy(r -> assertThat(envelope(r).transport()).isEqualTo(Transport.TCP));
    assertThat(records).allSatisfy(r -> assertThat(text(r.key())).isEqualTo("127.0.0.1"));
    assertThat(records)
        .extracting(r -> envelope(r).peerPort())
        .containsExactly(newlinePort, newlinePort, countedPort, countedPort);
    assertThat(collector.server().metrics().receivedTcp()).isEqualTo(4);
  }

  @Test
  void acceptsIpv6SendersAndWritesTheirAddressWithoutBrackets() throws IOException {
    assumeTrue(ipv6LoopbackAvailable(), "no IPv6 loopback on this machine");
    collector.start(LOCAL.withBindHost("::"), true);

    try (DatagramSocket udp = new DatagramSocket();
        Socket tcp = new Socket("::1", collector.server().port())) {
      send(udp, "::1", "<13>v6 udp");
      awaitRecords(1);
      write(tcp, "<13>v6 tcp\n");
      awaitRecords(2);
    }

    assertThat(collector.producer().history())
        .extracting(r -> envelope(r).peerAddress() + " " + envelope(r).transport().wireName())
        .containsExactly("::1 udp", "::1 tcp");
  }

  @Test
  void namesTheBusyTcpPortInOneLine() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> collector.start(LOCAL.withPort(port), true))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "syslog port "
                  + port
                  + " (TCP) is already in use: stop the process holding it or choose another"
                  + " port with --syslog-port");
    }
  }

  @Test
  void namesTheBusyUdpPortAndReleasesTheTcpOne() throws IOException {
    int port;
    try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      port = taken.getLocalPort();
      assertThatThrownBy(() -> collector.start(LOCAL.withPort(port), true))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("syslog port " + port + " (UDP) is already in use")
          .hasMessageNotContaining("\n");
    }
    try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void stopsReadingTcpWhileKafkaIsCongestedAndResumesWhenDrained() throws IOException {
    collector.start(LOCAL, false, 2_000, 500);
    try (Socket socket = new Socket("127.0.0.1", collector.server().port())) {
      CongestionScenario.assertPausesWhileCongestedAndDeliversAll(
          socket,
          collector.server(),
          collector.producer(),
          collector.publisher(),
          SyslogServerTest::frame);
    }
  }

  @Test
  void closesAnIdleTcpConnection() throws IOException {
    collector.start(LOCAL.withTcpIdleTimeout(Duration.ofMillis(200)), true);
    try (Socket socket = new Socket("127.0.0.1", collector.server().port())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void reportsKernelDropsForItsUdpPort() {
    assumeTrue(Files.isReadable(Path.of("/proc/net/udp")), "no /proc/net/udp");
    collector.start(LOCAL, true);
    assertThat(collector.server().kernelUdpDrops()).hasValue(0);
  }

  private static String frame(int i) {
    String head = String.format("<13>msg-%02d ", i);
    return head + "x".repeat(500 - head.length()) + "\n";
  }

  private List<ProducerRecord<byte[], byte[]>> awaitRecords(int count) {
    await().atMost(WAIT).until(() -> collector.producer().history().size() >= count);
    return collector.producer().history();
  }

  private void send(DatagramSocket socket, String host, String message) throws IOException {
    byte[] bytes = message.getBytes(UTF_8);
    socket.send(
        new DatagramPacket(
            bytes, bytes.length, new InetSocketAddress(host, collector.server().port())));
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

  private static boolean ipv6LoopbackAvailable() {
    try {
      NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getByName("::1"));
      return loopback != null && loopback.inetAddresses().anyMatch(a -> a instanceof Inet6Address);
    } catch (IOException e) {
      return false;
    }
  }
}
