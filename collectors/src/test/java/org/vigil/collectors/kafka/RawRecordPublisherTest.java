package org.vigil.collectors.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.vigil.model.Envelope;
import org.vigil.model.Protocol;
import org.vigil.model.Topics;
import org.vigil.model.Transport;

class RawRecordPublisherTest {
  private static final Envelope ENVELOPE =
      new Envelope(Protocol.SYSLOG, Transport.TCP, "2001:db8::7", 40512, 1_700_000_000_000L, "c1");

  private final List<Boolean> transitions = new CopyOnWriteArrayList<>();

  private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
    return new MockProducer<>(
        autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Test
  void publishesBytesWithKeyAndEnvelopeHeaders() {
    MockProducer<byte[], byte[]> producer = producer(true);
    RawRecordPublisher publisher = new RawRecordPublisher(producer);

    CompletableFuture<Void> done =
        publisher.publish(Topics.RAW_SYSLOG, bytes("2001:db8::7"), bytes("<13>hello"), ENVELOPE);

    assertThat(done).isCompleted();
    ProducerRecord<byte[], byte[]> record = producer.history().get(0);
    assertThat(record.topic()).isEqualTo("vigil.raw.syslog");
    assertThat(record.key()).isEqualTo(bytes("2001:db8::7"));
    assertThat(record.value()).isEqualTo(bytes("<13>hello"));
    Envelope back = Envelope.fromHeaders(name -> lastHeader(record, name));
    assertThat(back).isEqualTo(ENVELOPE);
    assertThat(publisher.publishedCount()).isEqualTo(1);
    assertThat(publisher.failedCount()).isZero();
    assertThat(publisher.bytesInFlight()).isZero();
  }

  @Test
  void addsExtraHeadersAfterTheEnvelope() {
    MockProducer<byte[], byte[]> producer = producer(true);
    RawRecordPublisher publisher = new RawRecordPublisher(producer);

    publisher.publish(
        "t", null, bytes("x"), ENVELOPE, Map.of("vigil.syslog.truncated", bytes("true")));

    assertThat(lastHeader(producer.history().get(0), "vigil.syslog.truncated"))
        .isEqualTo(bytes("true"));
  }

  @Test
  void writesExactlyTheEnvelopesHeadersInItsOrderWhateverTheSenderMix() {
    MockProducer<byte[], byte[]> producer = producer(true);
    RawRecordPublisher publisher = new RawRecordPublisher(producer);
    List<Envelope> envelopes = new ArrayList<>();
    for (Protocol protocol : Protocol.values()) {
      for (Transport transport : Transport.values()) {
        envelopes.add(new Envelope(protocol, transport, "10.0.0.1", 514, 1L, "c1"));
        envelopes.add(new Envelope(protocol, transport, "2001:db8::7", 0, -5L, "c1"));
        envelopes.add(
            new Envelope(protocol, transport, "10.0.0.1", 65_535, Long.MAX_VALUE, "kollektor-ü"));
        envelopes.add(new Envelope(protocol, transport, "10.0.0.2", 1, 0L, "c1"));
        // The same again: many records in a row share a sender and a millisecond.
        envelopes.add(new Envelope(protocol, transport, "10.0.0.2", 1, 0L, "c1"));
      }
    }
    Map<String, byte[]> extra = Map.of("vigil.syslog.truncated", bytes("true"));

    for (Envelope envelope : envelopes) {
      publisher.publish("t", null, bytes("x"), envelope, extra);
    }

    for (int i = 0; i < envelopes.size(); i++) {
      List<String> expected = new ArrayList<>();
      envelopes.get(i).toHeaders().forEach((name, value) -> expected.add(name + "=" + text(value)));
      expected.add("vigil.syslog.truncated=true");
      List<String> actual = new ArrayList<>();
      for (Header header : producer.history().get(i).headers()) {
        actual.add(header.key() + "=" + text(header.value()));
      }
      assertThat(actual).as("record %d", i).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void countsARecordKafkaRejects() {
    MockProducer<byte[], byte[]> producer = producer(false);
    RawRecordPublisher publisher = new RawRecordPublisher(producer);

    CompletableFuture<Void> done = publisher.publish("t", null, bytes("x"), ENVELOPE);
    producer.errorNext(new IllegalStateException("broker said no"));

    assertThat(done).isCompletedExceptionally();
    assertThat(publisher.failedCount()).isEqualTo(1);
    assertThat(publisher.publishedCount()).isZero();
    assertThat(publisher.bytesInFlight()).isZero();
  }

  @Test
  void becomesCongestedAtTheHighWatermarkAndDrainedAtTheLowOne() {
    MockProducer<byte[], byte[]> producer = producer(false);
    RawRecordPublisher publisher = new RawRecordPublisher(producer, 100, 40);
    publisher.addCongestionListener(transitions::add);

    publisher.publish("t", null, new byte[60], ENVELOPE);
    assertThat(publisher.isCongested()).isFalse();
    publisher.publish("t", null, new byte[60], ENVELOPE);
    assertThat(publisher.isCongested()).isTrue();
    assertThat(publisher.bytesInFlight()).isEqualTo(120);

    producer.completeNext();
    assertThat(publisher.isCongested()).as("60 bytes left, above the low watermark").isTrue();
    producer.completeNext();
    assertThat(publisher.isCongested()).isFalse();
    assertThat(transitions).containsExactly(true, false);
  }

  @Test
  void holdsRecordsInOrderWhileKafkaDoesNotTakeThemAndSendsThemLater() {
    MockProducer<byte[], byte[]> producer = producer(true);
    RawRecordPublisher publisher = new RawRecordPublisher(producer);
    publisher.addCongestionListener(transitions::add);
    producer.sendException = new TimeoutException("Topic not present in metadata after 10 ms.");

    CompletableFuture<Void> first = publisher.publish("t", null, bytes("1"), ENVELOPE);
    CompletableFuture<Void> second = publisher.publish("t", null, bytes("2"), ENVELOPE);

    assertThat(publisher.isCongested()).isTrue();
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
    producer.sendException = null;

    await().atMost(Duration.ofSeconds(10)).until(() -> first.isDone() && second.isDone());
    assertThat(producer.history())
        .extracting(r -> new String(r.value(), UTF_8))
        .containsExactly("1", "2");
    await().atMost(Duration.ofSeconds(5)).until(() -> !publisher.isCongested());
    assertThat(transitions).containsExactly(true, false);
    assertThat(publisher.publishedCount()).isEqualTo(2);
    assertThat(publisher.failedCount()).isZero();
  }

  @Test
  void stallsInsteadOfBlockingWhenARealProducerCannotReachKafka() {
    RawRecordPublisher publisher = RawRecordPublisher.create("127.0.0.1:1", "test", Map.of());
    long start = System.nanoTime();
    CompletableFuture<Void> done = publisher.publish("t", null, bytes("x"), ENVELOPE);
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(elapsedMillis).as("publish returned without waiting for Kafka").isLessThan(5_000);
    assertThat(done).isNotDone();
    assertThat(publisher.isCongested()).isTrue();

    publisher.close(Duration.ofMillis(200));
    assertThat(done).isCompletedExceptionally();
    assertThat(publisher.failedCount()).isEqualTo(1);
  }

  @Test
  void configuresADurableCompressedNonBlockingProducerThatNeverGivesUpOnARecord() {
    Map<String, Object> config =
        RawRecordPublisher.producerConfig(
            "k:9092", "c1", Map.of(ProducerConfig.LINGER_MS_CONFIG, 20));

    assertThat(config)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10)
        .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE)
        .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 20);
    assertThat((Long) config.get(ProducerConfig.BUFFER_MEMORY_CONFIG))
        .isGreaterThan(RawRecordPublisher.DEFAULT_HIGH_WATERMARK_BYTES);
  }

  private static byte[] lastHeader(ProducerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : header.value();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, UTF_8);
  }
}
