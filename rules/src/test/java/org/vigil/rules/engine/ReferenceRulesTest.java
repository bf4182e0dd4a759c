package org.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;
import org.vigil.model.Severity;

/**
 * Timeline tests of the shipped reference rules, one per correlation type: the edges of each (exact
 * threshold, distinct against repeated values, order, silence timing, routing).
 */
class ReferenceRulesTest {
  private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final long SECOND = 1_000L;
  private static final long MINUTE = 60 * SECOND;

  private final RulePack pack = RulePack.builtIn();

  @Test
  void everyReferenceRuleIsShippedWithItsMetadata() {
    assertThat(pack.rules())
        .extracting(RuleDefinition::id)
        .contains(
            "auth-brute-force",
            "win-audit-log-cleared",
            "net-port-scan",
            "auth-password-spray",
            "auth-brute-force-success",
            "ops-source-silent",
            "intel-indicator-match");
    assertThat(pack.rules())
        .allSatisfy(
            r -> {
              assertThat(r.version()).as(r.id()).isPositive();
              assertThat(r.techniqueId()).as(r.id()).matches("T\\d{4}(\\.\\d{3})?");
              assertThat(r.description()).as(r.id()).isNotBlank();
            });
  }

  @Test
  void onlyTheAbsenceRuleTakesEventsOfEveryKind() {
    // Every other rule narrows its routing by category or @match, so most traffic skips it.
    assertThat(pack.rules())
        .filteredOn(r -> r.categories().isEmpty() && r.match().isEmpty())
        .extracting(RuleDefinition::id)
        .containsExactly("ops-source-silent");
  }

