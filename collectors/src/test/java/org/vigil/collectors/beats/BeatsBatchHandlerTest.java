package org.vigil.collectors.beats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.collectors.beats.BeatsChannelFixture.ack;
import static org.vigil.collectors.beats.BeatsFrameDecoderTest.compressed;
import static org.vigil.collectors.beats.BeatsFrameDecoderTest.concat;
import static org.vigil.collectors.beats.BeatsFrameDecoderTest.dataFrame;
import static org.vigil.collectors.beats.BeatsFrameDecoderTest.json;
import static org.vigil.collectors.beats.BeatsFrameDecoderTest.window;

import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.model.Envelope;
import org.vigil.model.Payloads;
import org.vigil.model.Protocol;
import org.vigil.model.Topics;

class BeatsBatchHandlerTest {
  private static ResourceLeakDetector.Level previousLevel;

  @BeforeAll
  static void paranoidLeakDetection() {
    previousLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterAll
  static void restoreLeakDetection() {
    ResourceLeakDetector.setLevel(previousLevel);
  }

  @Test
  void acknowledgesAWindowOnlyAfterKafkaAcknowledgedEveryEventOfIt() {
    try (BeatsChannelFixture f = new BeatsChannelFixture(BeatsChannelFixture.config(), false)) {
      f.write(concat(window('2', 3), json('2', 1, "{\"n\":1}"), json('2', 2, "{\"n\":2}")));
      f.write(json('2', 3, "{\"n\":3}"));
      // One record per read: the events read at once, then the one that completed the window.
      assertThat(f.producer.history()).hasSize(2);
      assertThat(f.publishedValues()).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
      assertThat(f.replies()).isEmpty();

      assertThat(f.producer.completeNext()).isTrue();
      assertThat(f.replies()).isEmpty();

      assertThat(f.producer.completeNext()).isTrue();
      assertThat(f.replies()).isEqualTo(ack('2', 3));
      assertThat(f.metrics.acks()).isEqualTo(1);
      assertThat(f.metrics.published()).isEqualTo(3);
      assertThat(f.allReleased()).isTrue();
    }
  }

  @Test
  void acknowledgesPipelinedWindowsEachInTurn() {
    try (BeatsChannelFixture f = new BeatsChannelFixture(BeatsChannelFixture.config(), false)) {
      f.write(
          concat(
              window('2', 1),
              json('2', 1, "{\"w\":1}"),
              window('2', 2),
              json('2', 1, "{\"w\":2}"),
              json('2', 2, "{\"w\":2}")));
      // A record never spans two windows.
      assertThat(f.producer.history()).hasSize(2);
      f.producer.completeNext();
      assertThat(f.replies()).isEqualTo(ack('2', 1));
      f.producer.completeNext();
      assertThat(f.replies()).isEqualTo(ack('2', 2));
    }
  }

  @Test
  void doesNotAcknowledgeAnEventWhoseEarlierNeighbourKafkaHasNotAcknowledged() {
    try (BeatsChannelFixture f = new BeatsChannelFixture(BeatsChannelFixture.config(), false)) {
      f.write(concat(window('2', 2), json('2', 1, "{}")));
      f.write(json('2', 2, "{}"));
      // Two reads, two records. MockProducer completes in send order; fail the first, so the
      // second's success alone must not produce an ACK.
      f.producer.errorNext(new RecordTooLargeException("too large"));
      f.producer.completeNext();
      assertThat(f.replies()).isEmpty();
      assertThat(f.channel.isOpen()).isFalse();
      assertThat(f.metrics.publishFailures()).isEqualTo(1);
    }
  }

  @Test
  void sendsKeepAliveAcksWithTheSequenceAcknowledgedSoFarWhileAWindowWaits() throws Exception {
    BeatsServerConfig config =
        BeatsChannelFixture.config().withKeepAliveInterval(Duration.ofMillis(20));
    try (BeatsChannelFixture f = new BeatsChannelFixture(config, false)) {
      f.write(concat(window('2', 2), json('2', 1, "{}")));
      f.write(json('2', 2, "{}"));
      f.replies();
      assertThat(awaitReply(f)).isEqualTo(ack('2', 0));

      f.producer.completeNext();
      assertThat(f.replies()).isEmpty();
      assertThat(awaitReply(f)).isEqualTo(ack('2', 1));

      f.producer.completeNext();
      assertThat(f.replies()).isEqualTo(ack('2', 2));
      assertThat(f.metrics.keepAlives()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void sendsNoKeepAliveWhenNothingWaits() throws Exception {
    BeatsServerConfig config =
        BeatsChannelFixture.config().withKeepAliveInterval(Duration.ofMillis(10));
    try (BeatsChannelFixture f = new BeatsChannelFixture(config, true)) {
      f.write(concat(window('2', 1), json('2', 1, "{}")));
      assertThat(f.replies()).isEqualTo(ack('2', 1));
      Thread.sleep(50);
      f.channel.runScheduledPendingTasks();
      assertThat(f.replies()).isEmpty();
      assertThat(f.metrics.keepAlives()).isZero();
    }
  }

  @Test
  void closesTheConnectionWithoutAckWhenKafkaRefusesAnEvent() {
    try (BeatsChannelFixture f = new BeatsChannelFixture(BeatsChannelFixture.config(), false)) {
      f.write(concat(window('2', 1), json('2', 1, "{}")));
      f.producer.errorNext(new RecordTooLargeException("too large"));
      assertThat(f.replies()).isEmpty();
      assertThat(f.channel.isOpen()).isFalse();
      assertThat(f.metrics.publishFailures()).isEqualTo(1);
      assertThat(f.metrics.acks()).isZero();
    }
  }

  @Test
  void closesAndCountsACompressionBomb() {
    BeatsServerConfig config =
        BeatsChannelFixture.config()
            .withLimits(LumberjackLimits.defaults().withMaxInflatedBytes(1024 * 1024));
    try (BeatsChannelFixture f = new BeatsChannelFixture(config, true)) {
      byte[] zeros = new byte[64 * 1024 * 1024];
      f.write(concat(window('2', 1), compressed('2', zeros)));
      assertThat(f.channel.isOpen()).isFalse();
      assertThat(f.metrics.inflateLimitHits()).isEqualTo(1);
      assertThat(f.metrics.malformed()).isZero();
      assertThat(f.producer.history()).isEmpty();
      assertThat(f.replies()).isEmpty();
      assertThat(f.allReleased()).isTrue();
    }
  }

  @Test
  void closesOnAnEventOutsideAWindow() {
    try (BeatsChannelFixture f = new BeatsChannelFixture(BeatsChannelFixture.config(), true)) {
      f.write(json('2', 1, "{}"));
      assertThat(f.channel.isOpen()).isFalse();
      assertThat(f.metrics.malformed()).isEqualTo(1);
      assertThat(f.producer.history()).isEmpty();
    }
  }

  @Test
  void closesOnAWindowFrameBeforeThePreviousWindowWasFull() {
    try (BeatsChannelFixture f = new BeatsChannelFixture(BeatsChannelFixture.config(), true)) {
      f.write(concat(window('2', 2), json('2', 1, "{}"), window('2', 1)));
      assertThat(f.channel.isOpen()).isFalse();
      assertThat(f.metrics.malformed()).isEqualTo(1);
      assertThat(f.replies()).isEmpty();
    }
  }

  @Test
  void echoesVersionOneInTheAckOfAVersionOneWindow() {
    try (BeatsChannelFixture f = new BeatsChannelFixture(BeatsChannelFixture.config(), true)) {
      f.write(concat(window('1', 2), dataFrame(41, "line", "a"), dataFrame(42, "line", "b")));
      assertThat(f.replies()).isEqualTo(ack('1', 42));
      assertThat(f.publishedValues()).containsExactly("{\"line\":\"a\"}", "{\"line\":\"b\"}");
      ProducerRecord<byte[], byte[]> record = f.producer.history().get(0);
      assertThat(record.headers().lastHeader(BeatsForwarder.HEADER_VERSION).value())
          .containsExactly('1');
      assertThat(record.headers().lastHeader(BeatsForwarder.HEADER_FRAME).value())
          .containsExactly('D');
    }
  }

  @Test
  void publishesEachEventUntouchedToTheRawBeatsTopicWithItsEnvelope() {
    try (BeatsChannelFixture f = new BeatsChannelFixture(BeatsChannelFixture.config(), true)) {
      String event = "{\"@metadata\":{\"_id\":\"abc\"},  \"message\":\"x\"}";
      f.write(concat(window('2', 1), compressed('2', json('2', 1, event))));
      ProducerRecord<byte[], byte[]> record = f.producer.history().get(0);
      assertThat(record.topic()).isEqualTo(Topics.RAW_BEATS);
      assertThat(record.headers().lastHeader(Payloads.HEADER_COUNT).value()).containsExactly('1');
      assertThat(Payloads.split(record.value(), new byte[] {'1'}))
          .singleElement()
          .extracting(value -> new String(value, StandardCharsets.UTF_8))
          .isEqualTo(event);
      Envelope envelope =
          Envelope.fromHeaders(
              name -> {
                var header = record.headers().lastHeader(name);
                return header == null ? null : header.value();
              });
      assertThat(envelope.protocol()).isEqualTo(Protocol.BEATS);
      assertThat(envelope.collectorId()).isEqualTo("beats-test");
      assertThat(record.headers().lastHeader(BeatsForwarder.HEADER_VERSION).value())
          .containsExactly('2');
      assertThat(record.headers().lastHeader(BeatsForwarder.HEADER_FRAME).value())
          .containsExactly('J');
      assertThat(f.metrics.received()).isEqualTo(1);
      assertThat(f.metrics.receivedBytes()).isEqualTo(event.length());
    }
  }

  @Test
  void stopsReadingWhileTooManyEventsWaitForKafkaAndResumesAtHalf() {
    BeatsServerConfig config = BeatsChannelFixture.config().withMaxAwaitingKafka(4);
    try (BeatsChannelFixture f = new BeatsChannelFixture(config, false)) {
      f.write(concat(window('2', 4), json('2', 1, "{}")));
      f.write(json('2', 2, "{}"));
      f.write(json('2', 3, "{}"));
      assertThat(f.channel.config().isAutoRead()).isTrue();
      f.write(json('2', 4, "{}"));
      assertThat(f.channel.config().isAutoRead()).isFalse();
      assertThat(f.producer.history()).hasSize(4);

      f.producer.completeNext();
      assertThat(f.channel.config().isAutoRead()).isFalse();
      f.producer.completeNext();
      assertThat(f.channel.config().isAutoRead()).isTrue();
    }
  }

  @Test
  void closesAnIdleConnectionButNotOneWaitingForKafka() throws Exception {
    BeatsServerConfig config = BeatsChannelFixture.config().withIdleTimeout(Duration.ofMillis(20));
    try (BeatsChannelFixture f = new BeatsChannelFixture(config, false)) {
      f.write(concat(window('2', 1), json('2', 1, "{}")));
      Thread.sleep(60);
      f.channel.runScheduledPendingTasks();
      assertThat(f.channel.isOpen()).isTrue();

      f.producer.completeNext();
      assertThat(f.replies()).isEqualTo(ack('2', 1));
      Thread.sleep(60);
      f.channel.runScheduledPendingTasks();
      assertThat(f.channel.isOpen()).isFalse();
    }
  }

  @Test
  void closesOnRandomGarbageAfterAValidWindowWithoutCrashingOrLeaking() {
    java.util.Random random = new java.util.Random(5044);
    for (int run = 0; run < 300; run++) {
      byte[] garbage = new byte[1 + random.nextInt(2048)];
      random.nextBytes(garbage);
      try (BeatsChannelFixture f = new BeatsChannelFixture(BeatsChannelFixture.config(), true)) {
        f.write(concat(window('2', 1), json('2', 1, "{}")));
        assertThat(f.replies()).isEqualTo(ack('2', 1));
        f.write(garbage);
        f.replies();
        // Garbage that happens to start like a frame may wait for more bytes; never an error.
        if (!f.channel.isOpen()) {
          assertThat(f.metrics.malformed() + f.metrics.inflateLimitHits()).isEqualTo(1);
        }
        assertThat(f.allReleased()).isTrue();
      }
    }
  }

  @Test
  void gathersTheEventsOfACompressedWindowIntoOneRecord() {
    try (BeatsChannelFixture f = new BeatsChannelFixture(BeatsChannelFixture.config(), false)) {
      byte[][] events = new byte[100][];
      for (int i = 0; i < events.length; i++) {
        events[i] = json('2', i + 1, "{\"n\":" + i + "}");
      }
      f.write(concat(window('2', events.length), compressed('2', concat(events))));

      assertThat(f.producer.history()).hasSize(1);
      assertThat(f.producer.history().get(0).headers().lastHeader(Payloads.HEADER_COUNT).value())
          .isEqualTo("100".getBytes(StandardCharsets.US_ASCII));
      assertThat(f.publishedValues()).hasSize(100).startsWith("{\"n\":0}").endsWith("{\"n\":99}");
      assertThat(f.metrics.awaitingKafka()).isEqualTo(100);
      f.producer.completeNext();
      assertThat(f.replies()).isEqualTo(ack('2', 100));
      assertThat(f.metrics.published()).isEqualTo(100);
      assertThat(f.metrics.awaitingKafka()).isZero();
    }
  }

  @Test
  void startsANewRecordBeforeOneWouldGrowPastItsLimit() {
    try (BeatsChannelFixture f = new BeatsChannelFixture(BeatsChannelFixture.config(), false)) {
      String large = "{\"m\":\"" + "x".repeat(BeatsForwarder.MAX_RECORD_BYTES / 2 - 20) + "\"}";
      String huge = "{\"m\":\"" + "y".repeat(BeatsForwarder.MAX_RECORD_BYTES + 10) + "\"}";
      f.write(
          concat(
              window('2', 5),
              json('2', 1, large),
              json('2', 2, large),
              json('2', 3, large),
              json('2', 4, huge),
              json('2', 5, "{}")));

      // Two large events fill a record; the third starts the next; one larger than a record
      // goes alone.
      assertThat(f.producer.history())
          .extracting(r -> new String(r.headers().lastHeader(Payloads.HEADER_COUNT).value()))
          .containsExactly("2", "1", "1", "1");
      assertThat(f.producer.history())
          .allSatisfy(
              r ->
                  assertThat(r.value().length)
                      .isLessThanOrEqualTo(
                          Math.max(BeatsForwarder.MAX_RECORD_BYTES, 4 + huge.length())));
      assertThat(f.publishedValues()).containsExactly(large, large, large, huge, "{}");
      for (int i = 0; i < 3; i++) {
        f.producer.completeNext();
        assertThat(f.replies()).isEmpty();
      }
      f.producer.completeNext();
      assertThat(f.replies()).isEqualTo(ack('2', 5));
    }
  }

  @Test
  void dropsEventsNotYetPublishedWhenTheConnectionBreaksMidRead() {
    try (BeatsChannelFixture f = new BeatsChannelFixture(BeatsChannelFixture.config(), true)) {
      // The second window frame breaks the protocol before the first window is complete.
      f.write(concat(window('2', 3), json('2', 1, "{}"), json('2', 2, "{}"), window('2', 1)));

      assertThat(f.channel.isOpen()).isFalse();
      assertThat(f.producer.history()).isEmpty();
      assertThat(f.metrics.received()).isEqualTo(2);
      assertThat(f.metrics.awaitingKafka()).isZero();
      assertThat(f.replies()).isEmpty();
    }
  }

  /** Runs the idle timers until something is written, for at most five seconds. */
  private static String awaitReply(BeatsChannelFixture f) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(5);
      f.channel.runScheduledPendingTasks();
      String replies = f.replies();
      if (!replies.isEmpty()) {
        return replies;
      }
    }
    return "";
  }
}
