package org.vigil.bench.netflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigil.collectors.netflow.NetflowExporterKey;

class NetflowReplayTest {
  private DatagramChannel v9;
  private DatagramChannel ipfix;

  @BeforeEach
  void bind() throws Exception {
    v9 = receiver();
    ipfix = receiver();
  }

  @AfterEach
  void close() throws Exception {
    v9.close();
    ipfix.close();
  }

  private static DatagramChannel receiver() throws Exception {
    DatagramChannel c = DatagramChannel.open();
    c.setOption(StandardSocketOptions.SO_RCVBUF, 8 * 1024 * 1024);
    c.bind(new InetSocketAddress("127.0.0.1", 0));
    c.configureBlocking(false);
    return c;
  }

  private NetflowReplay.Target target() throws Exception {
    return new NetflowReplay.Target(
        (InetSocketAddress) v9.getLocalAddress(), (InetSocketAddress) ipfix.getLocalAddress());
  }

  /** Datagrams waiting on a socket, by exporter key, until none came for 200 ms. */
  private static Map<NetflowExporterKey, Integer> drain(DatagramChannel c) throws Exception {
    Map<NetflowExporterKey, Integer> byKey = new HashMap<>();
    ByteBuffer buf = ByteBuffer.allocate(65_536);
    long quietSince = System.nanoTime();
    while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(200)) {
      buf.clear();
      if (c.receive(buf) == null) {
        Thread.sleep(5);
        continue;
      }
      quietSince = System.nanoTime();
      byte[] bytes = new byte[buf.flip().remaining()];
      buf.get(bytes);
      byKey.merge(NetflowExporterKey.of("127.0.0.1", bytes), 1, Integer::sum);
    }
    return byKey;
  }

  @Test
  void sharesCapturesOutAmongExportersEachWithItsOwnDomain() throws Exception {
    NetflowReplay replay =
        new NetflowReplay(List.of(NetflowCaptures.asa(), NetflowCaptures.pflow()), 4, 100, 0);
    NetflowReplay.Summary sent = replay.run(target(), NetflowReplay.Load.flows(400));

    Map<NetflowExporterKey, Integer> atV9 = drain(v9);
    Map<NetflowExporterKey, Integer> atIpfix = drain(ipfix);
    assertThat(atV9.keySet())
        .extracting(NetflowExporterKey::domain)
        .containsExactlyInAnyOrder(100L, 102L);
    assertThat(atIpfix.keySet())
        .extracting(NetflowExporterKey::domain)
        .containsExactlyInAnyOrder(101L, 103L);
    int received =
        atV9.values().stream().mapToInt(i -> i).sum()
            + atIpfix.values().stream().mapToInt(i -> i).sum();
    assertThat((long) received).isEqualTo(sent.datagrams());
    // Two template datagrams for each v9 exporter, one for each IPFIX exporter.
    assertThat(sent.templateDatagrams()).isEqualTo(6);
    assertThat(sent.flows()).isGreaterThanOrEqualTo(400).isLessThan(400 + 26);
    assertThat(replay.flowsSent()).isEqualTo(sent.flows());
    assertThat(replay.datagramsSent()).isEqualTo(sent.datagrams());
  }

  @Test
  void countsOnlyFlowsNotTemplates() throws Exception {
    NetflowReplay replay = new NetflowReplay(List.of(NetflowCaptures.asa()), 1, 1, 0);
    NetflowReplay.Summary sent = replay.run(target(), NetflowReplay.Load.flows(19 * 5));
    assertThat(sent.datagrams()).isEqualTo(2 + 5);
    assertThat(sent.flows()).isEqualTo(19 * 5);
  }

  @Test
  void neverSendsFasterThanTheRate() throws Exception {
    NetflowReplay replay = new NetflowReplay(List.of(NetflowCaptures.pflow()), 2, 1, 0);
    // 2,600 flows at 5,200 flows/s: the bucket's burst is a tenth of a second's worth, so at
    // least 0.4 s must pass.
    NetflowReplay.Summary sent =
        replay.run(target(), NetflowReplay.Load.flows(2_600).withRate(5_200));
    assertThat(sent.flows()).isEqualTo(2_600);
    assertThat(sent.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
  }

  @Test
  void stopsWhenItsTimeIsUp() throws Exception {
    NetflowReplay replay = new NetflowReplay(List.of(NetflowCaptures.pflow()), 1, 1, 0);
    NetflowReplay.Summary sent =
        replay.run(target(), NetflowReplay.Load.lasting(Duration.ofMillis(300)).withRate(1_000));
    assertThat(sent.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(sent.flows()).isLessThan(1_000);
  }

  @Test
  void refusesToSendIpfixWithoutAnIpfixPort() throws Exception {
    NetflowReplay replay = new NetflowReplay(List.of(NetflowCaptures.pflow()), 1, 1, 0);
    NetflowReplay.Target onlyV9 =
        new NetflowReplay.Target((InetSocketAddress) v9.getLocalAddress(), null);
    assertThatThrownBy(() -> replay.run(onlyV9, NetflowReplay.Load.flows(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no ipfix port");
  }

  @Test
  void refusesALoadWithoutAnEnd() {
    assertThatThrownBy(() -> new NetflowReplay.Load(0, Duration.ZERO, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
