package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probes against a local HTTP server serving Flink REST and Prometheus samples. */
class HealthProbesTest {
  private static final long NOW = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

  private final Map<String, String> bodies = new ConcurrentHashMap<>();
  private HttpServer server;
  private URI base;

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body = bodies.get(exchange.getRequestURI().getPath());
          byte[] bytes =
              (body == null ? "{\"errors\":[\"Not found\"]}" : body)
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void flinkJob(String state, Long lastAck, long interval) {
    bodies.put(
        "/jobs/overview",
        "{\"jobs\":[{\"jid\":\"old\",\"name\":\"vigil-correlation\",\"state\":\"CANCELED\","
            + "\"start-time\":1},{\"jid\":\"abc\",\"name\":\"vigil-correlation\",\"state\":\""
            + state
            + "\",\"start-time\":"
            + (NOW - 3_600_000)
            + "}]}");
    bodies.put(
        "/jobs/abc/checkpoints",
        "{\"counts\":{\"completed\":12,\"failed\":1},\"latest\":{\"completed\":"
            + (lastAck == null ? "null" : "{\"id\":12,\"latest_ack_timestamp\":" + lastAck + "}")
            + "}}");
    bodies.put(
        "/jobs/abc/checkpoints/config",
        "{\"mode\":\"exactly_once\",\"interval\":" + interval + "}");
  }

  @Test
  void runningJobWithAFreshCheckpointIsGreen() throws Exception {
    flinkJob("RUNNING", NOW - 4_000, 10_000);
    ComponentHealth h = new FlinkJobProbe(base, null, CLOCK).probe();
    assertThat(h.status()).isEqualTo(HealthStatus.GREEN);
    assertThat(h.detail())
        .contains("RUNNING")
        .contains("last checkpoint 4 s ago")
        .contains("1 failed");
    assertThat(h.check()).isNull();
  }

  @Test
  void lateCheckpointsAreYellowThenRed() throws Exception {
    flinkJob("RUNNING", NOW - 45_000, 10_000);
    ComponentHealth late = new FlinkJobProbe(base, null, CLOCK).probe();
    assertThat(late.status()).isEqualTo(HealthStatus.YELLOW);
    assertThat(late.check()).contains("backpressure");
    flinkJob("RUNNING", null, 10_000);
    ComponentHealth none = new FlinkJobProbe(base, null, CLOCK).probe();
    assertThat(none.status()).isEqualTo(HealthStatus.RED);
    assertThat(none.detail()).contains("no checkpoint completed yet");
  }

  @Test
  void failedOrMissingJobIsRedAndRestartingIsYellow() throws Exception {
    flinkJob("FAILED", NOW, 10_000);
    assertThat(new FlinkJobProbe(base, null, CLOCK).probe().status()).isEqualTo(HealthStatus.RED);
    flinkJob("RESTARTING", NOW, 10_000);
    assertThat(new FlinkJobProbe(base, null, CLOCK).probe().status())
        .isEqualTo(HealthStatus.YELLOW);
    bodies.put("/jobs/overview", "{\"jobs\":[]}");
    ComponentHealth none = new FlinkJobProbe(base, null, CLOCK).probe();
    assertThat(none.status()).isEqualTo(HealthStatus.RED);
    assertThat(none.check()).contains("not submitted");
  }

  @Test
  void deadFlinkRestFailsTheProbe() {
    server.stop(0);
    assertThatThrownBy(() -> new FlinkJobProbe(base, null, CLOCK).probe())
        .isInstanceOf(IOException.class);
  }

  private static final String METRICS =
      """
      # HELP vigil_collector_received_total Syslog messages received
      # TYPE vigil_collector_received_total counter
      vigil_collector_received_total{input="syslog_udp",} %d
      vigil_collector_received_total{input="syslog_tcp",} 10.0
      vigil_collector_dropped_total{input="syslog_udp",reason="kernel_receive_buffer",} %d
      vigil_collector_dropped_total{input="syslog_udp",reason="kafka_refused",} 0.0
      vigil_collector_publish_failures_total{input="syslog",} 0.0
      vigil_collector_kafka_congested 0.0
      jvm_info{runtime="OpenJDK \\"17\\"",vendor="x"} 1
      this line is broken {
      """;

  @Test
  void collectorRatesComeFromTwoScrapesAndNewDropsAreYellow() throws Exception {
    bodies.put("/metrics", METRICS.formatted(1000, 0));
    CollectorMetricsProbe probe = new CollectorMetricsProbe(base.resolve("/metrics"), CLOCK);
    ComponentHealth first = probe.probe();
    assertThat(first.status()).isEqualTo(HealthStatus.GREEN);
    assertThat(first.detail()).contains("syslog_udp 1000 received");

    PrometheusText.Scrape later = PrometheusText.parse(METRICS.formatted(1500, 7));
    assertThat(later.malformedLines()).isEqualTo(1);
    ComponentHealth second = probe.assess(later, NOW + 10_000);
    assertThat(second.detail()).contains("syslog_udp 50.0/s").contains("syslog_tcp 0.0/s");
    assertThat(second.status()).isEqualTo(HealthStatus.YELLOW);
    assertThat(second.detail()).contains("7 new (kernel_receive_buffer)");
    assertThat(second.check()).contains("rmem_max");

    ComponentHealth third =
        probe.assess(PrometheusText.parse(METRICS.formatted(1600, 7)), NOW + 20_000);
    assertThat(third.status()).isEqualTo(HealthStatus.GREEN);
  }

  @Test
  void prometheusLabelsKeepEscapedQuotes() {
    PrometheusText.Scrape scrape = PrometheusText.parse(METRICS.formatted(1, 0));
    assertThat(scrape.samples())
        .anySatisfy(
            s -> {
              assertThat(s.name()).isEqualTo("jvm_info");
              assertThat(s.labels()).containsEntry("runtime", "OpenJDK \"17\"");
            });
  }

  @Test
  void kafkaLagThresholds() {
    KafkaLagProbe probe = new KafkaLagProbe("127.0.0.1:1", "vigil-correlation", 100, 1000);
    assertThat(probe.health(99, 3).status()).isEqualTo(HealthStatus.GREEN);
    assertThat(probe.health(100, 3).status()).isEqualTo(HealthStatus.YELLOW);
    ComponentHealth red = probe.health(1000, 3);
    assertThat(red.status()).isEqualTo(HealthStatus.RED);
    assertThat(red.detail())
        .isEqualTo("group vigil-correlation lags 1000 records on 3 partition(s)");
    assertThat(red.check()).isNotBlank();
  }

  @Test
  void unreachableKafkaFailsWithinTheTimeout() {
    KafkaLagProbe probe = new KafkaLagProbe("127.0.0.1:1", "vigil-correlation", 100, 1000);
    long start = System.nanoTime();
    assertThatThrownBy(probe::probe).isInstanceOf(Exception.class);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
  }
}
