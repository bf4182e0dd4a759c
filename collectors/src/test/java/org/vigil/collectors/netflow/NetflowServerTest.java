package org.vigil.collectors.netflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.vigil.collectors.netflow.NetflowCollectorFixture.LOCAL;
import static org.vigil.collectors.netflow.NetflowCollectorFixture.envelope;
import static org.vigil.collectors.netflow.NetflowCollectorFixture.packet;

import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vigil.model.Envelope;
import org.vigil.model.Protocol;
import org.vigil.model.Topics;
import org.vigil.model.Transport;

class NetflowServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static ResourceLeakDetector.Level previousLevel;

  @RegisterExtension final NetflowCollectorFixture collector = new NetflowCollectorFixture();

  @BeforeAll
  static void paranoid() {
    previousLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterAll
  static void restore() {
    ResourceLeakDetector.setLevel(previousLevel);
  }

  @Test
  void publishesNetflowDatagramsKeyedByExporterWithTheirEnvelope() throws IOException {
    NetflowServer server = collector.start(LOCAL);
    byte[] v5 = packet("netflow5_test_invalid01.dat");
    byte[] v9 = packet("netflow9_test_cisco_asr9k_tpl260.dat");
    int senderPort;
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      senderPort = socket.getLocalPort();
      send(socket, "127.0.0.1", server.port(NetflowInput.NETFLOW_UDP), v5);
      send(socket, "127.0.0.1", server.port(NetflowInput.NETFLOW_UDP), v9);
    }

    List<ProducerRecord<byte[], byte[]>> records = awaitRecords(2);
    assertThat(records).extracting(ProducerRecord::topic).containsOnly(Topics.RAW_NETFLOW);
    assertThat(records)
        .extracting(r -> text(r.key()))
        .containsExactly("127.0.0.1|v5|67", "127.0.0.1|v9|2177");
    assertThat(records.get(0).value()).isEqualTo(v5);
    assertThat(records.get(1).value()).isEqualTo(v9);
    Envelope envelope = envelope(records.get(1));
    assertThat(envelope.protocol()).isEqualTo(Protocol.NETFLOW);
    assertThat(envelope.transport()).isEqualTo(Transport.UDP);
    assertThat(envelope.peerAddress()).isEqualTo("127.0.0.1");
    assertThat(envelope.peerPort()).isEqualTo(senderPort);
    assertThat(envelope.collectorId()).isEqualTo("collector-test");
    assertThat(envelope.receivedAtMillis())
        .isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());

    NetflowCollectorMetrics metrics = server.metrics();
    await().atMost(WAIT).until(() -> metrics.published(NetflowInput.NETFLOW_UDP) == 2);
    assertThat(metrics.received(NetflowInput.NETFLOW_UDP)).isEqualTo(2);
    assertThat(metrics.receivedBytes(NetflowInput.NETFLOW_UDP)).isEqualTo(v5.length + v9.length);
    assertThat(metrics.malformed(NetflowInput.NETFLOW_UDP)).isZero();
    assertThat(metrics.received(NetflowInput.IPFIX_UDP)).isZero();
  }

  @Test
  void publishesIpfixDatagramsFromTheIpfixPort() throws IOException {
    NetflowServer server = collector.start(LOCAL);
    byte[] template = packet("ipfix_test_procera_tpl52935.dat");
    byte[] data = packet("ipfix_test_procera_data52935.dat");
    try (DatagramSocket socket = new DatagramSocket()) {
      send(socket, "127.0.0.1", server.port(NetflowInput.IPFIX_UDP), template);
      send(socket, "127.0.0.1", server.port(NetflowInput.IPFIX_UDP), data);
    }

    List<ProducerRecord<byte[], byte[]>> records = awaitRecords(2);
    assertThat(records).extracting(r -> text(r.key())).containsOnly("127.0.0.1|ipfix|2875616939");
    assertThat(records).extracting(ProducerRecord::value).containsExactly(template, data);
    assertThat(server.metrics().received(NetflowInput.IPFIX_UDP)).isEqualTo(2);
    assertThat(server.metrics().received(NetflowInput.NETFLOW_UDP)).isZero();
  }

  @Test
  void publishesAndCountsDatagramsWithoutAUsableHeader() throws IOException {
    NetflowServer server = collector.start(LOCAL);
    byte[] tooShort = Arrays.copyOf(packet("netflow9_test_valid01.dat"), 12);
    byte[] syslog = "<13>Oct 11 22:14:15 host app: wrong port".getBytes(StandardCharsets.UTF_8);
    try (DatagramSocket socket = new DatagramSocket()) {
      send(socket, "127.0.0.1", server.port(NetflowInput.NETFLOW_UDP), tooShort);
      send(socket, "127.0.0.1", server.port(NetflowInput.NETFLOW_UDP), syslog);
    }

    List<ProducerRecord<byte[], byte[]>> records = awaitRecords(2);
    assertThat(records).extracting(r -> text(r.key())).containsOnly("127.0.0.1|malformed|0");
    assertThat(records).extracting(ProducerRecord::value).containsExactly(tooShort, syslog);
    assertThat(server.metrics().malformed(NetflowInput.NETFLOW_UDP)).isEqualTo(2);
    assertThat(server.metrics().received(NetflowInput.NETFLOW_UDP)).isEqualTo(2);
  }

  @Test
  void countsDatagramsKafkaRefusesAsDropped() throws IOException {
    NetflowServer server = collector.start(LOCAL, true, 4_000, 1_000);
    collector.producer().sendException = new TimeoutException("Kafka is away");
    byte[] v5 = packet("netflow5.dat");
    try (DatagramSocket socket = new DatagramSocket()) {
      for (int i = 0; i < 10; i++) {
        send(socket, "127.0.0.1", server.port(NetflowInput.NETFLOW_UDP), v5);
      }
    }
    NetflowCollectorMetrics metrics = server.metrics();
    await().atMost(WAIT).until(() -> metrics.received(NetflowInput.NETFLOW_UDP) == 10);
    await().atMost(WAIT).until(() -> metrics.dropped(NetflowInput.NETFLOW_UDP) > 0);

    collector.producer().sendException = null;

    await()
        .atMost(WAIT)
        .until(
            () ->
                metrics.published(NetflowInput.NETFLOW_UDP)
                        + metrics.dropped(NetflowInput.NETFLOW_UDP)
                    == 10);
    // The retry queue holds twice the high watermark: about four of these 1.7 kB datagrams.
    assertThat(metrics.published(NetflowInput.NETFLOW_UDP)).isBetween(1L, 9L);
    assertThat(metrics.publishFailures(NetflowInput.NETFLOW_UDP))
        .isEqualTo(metrics.dropped(NetflowInput.NETFLOW_UDP));
    assertThat(collector.producer().history())
        .hasSize((int) metrics.published(NetflowInput.NETFLOW_UDP));
  }

  @Test
  void framesIpfixOverTcpSplitAcrossWritesAndCoalescedInOne() throws Exception {
    NetflowServer server = collector.start(LOCAL);
    byte[] template = packet("ipfix_test_yaf_tpl45841.dat");
    byte[] data1 = packet("ipfix_test_yaf_data45841.dat");
    byte[] data2 = packet("ipfix_test_yaf_data45873.dat");
    try (Socket socket = new Socket("127.0.0.1", server.port(NetflowInput.IPFIX_TCP))) {
      write(socket, Arrays.copyOf(template, 10));
      Thread.sleep(100);
      write(socket, Arrays.copyOfRange(template, 10, template.length));
      awaitRecords(1);
      write(socket, concat(data1, data2));
      awaitRecords(3);
    }

    List<ProducerRecord<byte[], byte[]>> records = collector.producer().history();
    assertThat(records).extracting(ProducerRecord::value).containsExactly(template, data1, data2);
    assertThat(records)
        .extracting(r -> text(r.key()))
        .containsOnly(NetflowExporterKey.of("127.0.0.1", template).toString());
    assertThat(records)
        .allSatisfy(r -> assertThat(envelope(r).transport()).isEqualTo(Transport.TCP));
    assertThat(server.metrics().received(NetflowInput.IPFIX_TCP)).isEqualTo(3);
    assertThat(server.metrics().framingErrors(NetflowInput.IPFIX_TCP)).isZero();
  }

  @Test
  void closesAnIpfixConnectionWithABadLengthAndCountsIt() throws IOException {
    NetflowServer server = collector.start(LOCAL);
    byte[] good = packet("ipfix_test_openbsd_pflow_tpl.dat");
    byte[] badLength = {0, 10, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    try (Socket socket = new Socket("127.0.0.1", server.port(NetflowInput.IPFIX_TCP))) {
      socket.setSoTimeout((int) WAIT.toMillis());
      write(socket, concat(good, badLength, good));
      assertThat(readToEnd(socket.getInputStream())).as("closed by the collector").isEqualTo(-1);
    }

    await().atMost(WAIT).until(() -> server.metrics().framingErrors(NetflowInput.IPFIX_TCP) == 1);
    assertThat(collector.producer().history()).extracting(ProducerRecord::value).hasSize(1);
    assertThat(server.metrics().received(NetflowInput.IPFIX_TCP)).isEqualTo(1);

    // The listener itself keeps serving others.
    try (Socket socket = new Socket("127.0.0.1", server.port(NetflowInput.IPFIX_TCP))) {
      write(socket, good);
      awaitRecords(2);
    }
  }

  @Test
  void stopsReadingIpfixTcpWhileKafkaIsCongestedAndResumesWhenDrained() throws IOException {
    NetflowServer server = collector.start(LOCAL, false, 2_000, 500);
    byte[] message = packet("ipfix_test_openbsd_pflow_tpl.dat");
    NetflowCollectorMetrics metrics = server.metrics();
    try (Socket socket = new Socket("127.0.0.1", server.port(NetflowInput.IPFIX_TCP))) {
      for (int i = 0; i < 20; i++) {
        write(socket, numbered(message, i));
      }
      await().atMost(WAIT).until(collector.publisher()::isCongested);
      await().pollDelay(Duration.ofMillis(300)).atMost(WAIT).until(() -> true);
      long readWhileCongested = metrics.received(NetflowInput.IPFIX_TCP);

      for (int i = 20; i < 40; i++) {
        write(socket, numbered(message, i));
      }
      await().pollDelay(Duration.ofMillis(500)).atMost(WAIT).until(() -> true);
      assertThat(metrics.received(NetflowInput.IPFIX_TCP))
          .as("nothing is read while congested")
          .isEqualTo(readWhileCongested)
          .isLessThan(40);

      await()
          .atMost(WAIT)
          .until(
              () -> {
                while (collector.producer().completeNext()) {
                  // Acknowledge everything sent so far, as Kafka would.
                }
                return metrics.published(NetflowInput.IPFIX_TCP) == 40;
              });
    }
    assertThat(collector.publisher().isCongested()).isFalse();
    assertThat(collector.producer().history())
        .extracting(r -> ByteBuffer.wrap(r.value()).getInt(8))
        .containsExactlyElementsOf(IntStream.range(0, 40).boxed().toList());
  }

  @Test
  void keysIpv6ExportersByTheirAddressWithoutBrackets() throws IOException {
    assumeTrue(ipv6LoopbackAvailable(), "no IPv6 loopback on this machine");
    NetflowServer server = collector.start(LOCAL.withBindHost("::"));
    byte[] v9 = packet("netflow9_test_macaddr_tpl.dat");
    try (DatagramSocket udp = new DatagramSocket();
        Socket tcp = new Socket("::1", server.port(NetflowInput.IPFIX_TCP))) {
      send(udp, "::1", server.port(NetflowInput.NETFLOW_UDP), v9);
      awaitRecords(1);
      write(tcp, packet("ipfix_test_openbsd_pflow_tpl.dat"));
      awaitRecords(2);
    }

    List<ProducerRecord<byte[], byte[]>> records = collector.producer().history();
    assertThat(records).extracting(r -> text(r.key())).containsExactly("::1|v9|97", "::1|ipfix|42");
    assertThat(records).extracting(r -> envelope(r).peerAddress()).containsOnly("::1");
  }

  @Test
  void listensOnlyOnTheConfiguredInputs() {
    NetflowServer server = collector.start(LOCAL.withPorts(0, -1, -1));

    assertThat(server.isListening(NetflowInput.NETFLOW_UDP)).isTrue();
    assertThat(server.isListening(NetflowInput.IPFIX_UDP)).isFalse();
    assertThat(server.isListening(NetflowInput.IPFIX_TCP)).isFalse();
    assertThat(server.kernelUdpDrops(NetflowInput.IPFIX_UDP)).isEmpty();
    assertThatThrownBy(() -> server.port(NetflowInput.IPFIX_UDP))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("IPFIX (UDP) listener is not started");
  }

  @Test
  void namesTheBusyUdpPortInOneLine() throws IOException {
    try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> collector.start(LOCAL.withPorts(0, port, -1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "IPFIX (UDP) port "
                  + port
                  + " is already in use: stop the process holding it or choose another port"
                  + " with --ipfix-port");
    }
  }

  @Test
  void refusesConfigurationsWithoutAListenerOrWithOnePortTwice() {
    assertThatThrownBy(() -> LOCAL.withPorts(-1, -1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one port");
    assertThatThrownBy(() -> LOCAL.withPorts(2055, 2055, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must differ");
    assertThatThrownBy(() -> LOCAL.withPorts(70_000, -1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NetFlow port");
  }

  @Test
  void reportsKernelDropsForItsUdpPorts() {
    assumeTrue(Files.isReadable(Path.of("/proc/net/udp")), "no /proc/net/udp");
    NetflowServer server = collector.start(LOCAL);
    assertThat(server.kernelUdpDrops(NetflowInput.NETFLOW_UDP)).hasValue(0);
    assertThat(server.kernelUdpDrops(NetflowInput.IPFIX_UDP)).hasValue(0);
    assertThat(server.kernelUdpDrops(NetflowInput.IPFIX_TCP)).isEmpty();
  }

  @Test
  void reportsTheReceiveBufferTheKernelGrantedItsUdpInputs() {
    // 64 KiB is below any kernel's net.core.rmem_max, so the kernel grants exactly this.
    NetflowServer server = collector.start(LOCAL.withPorts(0, 0, 0).withUdpReceiveBuffer(65_536));
    assertThat(server.udpReceiveBufferBytes(NetflowInput.NETFLOW_UDP)).hasValue(65_536);
    assertThat(server.udpReceiveBufferBytes(NetflowInput.IPFIX_UDP)).hasValue(65_536);
    assertThat(server.udpReceiveBufferBytes(NetflowInput.IPFIX_TCP)).isEmpty();
  }

  /** The message with its sequence number (bytes 8..11) set to {@code i}. */
  private static byte[] numbered(byte[] message, int i) {
    byte[] copy = message.clone();
    ByteBuffer.wrap(copy).putInt(8, i);
    return copy;
  }

  private List<ProducerRecord<byte[], byte[]>> awaitRecords(int count) {
    await().atMost(WAIT).until(() -> collector.producer().history().size() >= count);
    return collector.producer().history();
  }

  private static void send(DatagramSocket socket, String host, int port, byte[] bytes)
      throws IOException {
    socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(host, port)));
  }

  private static void write(Socket socket, byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  private static int readToEnd(InputStream in) throws IOException {
    int b;
    do {
      b = in.read();
    } while (b >= 0);
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
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
