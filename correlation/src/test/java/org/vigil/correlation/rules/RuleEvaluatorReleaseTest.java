package org.vigil.correlation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.correlation.rules.AuthEvents.T0;
import static org.vigil.correlation.rules.AuthEvents.failure;
import static org.vigil.correlation.rules.AuthEvents.routed;
import static org.vigil.correlation.rules.RuleStageHarness.SHIPPED_VERSION;
import static org.vigil.correlation.rules.RuleStageHarness.bruteForceAtThree;
import static org.vigil.correlation.rules.RuleStageHarness.release;

import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;

class RuleEvaluatorReleaseTest {
  private KeyedBroadcastOperatorTestHarness<String, RoutedEvent, String, Finding> harness;

  @BeforeEach
  void open() throws Exception {
    harness = RuleStageHarness.evaluator(null);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void send(Event e, int packVersion) throws Exception {
    harness.processElement(routed(e, packVersion), e.getTimestamp());
  }

  private void failures(String ip, int n, long from, int packVersion) throws Exception {
    for (int i = 0; i < n; i++) {
      send(failure(ip + "-" + i, ip, from + i * 1000L), packVersion);
    }
  }

  private List<Finding> findings() {
    return harness.extractOutputValues();
  }

  @Test
  void findingsCarryTheVersionOfTheReleaseThatRaisedThem() throws Exception {
    failures("203.0.113.1", 5, T0, 0);
    assertThat(findings())
        .singleElement()
        .satisfies(f -> assertThat(f.ruleVersion).isEqualTo(SHIPPED_VERSION));

    harness.processBroadcastElement(
        release("vigil", 1, Map.of("auth.drl", bruteForceAtThree())), 0);
    failures("203.0.113.2", 3, T0, 1);

    assertThat(findings()).hasSize(2);
    Finding f = findings().get(1);
    assertThat(f.ruleVersion).isEqualTo(SHIPPED_VERSION + 1);
    assertThat(f.packVersion).isEqualTo(1);
    assertThat(f.ruleset).isEqualTo("vigil");
    assertThat(f.evidenceIds).hasSize(3);
  }

  @Test
  void aReleaseThatDoesNotCompileLeavesTheRunningPack() throws Exception {
    String broken = bruteForceAtThree().replace("size >= 3", "size >= ");
    harness.processBroadcastElement(release("vigil", 1, Map.of("auth.drl", broken)), 0);
    harness.processBroadcastElement("{not json", 0);

    failures("203.0.113.3", 4, T0, 0);
    assertThat(findings()).isEmpty();
    send(failure("fifth", "203.0.113.3", T0 + 4000), 0);

    assertThat(findings())
        .singleElement()
        .satisfies(f -> assertThat(f.ruleVersion).isEqualTo(SHIPPED_VERSION));
    assertThat(harness.getBroadcastState(RulePacks.RELEASES).entries()).isEmpty();
  }

  @Test
  void ignoresAReleaseNoNewerThanTheRunningOne() throws Exception {
    harness.processBroadcastElement(
        release("vigil", 2, Map.of("auth.drl", bruteForceAtThree())), 0);
    harness.processBroadcastElement(
        release("vigil", 1, Map.of("auth.drl", RuleStageHarness.builtInAuthDrl())), 0);

    failures("203.0.113.4", 3, T0, 2);

    assertThat(findings()).singleElement().satisfies(f -> assertThat(f.packVersion).isEqualTo(2));
  }

  @Test
  void anEventRoutedUnderAReleaseNotYetHereWaitsForIt() throws Exception {
    // The router swapped to release 1 first: its events reach a subtask still at version 0.
    failures("203.0.113.5", 3, T0, 1);
    assertThat(findings()).isEmpty();
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.processBroadcastElement(
        release("vigil", 1, Map.of("auth.drl", bruteForceAtThree())), 0);
    harness.watermark(T0 + 2000);

    assertThat(findings())
        .singleElement()
        .satisfies(f -> assertThat(f.ruleVersion).isEqualTo(SHIPPED_VERSION + 1));
    assertThat(findings().get(0).evidenceIds).hasSize(3);
  }

  @Test
  void aWaitingEventStillWaitsWhileItsReleaseIsMissing() throws Exception {
    failures("203.0.113.6", 3, T0, 1);

    harness.watermark(T0 + 10_000);
    assertThat(findings()).isEmpty();

    harness.processBroadcastElement(
        release("vigil", 1, Map.of("auth.drl", bruteForceAtThree())), 0);
    harness.watermark(T0 + 11_000);
    assertThat(findings()).hasSize(1);
  }

  @Test
  void aWaitingEventIsDroppedWhenItsReleaseNeverComes() throws Exception {
    failures("203.0.113.7", 1, T0, 1);

    harness.watermark(T0 + RuleEvaluator.MAX_WAIT_MILLIS + 2_000);

    assertThat(findings()).isEmpty();
    assertThat(RuleStageHarness.keyedStateEntries(harness)).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aRestoreComesBackWithTheDeployedRelease() throws Exception {
    harness.processBroadcastElement(
        release("vigil", 1, Map.of("auth.drl", bruteForceAtThree())), 0);
    failures("203.0.113.8", 2, T0, 1);
    OperatorSubtaskState state = harness.snapshot(1, 1);
    harness.close();

    harness = RuleStageHarness.evaluator(state);
    send(failure("third", "203.0.113.8", T0 + 2500), 1);

    assertThat(findings())
        .singleElement()
        .satisfies(f -> assertThat(f.ruleVersion).isEqualTo(SHIPPED_VERSION + 1));
  }

  @Test
  void aRestoredSubtaskHasItsReleaseCompiledBeforeItsFirstEvent() throws Exception {
    harness.processBroadcastElement(
        release("vigil", 1, Map.of("auth.drl", bruteForceAtThree())), 0);
    OperatorSubtaskState state = harness.snapshot(1, 1);
    harness.close();

    harness = RuleStageHarness.evaluator(state);

    RuleEvaluator evaluator =
        (RuleEvaluator)
            ((CoBroadcastWithKeyedOperator<?, ?, ?, ?>) harness.getOperator()).getUserFunction();
    assertThat(evaluator.packs().version("vigil")).isEqualTo(1);
    assertThat(evaluator.packs().rule("vigil", "auth-brute-force").version())
        .isEqualTo(SHIPPED_VERSION + 1);
  }

  @Test
  void aSecondRulesetRunsBesideTheBuiltInOne() throws Exception {
    String mine = bruteForceAtThree().replace("auth-brute-force", "my-brute-force");
    harness.processBroadcastElement(release("team-a", 1, Map.of("mine.drl", mine)), 0);

    Event e = failure("x", "203.0.113.9", T0);
    harness.processElement(new RoutedEvent("team-a", "my-brute-force", 1, "source.ip=x", e), T0);
    for (int i = 1; i < 3; i++) {
      Event more = failure("x" + i, "203.0.113.9", T0 + i);
      harness.processElement(
          new RoutedEvent("team-a", "my-brute-force", 1, "source.ip=x", more), T0 + i);
    }
    failures("203.0.113.9", 4, T0, 0);

    assertThat(findings())
        .singleElement()
        .satisfies(f -> assertThat(f.ruleset).isEqualTo("team-a"));
  }

  @Test
  void aRuleThatThrowsOnAGroupCostsThatGroupItsEventsAndNothingElse() throws Exception {
    // The brute-force rule at three, with a consequence that divides by zero for one address.
    String failing =
        bruteForceAtThree()
            .replaceFirst(
                "detections\\.raise\\( \\$failures \\);",
                "int guard = 1 / (\\$ip.endsWith(\".66\") ? 0 : 1);\n  detections.raise( \\$failures );");
    assertThat(failing).contains("guard");
    harness.processBroadcastElement(release("vigil", 1, Map.of("auth.drl", failing)), 0);

    failures("203.0.113.66", 4, T0, 1);
    failures("203.0.113.9", 3, T0, 1);

    assertThat(findings())
        .singleElement()
        .satisfies(f -> assertThat(f.group).containsEntry("source.ip", "203.0.113.9"));
    // The two failures before the rule could fire are held; the ones it threw on are not.
    assertThat(RuleStageHarness.facts(harness, "vigil/auth-brute-force|source.ip=203.0.113.66"))
        .extracting(Event::getId)
        .containsExactly("203.0.113.66-0", "203.0.113.66-1");
  }
}
