package org.vigil.correlation.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.vigil.correlation.types.KeyTextTypeInfo;
import org.vigil.model.Event;
import org.vigil.rules.engine.RulePack;
import org.vigil.rules.engine.RuleRelease;

/** The rule stage's operators in harnesses, and rule releases to feed them. */
final class RuleStageHarness {
  private RuleStageHarness() {}

  /** An opened evaluator, restored from {@code state} when not null. */
  static KeyedBroadcastOperatorTestHarness<String, RoutedEvent, String, Finding> evaluator(
      OperatorSubtaskState state) throws Exception {
    return evaluator(state, 10_000);
  }

  /** As {@link #evaluator(OperatorSubtaskState)}, keeping at most this many live sessions. */
  static KeyedBroadcastOperatorTestHarness<String, RoutedEvent, String, Finding> evaluator(
      OperatorSubtaskState state, int cachedSessions) throws Exception {
    KeyedBroadcastOperatorTestHarness<String, RoutedEvent, String, Finding> harness =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(
                new RuleEvaluator(50, cachedSessions), List.of(RulePacks.RELEASES)),
            RoutedEvent::getKey,
            KeyTextTypeInfo.INSTANCE,
            1,
            1,
            0);
    if (state != null) {
      harness.initializeState(state);
    }
    harness.open();
    return harness;
  }

  static int keyedStateEntries(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness) {
    AbstractStreamOperator<?> operator = (AbstractStreamOperator<?>) harness.getOperator();
    return ((HeapKeyedStateBackend<?>) operator.getKeyedStateBackend()).numKeyValueStateEntries();
  }

  /** The facts the evaluator holds in state for one key. */
  static List<Event> facts(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness, String key)
      throws Exception {
    AbstractStreamOperator<?> operator = (AbstractStreamOperator<?>) harness.getOperator();
    operator.setCurrentKey(key);
    List<Event> facts = new ArrayList<>();
    operator
        .getKeyedStateStore()
        .getListState(new ListStateDescriptor<>("facts", Event.class))
        .get()
        .forEach(facts::add);
    return facts;
  }

  /** The version of the shipped brute-force rule. */
  static final int SHIPPED_VERSION = RulePack.builtIn().rule("auth-brute-force").version();

  /** The shipped brute-force rule as its next version, raising at three failures, not five. */
  static String bruteForceAtThree() {
    String shipped = "@id(\"auth-brute-force\")\n  @version(" + SHIPPED_VERSION + ")";
    String drl = builtInAuthDrl();
    if (!drl.contains(shipped)) {
      throw new IllegalStateException("auth.drl no longer holds " + shipped);
    }
    return drl.replace(
            shipped, "@id(\"auth-brute-force\")\n  @version(" + (SHIPPED_VERSION + 1) + ")")
        .replace("size >= 5", "size >= 3");
  }

  static String builtInAuthDrl() {
    try (InputStream in =
        RuleStageHarness.class.getClassLoader().getResourceAsStream("rules/packs/auth.drl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String release(String ruleset, int version, Map<String, String> files) {
    return new String(
        RuleRelease.of(ruleset, version, "tester", Instant.parse("2026-11-26T07:00:00Z"), files)
            .toJson(),
        StandardCharsets.UTF_8);
  }
}
