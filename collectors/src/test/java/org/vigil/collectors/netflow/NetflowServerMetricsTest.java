package org.vigil.collectors.netflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.vigil.collectors.netflow.NetflowCollectorFixture.LOCAL;
import static org.vigil.collectors.netflow.NetflowCollectorFixture.packet;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.collectors.metrics.CollectorMetricsRegistry;
import org.vigil.collectors.syslog.SyslogServer;
import org.vigil.collectors.syslog.SyslogServerConfig;

class NetflowServerMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final NetflowCollectorFixture collector = new NetflowCollectorFixture();
  private final CollectorMetricsRegistry metrics = new CollectorMetricsRegistry();
  private SyslogServer syslog;

  @AfterEach
  void stop() {
    if (syslog != null) {
      syslog.close();
    }
    metrics.close();
  }

  @Test
  void exposesEachListeningInputsCountersUnderItsTag() throws IOException {
    NetflowServer server = collector.start(LOCAL.withPorts(0, 0, -1));
    metrics.bindNetflow(server);
    byte[] v9 = packet("netflow9_test_valid01.dat");
    try (DatagramSocket socket = new DatagramSocket()) {
      send(socket, server.port(NetflowInput.NETFLOW_UDP), v9);
      send(socket, server.port(NetflowInput.NETFLOW_UDP), new byte[] {0, 9});
    }
    await().atMost(WAIT).until(() -> server.metrics().published(NetflowInput.NETFLOW_UDP) == 2);

    String scrape = metrics.scrape();
    assertThat(scrape)
        .contains("vigil_collector_received_total{input=\"netflow_udp\"} 2.0")
        .contains("vigil_collector_received_total{input=\"ipfix_udp\"} 0.0")
        .contains("vigil_collector_received_bytes_total{input=\"netflow_udp\"} " + (v9.length + 2))
        .contains("vigil_collector_malformed_total{input=\"netflow_udp\"} 1.0")
        .contains("vigil_collector_published_total{input=\"netflow_udp\"} 2.0")
        .contains(
            "vigil_collector_dropped_total{input=\"netflow_udp\",reason=\"kafka_refused\"} 0.0")
        .doesNotContain("ipfix_tcp");
  }

  @Test
  void exposesFramingErrorsOfIpfixOverTcpAndKernelDropsOfUdp() {
    assumeTrue(Files.isReadable(Path.of("/proc/net/udp")), "no /proc/net/udp");
    metrics.bindNetflow(collector.start(LOCAL));

    assertThat(metrics.scrape())
        .contains("vigil_collector_framing_errors_total{input=\"ipfix_tcp\"} 0.0")
        .contains(
            "vigil_collector_dropped_total{input=\"ipfix_udp\",reason=\"kernel_receive_buffer\"}"
                + " 0.0")
        .doesNotContain("vigil_collector_dropped_total{input=\"ipfix_tcp\"");
  }

  @Test
  void sharesOneRegistryWithTheSyslogServer() {
    NetflowServer server = collector.start(LOCAL);
    RawRecordPublisher publisher = collector.publisher();
    syslog =
        new SyslogServer(
            SyslogServerConfig.defaults("collector-test").withBindHost("127.0.0.1").withPort(0),
            publisher);
    syslog.start();
    metrics.bindSyslog(syslog);
    metrics.bindNetflow(server);

    assertThat(metrics.scrape())
        .contains("vigil_collector_received_total{input=\"syslog_udp\"} 0.0")
        .contains("vigil_collector_received_total{input=\"ipfix_tcp\"} 0.0");
  }

  @Test
  void refusesAServerThatIsNotStartedOrASecondOne() {
    collector.start(LOCAL);
    NetflowServer notStarted = new NetflowServer(LOCAL, collector.publisher());
    assertThatThrownBy(() -> metrics.bindNetflow(notStarted))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("after starting it");
    metrics.bindNetflow(collector.server());
    assertThatThrownBy(() -> metrics.bindNetflow(collector.server()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already bound");
  }

  private static void send(DatagramSocket socket, int port, byte[] bytes) throws IOException {
    socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1", port)));
  }
}
