package org.vigil.correlation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.correlation.rules.AuthEvents.T0;
import static org.vigil.correlation.rules.AuthEvents.failure;
import static org.vigil.correlation.rules.AuthEvents.routed;
import static org.vigil.correlation.rules.AuthEvents.success;

import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;

class RuleEvaluatorTest {
  private static final String UNJOINED_BRUTE_FORCE =
      """
      package test.unjoined;
      import java.util.List;
      import org.vigil.model.Event;
      global org.vigil.rules.engine.Detections detections;
      rule "Five failures in the group, no join on the address"
        @id("auth-brute-force") @version(2) @severity("high") @technique("T1110")
        @groupBy("source.ip") @window("60s") @suppress("10m") @category("authentication")
      when
        $trigger : Event( outcome == "failure" )
        $all : List( 5 <= size ) from collect(
            Event( outcome == "failure", this before[0s, 60s] $trigger ) )
      then
        detections.raise( $all );
      end
      """;

  private static final String SINGLE_AND_THRESHOLD =
      """
      package test.single;
      import java.util.List;
      import org.vigil.model.Event;
      global org.vigil.rules.engine.Detections detections;
      rule "A failed root login"
        @id("root-login") @version(1) @severity("low") @technique("T1078")
        @groupBy("source.ip") @category("authentication")
      when
        $e : Event( outcome == "failure", userName == "root" )
      then
        detections.raise( $e );
      end
      rule "Five failures in a minute"
        @id("auth-brute-force") @version(2) @severity("high") @technique("T1110")
        @groupBy("source.ip") @window("60s") @suppress("10m") @category("authentication")
      when
        $trigger : Event( outcome == "failure", $ip : sourceIp )
        $all : List( size >= 5 ) from collect(
            Event( outcome == "failure", sourceIp == $ip, this before[0s, 60s] $trigger ) )
      then
        detections.raise( $all );
      end
      """;

  private static final String EIGHT_FAILURES =
      """
      package test.eight;
      import java.util.Set;
      import org.vigil.model.Event;
      global org.vigil.rules.engine.Detections detections;
      rule "Eight failures in a minute"
        @id("auth-brute-force") @version(2) @severity("high") @technique("T1110")
        @groupBy("source.ip") @window("60s") @suppress("10m") @category("authentication")
      when
        $trigger : Event( outcome == "failure", $ip : sourceIp )
        $all : Set( size >= 8 ) from collect(
            Event( outcome == "failure", sourceIp == $ip, this before[0s, 60s] $trigger ) )
      then
        detections.raise( $all );
      end
      """;

  private KeyedBroadcastOperatorTestHarness<String, RoutedEvent, String, Finding> harness;

