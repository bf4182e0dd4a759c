package org.vigil.correlation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.correlation.rules.AuthEvents.T0;
import static org.vigil.correlation.rules.AuthEvents.failure;
import static org.vigil.correlation.rules.RuleStageHarness.bruteForceAtThree;
import static org.vigil.correlation.rules.RuleStageHarness.release;

import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.correlation.types.EventTypes;
import org.vigil.model.Event;

class RuleRouterTest {
  /**
   * The harness serializes the router's output by its type, whose event is an {@link Event}: as in
   * the job, Flink must know Vigil's serializer for it, or it falls back to Kryo, which cannot copy
   * frozen fields. Registered here, not left to whichever test of the JVM happened to run first.
   */
  @BeforeAll
  static void registerEventSerializer() {
    EventTypes.register(StreamExecutionEnvironment.getExecutionEnvironment());
  }

  private static BroadcastOperatorTestHarness<Event, String, RoutedEvent> router(
      OperatorSubtaskState state) throws Exception {
    BroadcastOperatorTestHarness<Event, String, RoutedEvent> harness =
        new BroadcastOperatorTestHarness<>(
            new CoBroadcastWithNonKeyedOperator<>(
                new RuleRouter(), java.util.List.of(RulePacks.RELEASES)),
            1,
            1,
            0);
    if (state != null) {
      harness.initializeState(state);
    }
    harness.open();
    return harness;
  }

  @Test
  void routesUnderTheBuiltInPackUntilAReleaseArrives() throws Exception {
    try (var harness = router(null)) {
      harness.processElement(failure("a", "203.0.113.9", T0), T0);
      harness.processBroadcastElement(
          release("vigil", 1, Map.of("auth.drl", bruteForceAtThree())), 0);
      harness.processElement(failure("b", "203.0.113.9", T0 + 1), T0 + 1);

      // Other login rules of the pack take the failures too; follow the brute-force rule.
      List<RoutedEvent> bruteForce =
          harness.extractOutputValues().stream()
              .filter(r -> r.ruleId.equals("auth-brute-force"))
              .toList();
      assertThat(bruteForce).extracting(r -> r.packVersion).containsExactly(0, 1);
      assertThat(bruteForce.get(0).key).isEqualTo("vigil/auth-brute-force|source.ip=203.0.113.9");
    }
  }

  @Test
  void routesToEveryRulesetThatHasAMatchingRule() throws Exception {
    try (var harness = router(null)) {
      String mine = bruteForceAtThree().replace("auth-brute-force", "my-brute-force");
      harness.processBroadcastElement(release("team-a", 3, Map.of("mine.drl", mine)), 0);
      harness.processElement(failure("a", "203.0.113.9", T0), T0);

      assertThat(harness.extractOutputValues())
          .extracting(r -> r.ruleset + "/" + r.ruleId + "@" + r.packVersion)
          .filteredOn(routed -> routed.contains("brute-force@"))
          .containsExactlyInAnyOrder("vigil/auth-brute-force@0", "team-a/my-brute-force@3");
    }
  }

  @Test
  void aRestoredRouterUsesTheDeployedRelease() throws Exception {
    OperatorSubtaskState state;
    try (var harness = router(null)) {
      harness.processBroadcastElement(
          release("vigil", 2, Map.of("auth.drl", bruteForceAtThree())), 0);
      state = harness.snapshot(1, 1);
    }
    try (var harness = router(state)) {
      harness.processElement(failure("a", "203.0.113.9", T0), T0);

      // auth.drl holds the other login rules too; each is routed under the deployed release.
      assertThat(harness.extractOutputValues())
          .extracting(r -> r.ruleset + "/" + r.ruleId + "@" + r.packVersion)
          .contains("vigil/auth-brute-force@2")
          .allMatch(routed -> routed.endsWith("@2"));
    }
  }

  @Test
  void eventsGoOutWithOnlyTheFieldsTheRulesetReads() throws Exception {
    try (var harness = router(null)) {
      Event failure =
          failure("a", "203.0.113.9", T0)
              .put("event.original", "<38>Jan  1 00:00:00 web1 sshd[7]: Failed password")
              .put("log.syslog.priority", 38L)
              .put("organization.id", "health");
      harness.processElement(failure, T0);

      List<RoutedEvent> routed = harness.extractOutputValues();
      assertThat(routed).isNotEmpty();
      for (RoutedEvent r : routed) {
        assertThat(r.event.getId()).isEqualTo("a");
        assertThat(r.event.getFields())
            .containsEntry("source.ip", "203.0.113.9")
            .containsEntry("organization.id", "health")
            .doesNotContainKeys("event.original", "log.syslog.priority");
      }
    }
  }
}
