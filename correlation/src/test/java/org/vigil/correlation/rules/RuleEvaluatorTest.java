package org.vigil.correlation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.correlation.rules.AuthEvents.T0;
import static org.vigil.correlation.rules.AuthEvents.failure;
import static org.vigil.correlation.rules.AuthEvents.routed;
import static org.vigil.correlation.rules.AuthEvents.success;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;

class RuleEvaluatorTest {
  private KeyedOneInputStreamOperatorTestHarness<String, RoutedEvent, Finding> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new RuleEvaluator(50)), RoutedEvent::getKey, Types.STRING);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void send(Event e) throws Exception {
    harness.processElement(new StreamRecord<>(routed(e), e.getTimestamp()));
  }

  private List<Finding> findings() {
    return harness.extractOutputValues();
  }

  @Test
  void reportsTheFifthFailureWithinAMinute() throws Exception {
    for (int i = 0; i < 4; i++) {
      send(failure("e" + i, "203.0.113.9", T0 + i * 1000L));
    }
    assertThat(findings()).isEmpty();

    send(failure("e4", "203.0.113.9", T0 + 4000));

    assertThat(findings()).hasSize(1);
    Finding f = findings().get(0);
    assertThat(f.ruleId).isEqualTo("auth-brute-force");
    assertThat(f.group).containsEntry("source.ip", "203.0.113.9");
    assertThat(f.evidenceIds).containsExactlyInAnyOrder("e0", "e1", "e2", "e3", "e4");
    assertThat(f.firstSeen).isEqualTo(T0);
    assertThat(f.lastSeen).isEqualTo(T0 + 4000);
    assertThat(f.evidenceReceived).isEqualTo(T0 + 4100);
  }

  @Test
  void detectsOutOfOrderArrivalsInEventTime() throws Exception {
    long[] offsets = {4000, 0, 3000, 1000, 2000};
    for (int i = 0; i < offsets.length; i++) {
      send(failure("e" + i, "203.0.113.9", T0 + offsets[i]));
    }
    assertThat(findings()).hasSize(1);
    assertThat(findings().get(0).firstSeen).isEqualTo(T0);
    assertThat(findings().get(0).lastSeen).isEqualTo(T0 + 4000);
  }

  @Test
  void detectsALateEventThatTheWatermarkStillAllows() throws Exception {
    for (int i = 0; i < 4; i++) {
      send(failure("e" + i, "203.0.113.9", T0 + i * 1000L));
    }
    harness.processWatermark(T0 + 3000);
    send(failure("later", "203.0.113.9", T0 + 100_000)); // an unrelated newer failure
    send(failure("late", "203.0.113.9", T0 + 4000)); // late, yet within the watermark's bound

    assertThat(findings()).hasSize(1);
    assertThat(findings().get(0).evidenceIds).contains("e0", "late");
  }

  @Test
  void staysQuietForFailuresSpreadOverTenMinutes() throws Exception {
    for (int i = 0; i < 5; i++) {
      send(failure("e" + i, "203.0.113.9", T0 + i * 150_000L));
    }
    assertThat(findings()).isEmpty();
  }

  @Test
  void doesNotCountSuccesses() throws Exception {
    for (int i = 0; i < 4; i++) {
      send(failure("f" + i, "203.0.113.9", T0 + i * 1000L));
    }
    send(success("s", "203.0.113.9", T0 + 4500));
    assertThat(findings()).isEmpty();
  }

  @Test
  void ignoresAReplayedEvent() throws Exception {
    for (int i = 0; i < 5; i++) {
      send(failure("e" + i, "203.0.113.9", T0 + i * 1000L));
    }
    send(failure("e4", "203.0.113.9", T0 + 4000));
    assertThat(findings()).hasSize(1);
  }

  @Test
  void forgetsEverythingOnceTheWatermarkPassesTheWindow() throws Exception {
    for (int i = 0; i < 6; i++) {
      send(failure("e" + i, "203.0.113.9", T0 + i * 1000L));
    }
    assertThat(harness.numKeyedStateEntries()).isPositive();
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.processWatermark(T0 + 5000 + 60_000);

    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void keepsAtMostTheBoundOfFactsPerGroup() throws Exception {
    for (int i = 0; i < 80; i++) {
      send(failure("e" + i, "203.0.113.9", T0 + i * 10L));
    }
    // Each arrival re-reports a window ending at itself, never more than the bound + 1 events.
    assertThat(findings())
        .allSatisfy(f -> assertThat(f.evidenceIds.size()).isLessThanOrEqualTo(51));
  }
}
