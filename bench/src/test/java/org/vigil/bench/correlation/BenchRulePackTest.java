package org.vigil.bench.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;
import org.vigil.rules.engine.Detection;
import org.vigil.rules.engine.RuleDefinition;
import org.vigil.rules.engine.RulePack;

/** The bench's generated rules compile, route as documented and detect what their names say. */
class BenchRulePackTest {
  private static final long T0 = 1_767_225_600_000L;

  private final RulePack pack = compile(50, 25);

  private static RulePack compile(int rules, int datasets) {
    try {
      return RulePack.compile(BenchRulePack.RULESET, BenchRulePack.generate(rules, datasets));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void fiftyRulesCompileWithDistinctIds() {
    assertThat(pack.rules()).hasSize(50);
    assertThat(pack.rules().stream().map(RuleDefinition::id).distinct()).hasSize(50);
  }

  @Test
  void theLoadReachesAboutTwoRulesPerEventAndEveryRuleGetsEvents() {
    CorrelationLoad load = new CorrelationLoad(100_000, 25, T0, 20_000);
    Map<String, Integer> perRule = new HashMap<>();
    long routed = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      Event e = load.event(i);
      for (RuleDefinition r : pack.rules()) {
        if (r.accepts(e)) {
          perRule.merge(r.id(), 1, Integer::sum);
          routed++;
        }
      }
    }
    assertThat((double) routed / n).isBetween(1.4, 2.0);
    assertThat(perRule).hasSize(50);
  }

  @Test
  void theLoadSpreadsOverTheGroupKeysWithAHotHundredth() {
    CorrelationLoad load = new CorrelationLoad(100_000, 25, T0, 20_000);
    Set<String> sources = new HashSet<>();
    int failures = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      Event e = load.event(i);
      sources.add(e.getSourceIp());
      if ("failure".equals(e.getOutcome())) {
        failures++;
      }
    }
    assertThat(sources.size()).isGreaterThan(70_000);
    assertThat((double) failures / n).isBetween(0.28, 0.32);
    assertThat(load.event(7).getId()).isEqualTo("bench-7");
    assertThat(load.event(20_000).getTimestamp()).isEqualTo(T0 + 1000);
  }

  @Test
  void eachFamilyDetectsItsPattern() {
    String ip = "10.0.0.1";
    // bench-0: threshold of 5 failures in a minute (dataset d0).
    List<Event> failures = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      failures.add(login("f" + i, i * 1000, "bench.d0", ip, "failure", "root", "22"));
    }
    assertThat(pack.evaluate("bench-0", failures)).hasSize(1);
    assertThat(pack.evaluate("bench-0", failures.subList(0, 4))).isEmpty();

    // bench-1: ten distinct users in ten minutes (dataset d1).
    List<Event> spray = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      spray.add(login("u" + i, i * 30_000, "bench.d1", ip, "failure", "user" + i, "22"));
    }
    assertThat(pack.evaluate("bench-1", spray)).hasSize(1);
    List<Event> sameUser = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sameUser.add(login("s" + i, i * 30_000, "bench.d1", ip, "failure", "root", "22"));
    }
    assertThat(pack.evaluate("bench-1", sameUser)).isEmpty();

    // bench-2: twenty distinct ports of one destination in a minute (dataset d2).
    List<Event> scan = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      scan.add(login("p" + i, i * 1000, "bench.d2", ip, "failure", "root", "" + (1000 + i)));
    }
    assertThat(pack.evaluate("bench-2", scan)).hasSize(1);
    assertThat(pack.evaluate("bench-2", scan.subList(0, 19))).isEmpty();

    // bench-3: three failures, then a success (dataset d3); a success first raises nothing.
    List<Event> sequence = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sequence.add(login("q" + i, i * 1000, "bench.d3", ip, "failure", "root", "22"));
    }
    sequence.add(login("ok", 10_000, "bench.d3", ip, "success", "root", "22"));
    List<Detection> detections = pack.evaluate("bench-3", sequence);
    assertThat(detections).hasSize(1);
    assertThat(detections.get(0).evidenceIds()).containsExactly("q0", "q1", "q2", "ok");
    List<Event> successFirst = new ArrayList<>(sequence);
    successFirst.set(3, login("ok", -1000, "bench.d3", ip, "success", "root", "22"));
    assertThat(pack.evaluate("bench-3", successFirst)).isEmpty();
  }

  @Test
  void refusesAnEmptyPack() {
    assertThatThrownBy(() -> BenchRulePack.generate(0, 25))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Event login(
      String id, long at, String dataset, String ip, String outcome, String user, String port) {
    return new Event(id, T0 + at)
        .put("event.category", List.of("authentication"))
        .put("event.type", List.of("start"))
        .put("event.dataset", dataset)
        .put("event.outcome", outcome)
        .put("source.ip", ip)
        .put("destination.ip", "192.0.2.1")
        .put("destination.port", port)
        .put("user.name", user);
  }
}
