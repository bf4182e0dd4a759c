package org.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.json.JsonpUtils;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SyslogBenchTest {
  private final JacksonJsonpMapper mapper = new JacksonJsonpMapper();

  @Test
  void countsEventsByTheRunsHostName() {
    String json = JsonpUtils.toJsonString(SyslogBench.eventsCount("bench-ab12"), mapper);
    assertThat(json).contains("\"host.name\"").contains("bench-ab12");
  }

  @Test
  void looksForAlertsOfTheBurstSourcesSinceTheRunBegan() {
    String json =
        JsonpUtils.toJsonString(
            SyslogBench.alertsFor(List.of("198.18.3.4", "198.19.7.9"), "2026-03-07T14:05:09Z"),
            mapper);
    assertThat(json)
        .contains("\"terms\"", "\"source.ip\"", "198.18.3.4", "198.19.7.9")
        .contains("\"@timestamp\"", "2026-03-07T14:05:09Z")
        .contains("\"fields\"");
  }

  @Test
  void refusesToStartWhenElasticsearchIsUnreachable() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = probe.getLocalPort();
    }
    SyslogBench bench =
        new SyslogBench(
            new SyslogBench.Options(
                new HostPort("127.0.0.1", 5514),
                URI.create("http://127.0.0.1:" + port),
                10,
                0,
                false,
                Duration.ofSeconds(5)));
    assertThatThrownBy(
            () ->
                bench.run(
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("http://127.0.0.1:" + port)
        .hasMessageContaining("not reachable");
  }

  @Test
  void optionsRejectNonsense() {
    HostPort target = new HostPort("127.0.0.1", 5514);
    URI es = URI.create("http://127.0.0.1:9200");
    assertThatThrownBy(
            () -> new SyslogBench.Options(target, es, 0, 0, false, Duration.ofSeconds(1)))
        .hasMessageContaining("--count");
    assertThatThrownBy(
            () -> new SyslogBench.Options(target, es, 1, -1, false, Duration.ofSeconds(1)))
        .hasMessageContaining("--rate");
  }

  @Test
  void reportsThroughputAndLatencyPercentiles() {
    Histogram latency = new Histogram(3_600_000L, 3);
    for (long ms = 1; ms <= 100; ms++) {
      latency.recordValue(ms * 10);
    }
    SyslogBench.Result result =
        new SyslogBench.Result(
            "bench-ab12",
            1000,
            Duration.ofSeconds(1),
            1000,
            Duration.ofSeconds(4),
            100,
            100,
            latency,
            stages(40),
            stages(60),
            false);
    assertThat(result.indexedPerSecond()).isEqualTo(250.0);
    assertThat(result.report())
        .contains("run bench-ab12: sent 1000 events (100 brute-force bursts)")
        .contains("indexed 1000 of 1000 events in 4.00 s: 250 events/s end to end")
        .contains("100 of 100 bursts alerted")
        .contains("p50 500 ms")
        .contains("max 1000 ms")
        .contains("received -> detected p50 40 ms, p99 40 ms")
        .contains("detected -> sent to Elasticsearch p50 60 ms, p99 60 ms");
  }

  private static Histogram stages(long millis) {
    Histogram h = new Histogram(3_600_000L, 3);
    h.recordValue(millis);
    return h;
  }
}
