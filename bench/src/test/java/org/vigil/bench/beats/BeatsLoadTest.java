package org.vigil.bench.beats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.collectors.beats.BeatsEventId;
import org.vigil.collectors.beats.BeatsServer;
import org.vigil.collectors.beats.BeatsServerConfig;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.model.Payloads;

/** The load against the real Beats server, with a {@link MockProducer} in place of Kafka. */
class BeatsLoadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MockProducer<byte[], byte[]> producer;
  private RawRecordPublisher publisher;
  private BeatsServer server;
  private Thread kafka;

  @AfterEach
  void stop() throws InterruptedException {
    if (kafka != null) {
      kafka.interrupt();
      kafka.join(5_000);
    }
    if (server != null) {
      server.close();
    }
    if (publisher != null) {
      publisher.close(Duration.ZERO);
    }
  }

  private InetSocketAddress start(boolean autoComplete) {
    producer =
        new MockProducer<>(
            autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    publisher = new RawRecordPublisher(producer);
    server =
        new BeatsServer(
            BeatsServerConfig.defaults("bench-test").withBindHost("127.0.0.1").withPort(0),
            publisher);
    server.start();
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
  }

  @Test
  void everyEventOfEveryClientIsAcknowledgedAndReachesKafkaAsItsOwnDocument() throws Exception {
    InetSocketAddress target = start(true);
    BeatsLoad load =
        new BeatsLoad(BeatsLoad.Settings.of(target, 3, 5_000, 512, "run-1").withInFlight(2));

    BeatsLoad.Result result = load.run();

    assertThat(result.acked()).isEqualTo(5_000);
    assertThat(load.acked()).isEqualTo(5_000);
    // 1,667 + 1,667 + 1,666 events: 4 windows each.
    assertThat(result.windows()).isEqualTo(12);
    assertThat(result.resentWindows()).isZero();
    assertThat(result.compressedBytes()).isPositive();
    List<byte[]> events = events(producer.history());
    assertThat(events).hasSize(5_000);
    Set<String> ids = new HashSet<>();
    Set<Object> runs = new HashSet<>();
    for (byte[] value : events) {
      Map<String, Object> event = JSON.readValue(value, new TypeReference<>() {});
      ids.add(BeatsEventId.of(event));
      runs.add(((Map<?, ?>) event.get("labels")).get("bench_run"));
    }
    assertThat(ids).hasSize(5_000);
    assertThat(runs).containsExactly("run-1");
    assertThat(server.metrics().acks()).isEqualTo(12);
  }

  @Test
  void resendsAWindowKafkaRefusedAfterReconnectingAndItsEventsKeepTheirIds() throws Exception {
    InetSocketAddress target = start(false);
    kafka = new Thread(this::refuseTheFirstRecordThenConfirmAll, "mock-kafka");
    kafka.setDaemon(true);
    kafka.start();
    BeatsLoad load = new BeatsLoad(BeatsLoad.Settings.of(target, 2, 1_000, 100, "run-2"));

    BeatsLoad.Result result = load.run();

    assertThat(result.acked()).isEqualTo(1_000);
    assertThat(result.reconnects()).isEqualTo(1);
    assertThat(result.resentWindows()).isEqualTo(1);
    Set<String> ids = new HashSet<>();
    List<byte[]> events = events(producer.history());
    for (byte[] event : events) {
      ids.add(BeatsEventId.of(JSON.readValue(event, new TypeReference<>() {})));
    }
    assertThat(events.size()).isGreaterThan(1_000);
    assertThat(ids).hasSize(1_000);
  }

  /** The events in the records the Beats collector wrote, in order. */
  private static List<byte[]> events(List<ProducerRecord<byte[], byte[]>> records) {
    List<byte[]> events = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> record : records) {
      Header count = record.headers().lastHeader(Payloads.HEADER_COUNT);
      events.addAll(Payloads.split(record.value(), count == null ? null : count.value()));
    }
    return events;
  }

  private void refuseTheFirstRecordThenConfirmAll() {
    boolean refused = false;
    while (!Thread.currentThread().isInterrupted()) {
      boolean progressed;
      if (!refused) {
        progressed = producer.errorNext(new NotEnoughReplicasException("broker down"));
        refused = progressed;
      } else {
        progressed = producer.completeNext();
      }
      if (!progressed) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  @Test
  void failsNamingTheTargetWhenNothingListensThere() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    BeatsLoad load =
        new BeatsLoad(
            new BeatsLoad.Settings(target, 1, 10, 5, 1, "run-3", Duration.ofSeconds(2), 0));

    assertThatThrownBy(load::run)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Beats client 0 to")
        .hasMessageContaining(String.valueOf(port))
        .hasMessageContaining("after 0 reconnects");
  }

  @Test
  void sharesTheEventsOutOverTheClientsInWindowsOfTheChosenSize() {
    BeatsLoad.Settings settings =
        BeatsLoad.Settings.of(new InetSocketAddress("127.0.0.1", 1), 3, 10, 2, "run-4");

    assertThat(
            List.of(0, 1, 2).stream()
                .map(c -> BeatsLoad.windowsOf(settings, c, "2024-01-01T00:00:00Z"))
                .map(ws -> ws.stream().map(BeatsLoad::countOf).toList())
                .toList())
        .containsExactly(List.of(2, 2), List.of(2, 1), List.of(2, 1));
  }

  @Test
  void refusesSettingsTheServerOrTheJsonCouldNotTake() {
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", 1);
    assertThatThrownBy(() -> BeatsLoad.Settings.of(target, 1, 10, 0, "r"))
        .hasMessageContaining("window must be between 1 and 10000");
    assertThatThrownBy(() -> BeatsLoad.Settings.of(target, 1, 10, 20_000, "r"))
        .hasMessageContaining("window must be between 1 and 10000");
    assertThatThrownBy(() -> BeatsLoad.Settings.of(target, 0, 10, 5, "r"))
        .hasMessageContaining("clients must be at least 1");
    assertThatThrownBy(() -> BeatsLoad.Settings.of(target, 1, 0, 5, "r"))
        .hasMessageContaining("events must be between 1");
    assertThatThrownBy(() -> BeatsLoad.Settings.of(target, 1, 10, 5, "a\"b"))
        .hasMessageContaining("run id must be");
    assertThatThrownBy(() -> BeatsLoad.Settings.of(target, 1, 10, 5, "r").withInFlight(0))
        .hasMessageContaining("windows in flight must be at least 1");
  }
}
