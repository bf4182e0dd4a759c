package org.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vigil.model.Alert;
import org.vigil.model.Event;
import org.vigil.model.Severity;

/** Timeline tests of the shipped brute-force rule: insert, advance the clock, fire, assert. */
class RulePackTest {
  private static final String RULE = "auth-brute-force";
  static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final String IP = "203.0.113.7";

  private final RulePack pack = RulePack.builtIn();

  @Test
  void fiveFailuresWithinAMinuteRaiseADetectionWithThoseFive() {
    List<Event> facts = failures(IP, 0, 10, 20, 30, 40);

    List<Detection> detections = pack.evaluate(RULE, facts);

    assertThat(detections).hasSize(1);
    Detection d = detections.get(0);
    assertThat(d.ruleId()).isEqualTo(RULE);
    assertThat(d.group()).containsExactly(Map.entry("source.ip", IP));
    assertThat(d.evidenceIds()).containsExactly("f0", "f10", "f20", "f30", "f40");
    assertThat(d.firstSeen()).isEqualTo(T0);
    assertThat(d.lastSeen()).isEqualTo(T0 + 40_000);
    assertThat(d.triggerEventId()).isEqualTo("f40");
  }

  @Test
  void fourFailuresRaiseNothing() {
    assertThat(pack.evaluate(RULE, failures(IP, 0, 10, 20, 30))).isEmpty();
  }

  @Test
  void fiveFailuresSpreadOverTenMinutesRaiseNothing() {
    assertThat(pack.evaluate(RULE, failures(IP, 0, 150, 300, 450, 600))).isEmpty();
  }

  @Test
  void evidenceHoldsOnlyTheFailuresInsideTheWindow() {
    List<Event> facts = failures(IP, 0, 100, 110, 120, 130, 140);

    List<Detection> detections = pack.evaluate(RULE, facts);

    assertThat(detections).hasSize(1);
    assertThat(detections.get(0).evidenceIds())
        .containsExactly("f100", "f110", "f120", "f130", "f140");
  }

  @Test
  void eachFurtherFailureInTheWindowTriggersItsOwnDetection() {
    List<Detection> detections = pack.evaluate(RULE, failures(IP, 0, 5, 10, 15, 20, 25));

    assertThat(detections).extracting(Detection::triggerEventId).containsExactly("f20", "f25");
    assertThat(detections.get(1).evidenceIds()).hasSize(6);
  }

  @Test
  void outOfOrderFactsAreSortedByEventTimeAndStillDetect() {
    List<Event> facts = failures(IP, 0, 10, 20, 30, 40);
    Collections.reverse(facts);

    List<Detection> detections = pack.evaluate(RULE, facts);

    assertThat(detections).hasSize(1);
    assertThat(detections.get(0).evidenceIds()).containsExactly("f0", "f10", "f20", "f30", "f40");
    assertThat(detections.get(0).triggerEventId()).isEqualTo("f40");
  }

  @Test
  void successesMixedInDoNotCount() {
    List<Event> facts = new ArrayList<>(failures(IP, 0, 10, 20, 30));
    facts.add(login("s15", IP, 15, "success"));
    facts.add(login("s25", IP, 25, "success"));
    facts.add(login("s35", IP, 35, "success"));

    assertThat(pack.evaluate(RULE, facts)).isEmpty();

    facts.add(login("f40", IP, 40, "failure"));
    List<Detection> detections = pack.evaluate(RULE, facts);
    assertThat(detections).hasSize(1);
    assertThat(detections.get(0).evidenceIds()).containsExactly("f0", "f10", "f20", "f30", "f40");
  }

  @Test
  void otherCategoriesDoNotCount() {
    List<Event> facts = new ArrayList<>(failures(IP, 0, 10, 20, 30));
    facts.add(login("n40", IP, 40, "failure").put("event.category", "network"));

    assertThat(pack.evaluate(RULE, facts)).isEmpty();
  }

  @Test
  void eventWithoutSourceIpIsNotAccepted() {
    RuleDefinition rule = pack.rule(RULE);
    Event noSource = login("x", IP, 0, "failure").put("source.ip", null);

    assertThat(rule.accepts(noSource)).isFalse();
    assertThat(rule.groupOf(noSource)).isNull();
    assertThat(rule.accepts(login("y", IP, 0, "failure"))).isTrue();
    assertThat(rule.groupOf(login("y", IP, 0, "failure")))
        .containsExactly(Map.entry("source.ip", IP));
    assertThat(rule.groupKeyOf(noSource)).isNull();
    assertThat(rule.groupKeyOf(login("y", IP, 0, "failure"))).isEqualTo("source.ip=" + IP);
  }