  @Test
  void everyRuleWithAWindowBindsItsTriggerFromArrivals() {
    // Else every event of the window stays a trigger, and a busy group costs the square of it.
    assertThat(pack.rules())
        .filteredOn(r -> !r.window().isZero() && !r.isAbsence())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(pack.readsArrivals(r.id())).as(r.id()).isTrue());
  }

  @Nested
  class SingleEvent {
    private static final String RULE = "win-audit-log-cleared";

    @Test
    void aClearedSecurityLogRaisesOneDetectionForItsHost() {
      List<Detection> detections = pack.evaluate(RULE, List.of(cleared("c1", "dc-01", 0)));

      assertThat(detections).hasSize(1);
      assertThat(detections.get(0).group()).containsExactly(Map.entry("host.name", "dc-01"));
      assertThat(detections.get(0).evidenceIds()).containsExactly("c1");
    }

    @Test
    void eachClearingIsItsOwnDetectionAndSuppressionFoldsThem() {
      List<Event> facts = List.of(cleared("c1", "dc-01", 0), cleared("c2", "dc-01", 30));

      assertThat(pack.evaluate(RULE, facts))
          .extracting(Detection::triggerEventId)
          .containsExactly("c1", "c2");
      assertThat(pack.rule(RULE).suppression()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void anotherEventNumbered1102IsNotRouted() {
      Event other = cleared("o", "dc-01", 0).put("event.action", "something-else");

      assertThat(pack.rule(RULE).accepts(other)).isFalse();
      assertThat(pack.evaluate(RULE, List.of(other))).isEmpty();
    }

    @Test
    void aLogonOrAnEventWithoutHostIsNotRouted() {
      RuleDefinition rule = pack.rule(RULE);

      assertThat(rule.accepts(cleared("n", "dc-01", 0).put("host.name", null))).isFalse();
      assertThat(rule.accepts(login("l", "192.0.2.1", "alice", 0, "success"))).isFalse();
      assertThat(rule.accepts(cleared("y", "dc-01", 0))).isTrue();
    }

    @Test
    void readsItsMetadata() {
      RuleDefinition rule = pack.rule(RULE);

      assertThat(rule.severity()).isEqualTo(Severity.HIGH);
      assertThat(rule.techniqueId()).isEqualTo("T1070.001");
      assertThat(rule.groupBy()).containsExactly("host.name");
      assertThat(rule.window()).isZero();
    }
  }

  @Nested
  class DistinctPorts {
    private static final String RULE = "net-port-scan";
    private static final String SRC = "203.0.113.66";
    private static final String DST = "192.0.2.10";

    @Test
    void twentyDistinctPortsWithinAMinuteRaiseWithAllTwentyAsEvidence() {
      List<Event> facts = probes(IntStream.rangeClosed(1, 20).toArray(), 2);

      List<Detection> detections = pack.evaluate(RULE, facts);

      assertThat(detections).hasSize(1);
      Detection d = detections.get(0);
      assertThat(d.group())
          .containsExactly(Map.entry("source.ip", SRC), Map.entry("destination.ip", DST));
      assertThat(d.evidenceIds()).hasSize(20);
      assertThat(d.triggerEventId()).isEqualTo("p19");
      assertThat(d.lastSeen() - d.firstSeen()).isEqualTo(38 * SECOND);
    }

    @Test
    void nineteenDistinctPortsRaiseNothing() {
      assertThat(pack.evaluate(RULE, probes(IntStream.rangeClosed(1, 19).toArray(), 2))).isEmpty();
    }

    @Test
    void repeatedPortsCountOnce() {
      List<Event> facts = new ArrayList<>(probes(IntStream.rangeClosed(1, 19).toArray(), 1));
      for (int i = 0; i < 30; i++) {
        facts.add(flow("r" + i, 7, 20 + i));
      }

      assertThat(pack.evaluate(RULE, facts)).isEmpty();
    }

    @Test
    void onlyAProbeOfANewPortRaisesAgainOnceTheThresholdIsPassed() {
      List<Event> facts = new ArrayList<>(probes(IntStream.rangeClosed(1, 20).toArray(), 1));
      facts.add(flow("again", 5, 25));
      facts.add(flow("new", 21, 26));

      List<Detection> detections = pack.evaluate(RULE, facts);

      assertThat(detections).extracting(Detection::triggerEventId).containsExactly("p19", "new");
      assertThat(detections.get(1).evidenceIds()).hasSize(22).contains("again");
    }

    @Test
    void aPortFirstSeenInAReplyStillCountsWhenProbed() {
      List<Event> facts = new ArrayList<>();
      facts.add(flow("reply", 3389, 0).put("source.port", 443L));
      facts.addAll(probes(IntStream.rangeClosed(3370, 3389).toArray(), 1));

      assertThat(pack.evaluate(RULE, facts))
          .singleElement()
          .extracting(Detection::triggerEventId)
          .isEqualTo("p19");
    }

    @Test
    void aPortGivenAsTextCountsAsTheSamePortGivenAsANumber() {
      List<Event> facts = new ArrayList<>(probes(IntStream.rangeClosed(1, 19).toArray(), 1));
      facts.add(flow("t", 0, 30).put("destination.port", "5"));

      assertThat(pack.evaluate(RULE, facts)).isEmpty();

      facts.add(flow("u", 0, 31).put("destination.port", "8080"));
      assertThat(pack.evaluate(RULE, facts)).extracting(Detection::triggerEventId).contains("u");
    }

    @Test
    void twentyPortsSpreadOverMoreThanAMinuteRaiseNothing() {
      assertThat(pack.evaluate(RULE, probes(IntStream.rangeClosed(1, 20).toArray(), 4))).isEmpty();
    }

    @Test
    void aServersRepliesToAClientsEphemeralPortsDoNotCount() {
      List<Event> facts = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        facts.add(flow("a" + i, 50_000 + i, i).put("source.port", 443L));
      }

      assertThat(pack.evaluate(RULE, facts)).isEmpty();
    }

    @Test
    void aScanFromAFixedLowSourcePortStillCountsTheLowPorts() {
      List<Event> facts = probes(IntStream.rangeClosed(1, 20).toArray(), 1);
      facts.forEach(e -> e.put("source.port", 53L));

      assertThat(pack.evaluate(RULE, facts)).hasSize(1);
    }

    @Test
    void firewallDeniesCountLikeFlows() {
      List<Event> facts = probes(IntStream.rangeClosed(1, 20).toArray(), 1);
      for (int i = 0; i < 10; i++) {
        facts
            .get(i)
            .put("event.dataset", "syslog.kernel")
            .put("event.type", List.of("connection", "denied"))
            .put("event.outcome", "failure")
            .put("event.action", "firewall_drop");
      }

      assertThat(pack.evaluate(RULE, facts)).hasSize(1);
    }

    @Test
    void flowsWithoutPortsDoNotCount() {
      List<Event> facts = new ArrayList<>(probes(IntStream.rangeClosed(1, 19).toArray(), 1));
      facts.add(flow("icmp", 0, 30).put("destination.port", null).put("network.transport", "icmp"));

      assertThat(pack.evaluate(RULE, facts)).isEmpty();
    }

    @Test
    void onlyConnectionsOfTheNetworkCategoryAreRouted() {
      RuleDefinition rule = pack.rule(RULE);

      assertThat(rule.accepts(flow("f", 22, 0))).isTrue();
      assertThat(rule.accepts(flow("d", 22, 0).put("event.category", List.of("web")))).isFalse();
      assertThat(rule.accepts(flow("n", 22, 0).put("destination.ip", null))).isFalse();
    }

    private List<Event> probes(int[] ports, int secondsApart) {
      List<Event> events = new ArrayList<>();
      for (int i = 0; i < ports.length; i++) {
        events.add(flow("p" + i, ports[i], i * secondsApart));
      }
      return events;
    }

    private Event flow(String id, int port, int second) {
      return new Event(id, T0 + second * SECOND)
          .put("event.kind", "event")
          .put("event.dataset", "netflow.flow")
          .put("event.category", List.of("network"))
          .put("event.type", List.of("connection"))
          .put("source.ip", SRC)
          .put("source.port", 40_000L + port)
          .put("destination.ip", DST)
          .put("destination.port", (long) port)
          .put("network.transport", "tcp")
          .put("observer.ip", "192.0.2.1");
    }
  }

  @Nested
  class DistinctUsers {
    private static final String RULE = "auth-password-spray";
    private static final String IP = "198.51.100.23";

    @Test
    void failuresForFiveDistinctUsersWithinTenMinutesRaise() {
      List<Event> facts = spray(List.of("alice", "bob", "carol", "dave", "erin"), 2 * MINUTE);

      List<Detection> detections = pack.evaluate(RULE, facts);

      assertThat(detections).hasSize(1);
      assertThat(detections.get(0).group()).containsExactly(Map.entry("source.ip", IP));
      assertThat(detections.get(0).evidenceIds()).containsExactly("u0", "u1", "u2", "u3", "u4");
    }

    @Test
    void onlyAFailureForANewAccountRaisesAgain() {
      List<Event> facts =
          new ArrayList<>(spray(List.of("alice", "bob", "carol", "dave", "erin"), MINUTE));
      facts.add(login("again", IP, "Alice", 6 * MINUTE, "failure"));
      facts.add(login("new", IP, "frank", 7 * MINUTE, "failure"));

      assertThat(pack.evaluate(RULE, facts))
          .extracting(Detection::triggerEventId)
          .containsExactly("u4", "new");
    }

    @Test
    void failuresForFourDistinctUsersRaiseNothing() {
      assertThat(pack.evaluate(RULE, spray(List.of("alice", "bob", "carol", "dave"), SECOND)))
          .isEmpty();
    }

    @Test
    void manyFailuresForOneUserAreNotASpray() {
      List<Event> facts = spray(Collections.nCopies(12, "alice"), 10 * SECOND);

      assertThat(pack.evaluate(RULE, facts)).isEmpty();
    }

    @Test
    void userNamesDifferingOnlyInCaseCountOnce() {
      List<String> users = List.of("Administrator", "administrator", "ADMINISTRATOR", "bob", "eve");

      assertThat(pack.evaluate(RULE, spray(users, SECOND))).isEmpty();
    }

    @Test
    void fiveUsersSpreadOverMoreThanTenMinutesRaiseNothing() {
      List<Event> facts = spray(List.of("alice", "bob", "carol", "dave", "erin"), 3 * MINUTE);

      assertThat(pack.evaluate(RULE, facts)).isEmpty();
    }

    @Test
    void successfulLoginsOfOtherUsersDoNotCount() {
      List<Event> facts = new ArrayList<>(spray(List.of("alice", "bob", "carol", "dave"), SECOND));
      facts.add(login("s", IP, "erin", 10 * SECOND, "success"));

      assertThat(pack.evaluate(RULE, facts)).isEmpty();
      assertThat(pack.rule(RULE).accepts(facts.get(4))).isFalse();
    }

    private List<Event> spray(List<String> users, long apart) {
      List<Event> events = new ArrayList<>();
      for (int i = 0; i < users.size(); i++) {
        events.add(login("u" + i, IP, users.get(i), i * apart, "failure"));
      }
      return events;
    }
  }

  @Nested
  class OrderedSequence {
    private static final String RULE = "auth-brute-force-success";
    private static final String IP = "203.0.113.45";

    @Test
    void fiveFailuresThenASuccessRaiseWithTheSuccessAsTrigger() {
      List<Event> facts = failures(0, 30, 60, 90, 120);
      facts.add(login("ok", IP, "root", 150 * SECOND, "success"));

      List<Detection> detections = pack.evaluate(RULE, facts);

      assertThat(detections).hasSize(1);
      Detection d = detections.get(0);
      assertThat(d.triggerEventId()).isEqualTo("ok");
      assertThat(d.evidenceIds()).containsExactly("f0", "f30", "f60", "f90", "f120", "ok");
      assertThat(d.group()).containsExactly(Map.entry("source.ip", IP));
      assertThat(pack.rule(RULE).severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void fourFailuresThenASuccessRaiseNothing() {
      List<Event> facts = failures(0, 30, 60, 90);
      facts.add(login("ok", IP, "root", 150 * SECOND, "success"));

      assertThat(pack.evaluate(RULE, facts)).isEmpty();
    }

    @Test
    void aSuccessBeforeTheFailuresRaisesNothing() {
      List<Event> facts = failures(60, 90, 120, 150, 180);
      facts.add(login("ok", IP, "root", 0, "success"));

      assertThat(pack.evaluate(RULE, facts)).isEmpty();
    }

    @Test
    void aFailureAtTheSameMillisecondAsTheSuccessIsNotBeforeIt() {
      List<Event> facts = failures(0, 30, 60, 90, 150);
      facts.add(login("ok", IP, "root", 150 * SECOND, "success"));

      assertThat(pack.evaluate(RULE, facts)).isEmpty();
    }

    @Test
    void failuresMoreThanTenMinutesBeforeTheSuccessDoNotCount() {
      List<Event> facts = failures(0, 30, 60, 90, 120);
      facts.add(login("ok", IP, "root", 120 * SECOND + 10 * MINUTE + 1, "success"));

      assertThat(pack.evaluate(RULE, facts)).isEmpty();
    }

    @Test
    void arrivalOrderDoesNotMatterOnlyEventTime() {
      List<Event> facts = failures(0, 30, 60, 90, 120);
      facts.add(login("ok", IP, "root", 150 * SECOND, "success"));
      Collections.reverse(facts);

      assertThat(pack.evaluate(RULE, facts))
          .singleElement()
          .extracting(Detection::triggerEventId)
          .isEqualTo("ok");
    }

    @Test
    void theInfoLinesAroundAFailedAttemptAreNotRouted() {
      Event info = login("i", IP, "root", 0, "failure").put("event.type", List.of("info"));

      assertThat(pack.rule(RULE).accepts(info)).isFalse();
    }

    private List<Event> failures(int... seconds) {
      List<Event> events = new ArrayList<>();
      for (int s : seconds) {
        events.add(login("f" + s, IP, "root", s * SECOND, "failure"));
      }
      return events;
    }
  }

  @Nested
  class Absence {
    private static final String RULE = "ops-source-silent";
    private static final String SOURCE = "10.20.0.5";
    private static final long SILENCE = 15 * MINUTE;

    @Test
    void aSourceSilentForFifteenMinutesIsReportedWhenTheTimerFires() {
      List<Event> facts = List.of(log("a", 0), log("b", MINUTE));

      List<Detection> detections = pack.evaluateAt(RULE, facts, T0 + MINUTE + SILENCE + 1);

      assertThat(detections).singleElement().extracting(Detection::triggerEventId).isEqualTo("b");
      assertThat(detections.get(0).group()).containsExactly(Map.entry("observer.ip", SOURCE));
    }

    @Test
    void aSilenceOneMillisecondShortOfFifteenMinutesIsNotReported() {
      List<Event> facts = List.of(log("a", 0), log("b", MINUTE));

      assertThat(pack.evaluateAt(RULE, facts, T0 + MINUTE + SILENCE - 1)).isEmpty();
    }

    @Test
    void aSourceThatSpeaksAgainWithinTheSilenceIsNotReportedAtTheOldDeadline() {
      List<Event> facts = List.of(log("a", 0), log("b", 14 * MINUTE));

      assertThat(pack.evaluateAt(RULE, facts, T0 + SILENCE + 1)).isEmpty();
    }

    @Test
    void aSourceThatComesBackAfterASilenceHasThatSilenceReportedOnce() {
      List<Event> facts = List.of(log("a", 0), log("b", 20 * MINUTE));

      assertThat(pack.evaluateAt(RULE, facts, T0 + 21 * MINUTE))
          .extracting(Detection::triggerEventId)
          .containsExactly("a");
      assertThat(pack.evaluateAt(RULE, facts, T0 + 20 * MINUTE + SILENCE + 1))
          .extracting(Detection::triggerEventId)
          .containsExactly("a", "b");
    }

    @Test
    void isNotJudgedAsEventsArriveEvenAcrossAGap() {
      List<Event> facts = List.of(log("a", 0), log("b", 20 * MINUTE));

      assertThat(pack.evaluate(RULE, facts)).isEmpty();
      assertThat(pack.evaluateAt(RULE, facts, T0 + 20 * MINUTE)).isNotEmpty();
    }

    @Test
    void onlyTheNewestEventOfTheGroupIsNeeded() {
      // The job's state for an absence rule can hold just the newest event per source.
      assertThat(pack.evaluateAt(RULE, List.of(log("b", MINUTE)), T0 + MINUTE + SILENCE + 1))
          .extracting(Detection::triggerEventId)
          .containsExactly("b");
    }

    @Test
    void anyEventWithAnObserverIsASignOfLife() {
      RuleDefinition rule = pack.rule(RULE);

      assertThat(rule.isAbsence()).isTrue();
      assertThat(rule.absence()).isEqualTo(Duration.ofMinutes(15));
      assertThat(rule.accepts(login("l", "192.0.2.1", "bob", 0, "success"))).isFalse();
      assertThat(
              rule.accepts(login("l", "192.0.2.1", "bob", 0, "success").put("observer.ip", SOURCE)))
          .isTrue();
    }

    @Test
    void theCaseRunnerJudgesTheSilenceOnlyOnceOtherSourcesMoveEventTimePastIt() {
      RuleCaseRunner runner = new RuleCaseRunner(pack);
      RuleDefinition rule = pack.rule(RULE);
      List<Event> quietEnd = new ArrayList<>(List.of(log("a", 0), log("b", MINUTE)));

      assertThat(runner.detections(rule, quietEnd)).isZero();

      quietEnd.add(log("other", MINUTE + SILENCE + 1).put("observer.ip", "10.20.0.6"));
      assertThat(runner.detections(rule, quietEnd)).isEqualTo(1);
    }

    private Event log(String id, long at) {
      return new Event(id, T0 + at)
          .put("event.dataset", "syslog.sshd")
          .put("observer.ip", SOURCE)
          .put("host.name", "web-01");
    }
  }

  @Nested
  class IndicatorMatch {
    private static final String RULE = "intel-indicator-match";
    private static final String BAD_IP = "198.51.100.66";

    @Test
    void aTaggedEventRaisesGroupedByTheMatchedValue() {
      List<Detection> detections = pack.evaluate(RULE, List.of(hit("h1", BAD_IP, 0)));

      assertThat(detections)
          .singleElement()
          .extracting(Detection::evidenceIds)
          .isEqualTo(List.of("h1"));
      assertThat(detections.get(0).group())
          .containsExactly(Map.entry("threat.enrichments.matched.atomic", BAD_IP));
    }

    @Test
    void onlyEventsTaggedByTheEnrichmentAreRouted() {
      RuleDefinition rule = pack.rule(RULE);
      Event untagged = hit("u", BAD_IP, 0).put("tags", List.of("clock_skew"));
      Event taggedAmongOthers = hit("t", BAD_IP, 0).addTo("tags", "clock_skew");
      Event taggedWithoutValue = hit("v", BAD_IP, 0).put("threat.enrichments.matched.atomic", null);

      assertThat(rule.accepts(untagged)).isFalse();
      assertThat(rule.accepts(taggedWithoutValue)).isFalse();
      assertThat(rule.accepts(taggedAmongOthers)).isTrue();
      assertThat(pack.evaluate(RULE, List.of(untagged, taggedWithoutValue))).isEmpty();
    }

    @Test
    void everyMatchIsADetectionAndSuppressionFoldsThemPerValue() {
      List<Event> facts =
          List.of(hit("h1", BAD_IP, 0), hit("h2", BAD_IP, 60), hit("h3", BAD_IP, 120));

      assertThat(pack.evaluate(RULE, facts)).hasSize(3);
      assertThat(pack.rule(RULE).suppression()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aDomainMatchIsGroupedByTheDomain() {
      Event dns =
          hit("d", "evil.example", 0)
              .put("threat.enrichments.matched.field", "dns.question.name")
              .put("threat.enrichments.indicator.type", "domain-name")
              .put("dns.question.name", "evil.example");

      assertThat(pack.evaluate(RULE, List.of(dns)))
          .singleElement()
          .extracting(Detection::group)
          .isEqualTo(Map.of("threat.enrichments.matched.atomic", "evil.example"));
    }

    private Event hit(String id, String value, int second) {
      return new Event(id, T0 + second * SECOND)
          .put("event.category", List.of("network"))
          .put("event.type", List.of("connection"))
          .put("source.ip", "10.1.2.3")
          .put("destination.ip", value)
          .put("threat.enrichments.matched.atomic", value)
          .put("threat.enrichments.matched.field", "destination.ip")
          .put("threat.enrichments.indicator.type", "ipv4-addr")
          .put("threat.enrichments.indicator.provider", "feed-c2.txt")
          .put("tags", List.of("threat_intel_match"));
    }
  }

  private static Event login(String id, String ip, String user, long at, String outcome) {
    return new Event(id, T0 + at)
        .put("event.category", List.of("authentication"))
        .put("event.type", List.of("start"))
        .put("event.outcome", outcome)
        .put("source.ip", ip)
        .put("user.name", user);
  }

  private static Event cleared(String id, String host, int second) {
    return new Event(id, T0 + second * SECOND)
        .put("event.code", "1102")
        .put("event.action", "audit-log-cleared")
        .put("event.category", List.of("configuration"))
        .put("event.type", List.of("deletion"))
        .put("event.outcome", "success")
        .put("event.dataset", "beats.winlog")
        .put("winlog.channel", "Security")
        .put("host.name", host)
        .put("user.name", "jdoe");
  }
}