  @BeforeEach
  void open() throws Exception {
    harness = RuleStageHarness.evaluator(null);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void send(Event e) throws Exception {
    harness.processElement(routed(e), e.getTimestamp());
  }

  private List<Finding> findings() {
    return harness.extractOutputValues();
  }

  @Test
  void aGroupWhoseSessionWasEvictedIsRebuiltFromStateAndStillDetects() throws Exception {
    harness.close();
    harness = RuleStageHarness.evaluator(null, 1); // room for one live session only
    for (int i = 0; i < 7; i++) {
      // Two groups in turn: once both hold enough facts for sessions of their own, each event
      // evicts the other group's session.
      send(failure("a" + i, "203.0.113.1", T0 + i * 1000L));
      send(failure("b" + i, "203.0.113.2", T0 + i * 1000L));
    }

    assertThat(findings())
        .extracting(f -> f.group.get("source.ip"))
        .containsExactly(
            "203.0.113.1",
            "203.0.113.2",
            "203.0.113.1",
            "203.0.113.2",
            "203.0.113.1",
            "203.0.113.2");
    assertThat(findings().get(5).evidenceIds)
        .containsExactly("b0", "b1", "b2", "b3", "b4", "b5", "b6");
  }

  @Test
  void groupsWithFewFactsShareTheScratchSessionWithoutSeeingEachOther() throws Exception {
    // A rule that relies on the engine's grouping alone: it does not join on the address. Its
    // threshold is written in a form the stage does not read a minimum from, so every event of
    // these groups goes through the scratch session.
    harness.processBroadcastElement(
        RuleStageHarness.release("vigil", 1, Map.of("auth.drl", UNJOINED_BRUTE_FORCE)), 0);
    // Four failures from each of many addresses, interleaved: every group stays below a session
    // of its own, and no group may count another's failures (together they are far above five).
    for (int i = 0; i < 4; i++) {
      for (int g = 0; g < 20; g++) {
        send(failure("g" + g + "-" + i, "198.51.100." + g, T0 + i * 1000L + g));
      }
    }
    assertThat(findings()).isEmpty();

    send(failure("g7-4", "198.51.100.7", T0 + 4000L + 7));

    assertThat(findings()).hasSize(1);
    assertThat(findings().get(0).evidenceIds)
        .containsExactly("g7-0", "g7-1", "g7-2", "g7-3", "g7-4");
  }

  @Test
  void aGroupBelowTheRulesMinimumIsHeldWithoutASessionAndDetectsOnReachingIt() throws Exception {
    harness.processBroadcastElement(
        RuleStageHarness.release("vigil", 1, Map.of("auth.drl", EIGHT_FAILURES)), 0);
    for (int i = 0; i < 7; i++) {
      send(failure("e" + i, "203.0.113.9", T0 + i * 1000L));
    }
    send(failure("e6", "203.0.113.9", T0 + 6000)); // a replay is still not held twice

    // Without the minimum, the group would have had a live session since its fifth event.
    assertThat(findings()).isEmpty();
    assertThat(evaluator().cachedSessions()).isZero();
    assertThat(RuleStageHarness.facts(harness, "vigil/auth-brute-force|source.ip=203.0.113.9"))
        .hasSize(7);

    send(failure("e7", "203.0.113.9", T0 + 7000));

    assertThat(findings()).hasSize(1);
    assertThat(findings().get(0).evidenceIds)
        .containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7");
    assertThat(evaluator().cachedSessions()).isEqualTo(1);
  }

  @Test
  void anEventOfASingleEventRuleArrivingOutOfOrderStaysInTheScratchSession() throws Exception {
    // The pack's longest window (60 s) is how long Drools keeps an event: one that arrives 5 s
    // behind the scratch session's clock is still safe there, though its own rule has no window.
    harness.processBroadcastElement(
        RuleStageHarness.release("vigil", 1, Map.of("auth.drl", SINGLE_AND_THRESHOLD)), 0);
    harness.processElement(
        routedTo("root-login", failure("new", "198.51.100.1", T0 + 10_000)), T0 + 10_000);
    harness.processElement(
        routedTo("root-login", failure("old", "198.51.100.2", T0 + 5_000)), T0 + 5_000);

    assertThat(findings()).extracting(f -> f.evidenceIds.get(0)).containsExactly("new", "old");
    assertThat(evaluator().cachedSessions()).isZero();
  }

  private RuleEvaluator evaluator() {
    return (RuleEvaluator)
        ((org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator<?, ?>)
                harness.getOperator())
            .getUserFunction();
  }

  private static RoutedEvent routedTo(String ruleId, Event e) {
    return new RoutedEvent("vigil", ruleId, 1, "source.ip=" + e.getSourceIp(), e);
  }

  @Test
  void aReplayOfAGroupWithFewFactsIsNotCountedTwice() throws Exception {
    send(failure("e0", "203.0.113.9", T0));
    send(failure("e1", "203.0.113.9", T0 + 1000));
    send(failure("e1", "203.0.113.9", T0 + 1000));

    assertThat(RuleStageHarness.facts(harness, "vigil/auth-brute-force|source.ip=203.0.113.9"))
        .hasSize(2);
  }

  @Test
  void aReplayedEventIsNotCountedTwice() throws Exception {
    for (int i = 0; i < 4; i++) {
      send(failure("e" + i, "203.0.113.9", T0 + i * 1000L));
    }
    send(failure("e3", "203.0.113.9", T0 + 3000));

    assertThat(findings()).isEmpty();
    assertThat(RuleStageHarness.facts(harness, "vigil/auth-brute-force|source.ip=203.0.113.9"))
        .hasSize(4);
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
    harness.watermark(T0 + 3000);
    send(failure("later", "203.0.113.9", T0 + 100_000)); // an unrelated newer failure
    send(failure("late", "203.0.113.9", T0 + 4000)); // late, yet within the watermark's bound

    assertThat(findings()).hasSize(1);
    assertThat(findings().get(0).evidenceIds).contains("e0", "late");
  }

  @Test
  void aMatchIsReportedOnceWhileItsWindowSlides() throws Exception {
    for (int i = 0; i < 6; i++) {
      send(failure("e" + i, "203.0.113.9", T0 + i * 10_000L));
    }
    assertThat(findings()).extracting(f -> f.lastSeen).containsExactly(T0 + 40_000, T0 + 50_000);

    // The cleanup at the end of e0's window forgets it, and e5's window still holds five failures:
    // that is no new match, and no second finding for e5.
    harness.watermark(T0 + 60_000);
    send(failure("e6", "203.0.113.9", T0 + 62_000));

    assertThat(findings())
        .extracting(f -> f.lastSeen)
        .containsExactly(T0 + 40_000, T0 + 50_000, T0 + 62_000);
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
    assertThat(RuleStageHarness.keyedStateEntries(harness)).isPositive();
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.watermark(T0 + 5000 + 60_000);

    assertThat(RuleStageHarness.keyedStateEntries(harness)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aGroupHasOneCleanupTimerWhileItHoldsFactsAndNoneAfter() throws Exception {
    send(failure("a0", "203.0.113.9", T0));
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    send(failure("a1", "203.0.113.9", T0 + 30_000)); // holds a fact already: no second timer
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.watermark(T0 + 60_000); // a0's window ends; a1's goes on, and its timer with it
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    assertThat(RuleStageHarness.keyedStateEntries(harness)).isPositive();

    harness.watermark(T0 + 90_000);
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(RuleStageHarness.keyedStateEntries(harness)).isZero();

    send(failure("a2", "203.0.113.9", T0 + 200_000)); // the emptied group starts again
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    harness.watermark(T0 + 260_000);
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(RuleStageHarness.keyedStateEntries(harness)).isZero();
  }

  @Test
  void cleanupsFallOnEvenMillisecondsAndDeadlinesOnOddOnesAtMostOneLater() {
    assertThat(RuleEvaluator.cleanupTime(T0)).isEqualTo(T0);
    assertThat(RuleEvaluator.cleanupTime(T0 + 1)).isEqualTo(T0 + 2);
    assertThat(RuleEvaluator.cleanupTime(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE - 1);
    assertThat(RuleEvaluator.deadlineTime(T0)).isEqualTo(T0 + 1);
    assertThat(RuleEvaluator.deadlineTime(T0 + 1)).isEqualTo(T0 + 1);
    assertThat(RuleEvaluator.deadlineTime(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(T0 % 2).as("T0 must be even for the cases above").isZero();
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

  @Test
  void aFloodedGroupsStateKeepsAtMostTwiceTheBoundAndAlwaysTheNewest() throws Exception {
    String key = "vigil/auth-brute-force|source.ip=203.0.113.9";
    int most = 0;
    for (int i = 0; i < 400; i++) {
      send(failure("e" + i, "203.0.113.9", T0 + i * 10L));
      List<Event> held = RuleStageHarness.facts(harness, key);
      most = Math.max(most, held.size());
      assertThat(held).extracting(Event::getId).contains("e" + i);
    }

    // The harness bounds a group to 50 facts, and a flooded session trims to 45 when it passes 50.
    // State is not rewritten at each trim but at the first trim past 100 events held.
    assertThat(most).isBetween(101, 106);
    assertThat(RuleStageHarness.facts(harness, key).size()).isBetween(45, 101);
    assertThat(findings().get(findings().size() - 1).evidenceIds).contains("e399");
  }
}