  @Test
  void theGroupKeyIsTheAlertsWhateverTheOrderAndNumberOfFields() {
    RuleDefinition byOne = pack.rule(RULE);
    RuleDefinition byTwo =
        new RuleDefinition(
            "scan",
            "scan",
            1,
            "vigil",
            Severity.MEDIUM,
            null,
            List.of("source.ip", "destination.ip"),
            Duration.ofMinutes(1),
            Duration.ZERO,
            Set.of(),
            Map.of(),
            "",
            Duration.ZERO,
            "",
            List.of());
    Event e = login("z", IP, 0, "failure").put("destination.ip", "192.0.2.1");

    for (RuleDefinition rule : List.of(byOne, byTwo)) {
      assertThat(rule.groupKeyOf(e)).isEqualTo(Alert.groupKey(rule.groupOf(e)));
    }
    assertThat(byTwo.groupKeyOf(e)).isEqualTo("destination.ip=192.0.2.1,source.ip=" + IP);
    assertThat(byTwo.groupKeyOf(e.put("destination.ip", null))).isNull();
  }

  @Test
  void eventsWithoutSourceIpAreLeftOutOfTheEvaluation() {
    List<Event> facts = new ArrayList<>(failures(IP, 0, 10, 20, 30));
    facts.add(login("x40", IP, 40, "failure").put("source.ip", null));

    assertThat(pack.evaluate(RULE, facts)).isEmpty();
  }

  @Test
  void categoryGivenAsListIsAccepted() {
    Event e = login("l", IP, 0, "failure").put("event.category", List.of("iam", "authentication"));

    assertThat(pack.rule(RULE).accepts(e)).isTrue();
  }

  @Test
  void readsTheShippedRuleMetadata() {
    RuleDefinition rule = pack.rule(RULE);

    assertThat(pack.id()).isEqualTo("vigil");
    assertThat(pack.rules()).contains(rule);
    assertThat(rule.name()).isEqualTo("Five failed logins from one source within a minute");
    assertThat(rule.version()).isEqualTo(2);
    assertThat(rule.ruleset()).isEqualTo("vigil");
    assertThat(rule.severity()).isEqualTo(Severity.HIGH);
    assertThat(rule.techniqueId()).isEqualTo("T1110");
    assertThat(rule.groupBy()).containsExactly("source.ip");
    assertThat(rule.window()).isEqualTo(Duration.ofSeconds(60));
    assertThat(rule.suppression()).isEqualTo(Duration.ofMinutes(10));
    assertThat(rule.categories()).containsExactly("authentication");
    assertThat(rule.description()).contains("60 seconds");
    assertThat(pack.rule("no-such-rule")).isNull();
  }

  @Test
  void builtInPackIsCompiledOnce() {
    assertThat(RulePack.builtIn()).isSameAs(pack);
  }

  @Test
  void unknownRuleIdIsRejected() {
    assertThatThrownBy(() -> pack.evaluate("no-such-rule", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-such-rule");
  }

  @Test
  void eventWithoutIdIsRejected() {
    Event noId = login(null, IP, 0, "failure");

    assertThatThrownBy(() -> pack.evaluate(RULE, List.of(noId)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without an id");
  }

  @Test
  void noFactsRaiseNothing() {
    assertThat(pack.evaluate(RULE, List.of())).isEmpty();
  }

  static List<Event> failures(String ip, int... seconds) {
    List<Event> events = new ArrayList<>();
    for (int s : seconds) {
      events.add(login("f" + s, ip, s, "failure"));
    }
    return events;
  }

  @Test
  void doesNotCountTheLinesThatAccompanyAFailedAttempt() {
    List<Event> facts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      facts.add(login("f" + i, IP, i, "failure"));
      facts.add(login("i" + i, IP, i, "failure").put("event.type", List.of("info")));
    }
    assertThat(pack.evaluate(RULE, facts)).isEmpty();
  }

  static Event login(String id, String ip, int second, String outcome) {
    return new Event(id, T0 + second * 1000L)
        .put("event.category", "authentication")
        .put("event.type", List.of("start"))
        .put("event.outcome", outcome)
        .put("source.ip", ip)
        .put("user.name", "root");
  }
}
