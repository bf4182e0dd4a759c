package org.vigil.collectors.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vigil.collectors.syslog.SyslogServer.UdpReading;

class SyslogUdpReadingTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final SyslogServerConfig LOCAL =
      SyslogServerConfig.defaults("collector-test").withBindHost("127.0.0.1").withPort(0);
  private static final int SENDERS = 16;
  private static final int PER_SENDER = 100;

  @RegisterExtension final SyslogCollectorFixture collector = new SyslogCollectorFixture();

  @Test
  void severalNativeReadersShareThePortAndDeliverEveryDatagramOfABurstOnce() throws IOException {
    assumeTrue(Epoll.isAvailable(), "no native epoll transport here");
    collector.publisher(true);
    SyslogServer server = collector.start(LOCAL, new UdpReading(4, true));

    assertThat(server.udpNative()).isTrue();
    assertThat(server.udpReaderCount()).isEqualTo(4);
    if (Files.isReadable(Path.of("/proc/net/udp"))) {
      assertThat(socketsBoundTo(server.port())).isEqualTo(4);
    }
    Set<String> sent = burst(server.port());

    List<String> received = awaitValues(sent.size());
    assertThat(received).hasSize(sent.size()).doesNotHaveDuplicates();
    assertThat(new HashSet<>(received)).isEqualTo(sent);
    await().atMost(WAIT).until(() -> server.metrics().published() == sent.size());
    assertThat(server.metrics().receivedUdp()).isEqualTo(sent.size());
    assertThat(server.metrics().udpDropped()).isZero();
  }

  @Test
  void aBurstOfDatagramsUpToTheLargestUdpPayloadArrivesWholeAndInOrder() throws IOException {
    // Native readers take several datagrams per system call (recvmmsg), each in a slot of its
    // own: none may be cut at a slot's end or run into its neighbour.
    assumeTrue(Epoll.isAvailable(), "no native epoll transport here");
    collector.publisher(true);
    SyslogServer server =
        collector.start(
            new SyslogServerConfig(
                "127.0.0.1", 0, 65_507, 8 << 20, Duration.ofMinutes(1), "collector-test"),
            new UdpReading(1, true));
    int[] sizes = {100, 65_507, 20, 30_000, 65_507, 1_400, 9_000, 65_000, 200, 50};
    List<String> sent = new ArrayList<>();
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      socket.setSendBufferSize(1 << 20);
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.port());
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < sizes.length; i++) {
          String prefix = "<13>" + round + "-" + i + " ";
          String message = prefix + "x".repeat(sizes[i] - prefix.length());
          byte[] bytes = message.getBytes(UTF_8);
          socket.send(new DatagramPacket(bytes, bytes.length, target));
          sent.add(message);
        }
      }
    }

    List<String> received = awaitValues(sent.size());
    assertThat(received).containsExactlyElementsOf(sent);
    assertThat(server.metrics().truncated()).isZero();
  }

  @Test
  void readsThePortWithOneNioSocketWhenNativeIsNotWanted() throws IOException {
    collector.publisher(true);
    SyslogServer server = collector.start(LOCAL, UdpReading.singleNio());

    assertThat(server.udpNative()).isFalse();
    assertThat(server.udpReaderCount()).isEqualTo(1);
    if (Files.isReadable(Path.of("/proc/net/udp"))) {
      assertThat(socketsBoundTo(server.port())).isEqualTo(1);
    }
    Set<String> sent = burst(server.port());

    List<String> received = awaitValues(sent.size());
    assertThat(received).hasSize(sent.size()).doesNotHaveDuplicates();
    assertThat(new HashSet<>(received)).isEqualTo(sent);
  }

  @Test
  void reportsTheReceiveBufferTheKernelGrantedEachSocket() {
    // 64 KiB is below any kernel's net.core.rmem_max, so the kernel grants exactly this.
    SyslogServerConfig small = LOCAL.withUdpReceiveBuffer(65_536);
    collector.publisher(true);
    SyslogServer server =
        collector.start(
            small, Epoll.isAvailable() ? new UdpReading(2, true) : UdpReading.singleNio());

    assertThat(server.udpReceiveBufferBytes()).hasValue(65_536);
  }

  @Test
  void closingReleasesEveryReaderSocket() throws IOException {
    collector.publisher(true);
    SyslogServer server = collector.start(LOCAL, new UdpReading(3, true));
    int port = server.port();

    server.close();

    try (DatagramSocket again = new DatagramSocket(port, InetAddress.getByName("127.0.0.1"))) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void rejectsAReaderCountOutsideOneTo64() {
    assertThatThrownBy(() -> new UdpReading(0, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 1 and 64");
    assertThatThrownBy(() -> new UdpReading(65, true)).isInstanceOf(IllegalArgumentException.class);
    assertThat(UdpReading.defaults().readers()).isBetween(1, 4);
  }

  /**
   * Datagrams from many sender sockets, so that the kernel spreads them over the readers, paced in
   * small groups so that the test measures delivery, not the receive buffer.
   */
  private static Set<String> burst(int port) throws IOException {
    Set<String> sent = new HashSet<>();
    List<DatagramSocket> sockets = new ArrayList<>();
    try {
      for (int s = 0; s < SENDERS; s++) {
        sockets.add(new DatagramSocket(0, InetAddress.getByName("127.0.0.1")));
      }
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
      for (int i = 0; i < PER_SENDER; i++) {
        for (int s = 0; s < SENDERS; s++) {
          String message = "<13>Oct 11 22:14:15 host app: sender " + s + " message " + i;
          byte[] bytes = (message + "\n").getBytes(UTF_8);
          sockets.get(s).send(new DatagramPacket(bytes, bytes.length, target));
          sent.add(message);
        }
      }
    } finally {
      for (DatagramSocket socket : sockets) {
        socket.close();
      }
    }
    return sent;
  }

  private List<String> awaitValues(int count) {
    await().atMost(WAIT).until(() -> collector.producer().history().size() >= count);
    // Anything more would arrive right behind the last awaited record.
    await().pollDelay(Duration.ofMillis(200)).until(() -> true);
    List<String> values = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> record : collector.producer().history()) {
      values.add(new String(record.value(), UTF_8));
    }
    return values;
  }

  private static long socketsBoundTo(int port) throws IOException {
    String suffix = String.format(":%04X", port);
    long count = 0;
    // Java and Netty open IPv6 sockets where they can, so an IPv4 bind may be listed in udp6.
    for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
      Path path = Path.of(table);
      if (Files.isReadable(path)) {
        count +=
            Files.readAllLines(path).stream()
                .map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields.length > 1 && fields[1].endsWith(suffix))
                .count();
      }
    }
    return count;
  }
}
