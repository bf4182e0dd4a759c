package org.vigil.correlation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.correlation.rules.RuleStageHarness.release;

import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;

class RuleEvaluatorAbsenceTest {
  private static final long T0 = 1_764_000_000_000L;
  private static final long ABSENCE = 600_000L;
  private static final String SILENT_SOURCE =
      "package test.rules;\n"
          + "import org.vigil.model.Event;\n"
          + "global org.vigil.rules.engine.Detections detections;\n"
          + "rule \"A source silent for ten minutes\" @id(\"silent\") @severity(\"medium\")"
          + " @groupBy(\"observer.ip\") @window(\"10m\") @absence(\"10m\")\n"
          + "when\n  $last : Event( $ip : text(\"observer.ip\") != null )\n"
          + "  not Event( this after[1ms, 10m] $last )\n"
          + "then\n  detections.raise( $last );\nend\n";

  private KeyedBroadcastOperatorTestHarness<String, RoutedEvent, String, Finding> harness;

  @BeforeEach
  void open() throws Exception {
    harness = RuleStageHarness.evaluator(null);
    harness.processBroadcastElement(release("ops", 1, Map.of("silent.drl", SILENT_SOURCE)), 0);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void send(String id, long at) throws Exception {
    Event e = new Event(id, at).put("observer.ip", "192.0.2.9");
    harness.processElement(new RoutedEvent("ops", "silent", 1, "observer.ip=192.0.2.9", e), at);
  }

  private List<Finding> findings() {
    return harness.extractOutputValues();
  }

  @Test
  void theEndOfABoundedInputIsNoSilence() throws Exception {
    send("a", T0);

    harness.processWatermark(Long.MAX_VALUE);

    assertThat(findings()).isEmpty();
  }

  @Test
  void holdsOnlyTheNewestEventOfTheGroup() throws Exception {
    for (int i = 0; i < 50; i++) {
      send("e" + i, T0 + i * 1000L);
    }
    send("late", T0 + 10_000); // older than the newest: the deadline stays

    assertThat(RuleStageHarness.facts(harness, "ops/silent|observer.ip=192.0.2.9"))
        .extracting(Event::getId)
        .containsExactly("e49");
    harness.watermark(T0 + 49_000 + ABSENCE + 1);
    assertThat(findings())
        .singleElement()
        .satisfies(f -> assertThat(f.evidenceIds).containsExactly("e49"));
  }

  @Test
  void raisesOnceWhenTheSourceStaysSilentPastTheAbsence() throws Exception {
    send("a", T0);
    send("b", T0 + 60_000);
    assertThat(findings()).isEmpty();

    harness.watermark(T0 + 60_000 + ABSENCE);
    assertThat(findings()).isEmpty();

    harness.watermark(T0 + 60_000 + ABSENCE + 1);
    assertThat(findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.ruleId).isEqualTo("silent");
              assertThat(f.evidenceIds).containsExactly("b");
              assertThat(f.group).containsEntry("observer.ip", "192.0.2.9");
              assertThat(f.ruleset).isEqualTo("ops");
            });

    harness.watermark(T0 + 10 * ABSENCE);
    assertThat(findings()).hasSize(1);
    assertThat(RuleStageHarness.keyedStateEntries(harness)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void staysQuietWhenAnEventArrivesInTime() throws Exception {
    send("a", T0);
    harness.watermark(T0 + ABSENCE - 1000);
    send("b", T0 + ABSENCE - 500);

    harness.watermark(T0 + ABSENCE + 1);
    assertThat(findings()).isEmpty();
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.watermark(T0 + ABSENCE - 500 + ABSENCE + 1);
    assertThat(findings())
        .singleElement()
        .satisfies(f -> assertThat(f.evidenceIds).containsExactly("b"));
  }

  @Test
  void aLateEventDoesNotMoveTheDeadline() throws Exception {
    send("b", T0 + 60_000);
    send("a", T0); // older than the newest: the source was not silent for less

    harness.watermark(T0 + 60_000 + ABSENCE + 1);

    assertThat(findings()).hasSize(1);
  }
}
