package org.vigil.collectors.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.collectors.syslog.SyslogCollectorFixture;
import org.vigil.collectors.syslog.SyslogServer;
import org.vigil.collectors.syslog.SyslogServerConfig;
import org.vigil.model.Envelope;
import org.vigil.model.Protocol;
import org.vigil.model.Transport;

class CollectorMetricsRegistryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SyslogServerConfig LOCAL =
      new SyslogServerConfig(
          "127.0.0.1",
          0,
          1024,
          SyslogServerConfig.DEFAULT_UDP_RECEIVE_BUFFER_BYTES,
          Duration.ofMinutes(1),
          "collector-test");
  private static final Envelope ENVELOPE =
      new Envelope(Protocol.SYSLOG, Transport.TCP, "192.0.2.7", 40512, 1_700_000_000_000L, "c1");

  @RegisterExtension final SyslogCollectorFixture collector = new SyslogCollectorFixture();
  private CollectorMetricsRegistry metrics;
  private MetricsHttpServer http;

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
    if (metrics != null) {
      metrics.close();
    }
  }

  private void startMetrics() {
    metrics = new CollectorMetricsRegistry();
    metrics.bindPublisher(collector.publisher());
    http = new MetricsHttpServer("127.0.0.1", 0, metrics.registry());
    http.start();
  }

  @Test
  void exposesSyslogCountersWithTheirInputTags() throws Exception {
    collector.publisher(true);
    collector.start(LOCAL);
    startMetrics();
    metrics.bindSyslog(collector.server());

    String overlong = "<13>" + "x".repeat(2000);
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      datagram(socket, "<13>udp one");
      datagram(socket, "<13>udp two");
      datagram(socket, overlong);
    }
    try (Socket socket = new Socket("127.0.0.1", collector.server().port())) {
      write(socket, "<13>tcp one\n<13>tcp two\n");
    }
    await().atMost(WAIT).until(() -> collector.server().metrics().published() == 5);
    long bytes = "<13>udp one".length() * 2L + overlong.length() + "<13>tcp one".length() * 2L;

    Map<String, Double> samples = scrape();

    assertThat(samples)
        .containsEntry("vigil_collector_received_total{input=\"syslog_udp\"}", 3.0)
        .containsEntry("vigil_collector_received_total{input=\"syslog_tcp\"}", 2.0)
        .containsEntry("vigil_collector_received_bytes_total{input=\"syslog\"}", (double) bytes)
        .containsEntry("vigil_collector_truncated_total{input=\"syslog\"}", 1.0)
        .containsEntry("vigil_collector_framing_errors_total{input=\"syslog_tcp\"}", 0.0)
        .containsEntry(
            "vigil_collector_dropped_total{input=\"syslog_udp\",reason=\"kafka_refused\"}", 0.0)
        .containsEntry("vigil_collector_published_total{input=\"syslog\"}", 5.0)
        .containsEntry("vigil_collector_publish_failures_total{input=\"syslog\"}", 0.0)
        .containsEntry("vigil_collector_tls_handshake_failures_total{input=\"syslog_tls\"}", 0.0)
        .containsEntry("vigil_collector_kafka_published_total", 5.0)
        .containsEntry("vigil_collector_kafka_failed_total", 0.0)
        .containsEntry("vigil_collector_kafka_inflight_bytes", 0.0)
        .containsEntry("vigil_collector_kafka_congested", 0.0)
        .containsEntry("vigil_collector_kafka_send_seconds_count", 5.0);
    assertThat(samples.keySet())
        .anyMatch(name -> name.startsWith("jvm_memory_used_bytes{area=\"heap\""))
        .anyMatch(name -> name.startsWith("system_cpu_count"));
    if (collector.server().kernelUdpDrops().isPresent()) {
      assertThat(samples)
          .containsEntry(
              "vigil_collector_dropped_total{input=\"syslog_udp\",reason=\"kernel_receive_buffer\"}",
              (double) collector.server().kernelUdpDrops().getAsLong());
    }
  }

  @Test
  void countsMessagesKafkaRefusedAsDroppedUdp() throws Exception {
    collector.publisher(false);
    collector.start(LOCAL);
    startMetrics();
    metrics.bindSyslog(collector.server());

    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      datagram(socket, "<13>refused");
    }
    await().atMost(WAIT).until(() -> collector.producer().history().size() == 1);
    collector.producer().errorNext(new IllegalStateException("broker said no"));
    await().atMost(WAIT).until(() -> collector.server().metrics().publishFailures() == 1);

    assertThat(scrape())
        .containsEntry(
            "vigil_collector_dropped_total{input=\"syslog_udp\",reason=\"kafka_refused\"}", 1.0)
        .containsEntry("vigil_collector_publish_failures_total{input=\"syslog\"}", 1.0)
        .containsEntry("vigil_collector_kafka_failed_total", 1.0)
        .containsEntry("vigil_collector_kafka_send_seconds_count", 0.0);
  }

  @Test
  void timesASendFromPublishToKafkasAcknowledgement() throws Exception {
    collector.publisher(false);
    startMetrics();

    CompletableFuture<Void> sent =
        collector.publisher().publish("t", null, "12345".getBytes(UTF_8), ENVELOPE);
    Map<String, Double> waiting = scrape();
    Thread.sleep(50);
    collector.producer().completeNext();
    await().atMost(WAIT).until(sent::isDone);
    Map<String, Double> acknowledged = scrape();

    assertThat(waiting)
        .containsEntry("vigil_collector_kafka_inflight_bytes", 5.0)
        .containsEntry("vigil_collector_kafka_send_seconds_count", 0.0);
    assertThat(acknowledged)
        .containsEntry("vigil_collector_kafka_inflight_bytes", 0.0)
        .containsEntry("vigil_collector_kafka_published_total", 1.0)
        .containsEntry("vigil_collector_kafka_send_seconds_count", 1.0);
    assertThat(acknowledged.get("vigil_collector_kafka_send_seconds_sum")).isBetween(0.05, 10.0);
    assertThat(acknowledged.get("vigil_collector_kafka_send_seconds_max")).isBetween(0.05, 10.0);
    assertThat(acknowledged)
        .containsEntry("vigil_collector_kafka_send_seconds_bucket{le=\"+Inf\"}", 1.0)
        .containsEntry("vigil_collector_kafka_send_seconds_bucket{le=\"0.025\"}", 0.0)
        .containsEntry("vigil_collector_kafka_send_seconds_bucket{le=\"120.0\"}", 1.0);
    assertThat(acknowledged.keySet())
        .filteredOn(name -> name.startsWith("vigil_collector_kafka_send_seconds_bucket"))
        .hasSize(17);
  }

  @Test
  void showsCongestionWhileTheBacklogIsAboveTheHighWatermark() throws Exception {
    collector.publisher(false, 10, 2);
    startMetrics();

    collector.publisher().publish("t", null, "0123456789ab".getBytes(UTF_8), ENVELOPE);
    Map<String, Double> congested = scrape();
    collector.producer().completeNext();
    Map<String, Double> drained = scrape();

    assertThat(congested)
        .containsEntry("vigil_collector_kafka_congested", 1.0)
        .containsEntry("vigil_collector_kafka_inflight_bytes", 12.0);
    assertThat(drained).containsEntry("vigil_collector_kafka_congested", 0.0);
  }

  @Test
  void stopsTimingSendsOnceClosed() {
    collector.publisher(true);
    startMetrics();
    collector.publisher().publish("t", null, "x".getBytes(UTF_8), ENVELOPE);
    metrics.close();
    CollectorMetricsRegistry second = new CollectorMetricsRegistry();
    try {
      // The first registry's listener is gone: a new one sees only sends made after it binds.
      collector.publisher().publish("t", null, "x".getBytes(UTF_8), ENVELOPE);
      second.bindPublisher(collector.publisher());
      collector.publisher().publish("t", null, "x".getBytes(UTF_8), ENVELOPE);

      assertThat(second.registry().get("vigil.collector.kafka.send").timer().count()).isEqualTo(1);
    } finally {
      second.close();
    }
  }

  @Test
  void aFailingLatencyListenerLosesNoRecord() {
    collector.publisher(true);
    collector
        .publisher()
        .setSendLatencyListener(
            nanos -> {
              throw new IllegalStateException("listener broke");
            });

    CompletableFuture<Void> sent =
        collector.publisher().publish("t", null, "x".getBytes(UTF_8), ENVELOPE);

    assertThat(sent).isCompleted();
    assertThat(collector.publisher().publishedCount()).isEqualTo(1);
    assertThat(collector.publisher().bytesInFlight()).isZero();
  }

  @Test
  void refusesToBindASyslogServerBeforeItStarts() {
    collector.publisher(true);
    SyslogServer unstarted = new SyslogServer(LOCAL, collector.publisher());
    metrics = new CollectorMetricsRegistry();

    assertThatThrownBy(() -> metrics.bindSyslog(unstarted))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("after starting it");
  }

  @Test
  void refusesASecondPublisherWhoseMetersWouldBeHidden() {
    collector.publisher(true);
    metrics = new CollectorMetricsRegistry();
    metrics.bindPublisher(collector.publisher());
    RawRecordPublisher other =
        new RawRecordPublisher(
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()));
    try {
      assertThatThrownBy(() -> metrics.bindPublisher(other))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already bound");
    } finally {
      other.close(Duration.ZERO);
    }
  }

  /** Sample lines of the scrape, keyed by name and labels as written. */
  private Map<String, Double> scrape() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + http.port() + MetricsHttpServer.PATH))
                    .timeout(WAIT)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Double> samples = new HashMap<>();
    for (String line : response.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  private void datagram(DatagramSocket socket, String message) throws IOException {
    byte[] bytes = message.getBytes(UTF_8);
    socket.send(
        new DatagramPacket(
            bytes, bytes.length, new InetSocketAddress("127.0.0.1", collector.server().port())));
  }

  private static void write(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(UTF_8));
    out.flush();
  }
}
