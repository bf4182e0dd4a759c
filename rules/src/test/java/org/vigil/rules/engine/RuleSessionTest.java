package org.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;

/** A live session fed one event at a time agrees with a batch evaluation of the same facts. */
class RuleSessionTest {
  private static final String RULE = "auth-brute-force";
  private static final String IP = "203.0.113.7";

  private final RulePack pack = RulePack.builtIn();

  @Test
  void eachInsertReturnsOnlyTheDetectionsItCompleted() {
    try (RuleSession session = pack.openSession(RULE)) {
      List<Event> facts = RulePackTest.failures(IP, 0, 10, 20, 30, 40, 50);
      List<Detection> perInsert = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        assertThat(session.insert(facts.get(i))).isEmpty();
      }
      perInsert.addAll(session.insert(facts.get(4)));
      perInsert.addAll(session.insert(facts.get(5)));

      assertThat(perInsert).extracting(Detection::triggerEventId).containsExactly("f40", "f50");
      assertThat(perInsert).isEqualTo(pack.evaluate(RULE, facts));
    }
  }

  @Test
  void restoredFactsLeaveTheSessionAsInsertingThemOneAtATime() {
    List<Event> facts = RulePackTest.failures(IP, 0, 10, 20, 30, 40, 50, 60);
    try (RuleSession restored = pack.openSession(RULE);
        RuleSession fed = pack.openSession(RULE)) {
      // Six failures: matches at the fifth and sixth, reported when they arrived, not again.
      restored.restore(facts.subList(0, 6), Long.MIN_VALUE);
      for (Event e : facts.subList(0, 6)) {
        fed.insert(e);
      }

      assertThat(restored.size()).isEqualTo(6);
      assertThat(restored.holds("f50")).isTrue();
      List<Detection> next = restored.insert(facts.get(6));
      assertThat(next).isEqualTo(fed.insert(facts.get(6)));
      assertThat(next).extracting(Detection::triggerEventId).containsExactly("f60");
    }
  }

  @Test
  void aLateEventWithinTheWindowStillCompletesTheMatch() {
    try (RuleSession session = pack.openSession(RULE)) {
      List<Event> facts = RulePackTest.failures(IP, 0, 10, 20, 30, 40);
      session.insert(facts.get(4));
      session.insert(facts.get(1));
      session.insert(facts.get(2));
      session.insert(facts.get(3));

      List<Detection> late = session.insert(facts.get(0));

      assertThat(late).hasSize(1);
      assertThat(late.get(0).evidenceIds()).containsExactly("f0", "f10", "f20", "f30", "f40");
      assertThat(late.get(0).triggerEventId()).isEqualTo("f40");
    }
  }

  @Test
  void aTriggerTheWatermarkPassedCompletesNothingButItsEventStillCounts() {
    try (RuleSession session = pack.openSession(RULE)) {
      List<Event> facts = RulePackTest.failures(IP, 0, 10, 20, 30, 40, 50);
      session.insert(facts.get(4));
      session.insert(facts.get(1));
      session.insert(facts.get(2));
      session.insert(facts.get(3));
      assertThat(session.readsArrivals()).isTrue();
      assertThat(session.arriving()).isEqualTo(4);

      session.retireBefore(RulePackTest.T0 + 45_000);

      assertThat(session.arriving()).isZero();
      // Later than the watermark: unlike in aLateEventWithinTheWindowStillCompletesTheMatch, f40
      // no longer waits for it.
      assertThat(session.insert(facts.get(0))).isEmpty();
      assertThat(session.size()).isEqualTo(5);
      List<Detection> next = session.insert(facts.get(5));
      assertThat(next).extracting(Detection::triggerEventId).containsExactly("f50");
      assertThat(next.get(0).evidenceIds())
          .containsExactly("f0", "f10", "f20", "f30", "f40", "f50");
    }
  }

  @Test
  void aMatchIsNotRaisedAgainWhenItsWindowLosesAnEventItDidNotNeed() {
    try (RuleSession session = pack.openSession(RULE)) {
      for (Event e : RulePackTest.failures(IP, 0, 10, 20, 30, 40, 50)) {
        session.insert(e); // matches at f40 and f50
      }

      // As the job does: the watermark passes the facts before their window ends.
      session.retireBefore(RulePackTest.T0 + 56_000);
      // f0 leaves f50's window, which still holds five failures.
      session.forgetBefore(RulePackTest.T0 + 1_000);

      assertThat(session.advanceTo(RulePackTest.T0 + 56_000)).isEmpty();
    }
  }

  @Test
  void aTriggerNotRetiredIsRaisedAgainWhenItsWindowChanges() {
    // What retiring spares: Drools fires a match again whenever its collection changes.
    try (RuleSession session = pack.openSession(RULE)) {
      for (Event e : RulePackTest.failures(IP, 0, 10, 20, 30, 40, 50)) {
        session.insert(e);
      }

      session.forgetBefore(RulePackTest.T0 + 1_000);

      assertThat(session.advanceTo(RulePackTest.T0 + 56_000))
          .extracting(Detection::triggerEventId)
          .containsExactly("f50");
    }
  }

  @Test
  void restoredFactsTheWatermarkPassedAreNoTriggers() {
    try (RuleSession session = pack.openSession(RULE)) {
      session.restore(RulePackTest.failures(IP, 0, 10, 20, 30, 40), RulePackTest.T0 + 30_000);

      assertThat(session.size()).isEqualTo(5);
      assertThat(session.arriving()).isEqualTo(2);
      // f30 and f40 are in arrivals and the window, the three before them in the window only.
      assertThat(session.insert(RulePackTest.failures(IP, 50).get(0)))
          .extracting(Detection::triggerEventId)
          .containsExactly("f50");
    }
  }

  @Test
  void aFloodTrimRetiresEveryTriggerAndTheNextEventIsOneAgain() {
    try (RuleSession session = pack.openSession(RULE)) {
      for (Event e : RulePackTest.failures(IP, 0, 1, 2, 3, 4, 5, 6, 7)) {
        session.insert(e);
      }
      assertThat(session.trimTo(8)).isZero();
      assertThat(session.arriving()).isEqualTo(8);

      assertThat(session.trimTo(3)).isEqualTo(5);

      assertThat(session.size()).isEqualTo(3);
      assertThat(session.arriving()).isZero();
      // f5, f6, f7 and the new one: four, below the rule's five.
      assertThat(session.insert(RulePackTest.failures(IP, 8).get(0))).isEmpty();
      assertThat(session.arriving()).isEqualTo(1);
      assertThat(session.insert(RulePackTest.failures(IP, 9).get(0)))
          .extracting(Detection::triggerEventId)
          .containsExactly("f9");
    }
  }

  @Test
  void aRuleWithoutArrivalsKeepsNoFactThere() {
    try (RuleSession session = pack.openSession("auth-ssh-root-login")) {
      Event login =
          new Event("r1", RulePackTest.T0)
              .put("event.category", List.of("authentication"))
              .put("event.type", List.of("start"))
              .put("event.action", "ssh_login")
              .put("event.outcome", "success")
              .put("user.name", "root")
              .put("source.ip", IP)
              .put("host.name", "web1");

      assertThat(session.readsArrivals()).isFalse();
      assertThat(pack.readsArrivals("auth-ssh-root-login")).isFalse();
      assertThat(session.insert(login)).hasSize(1);
      assertThat(session.arriving()).isZero();
    }
  }

  @Test
  void forgottenFactsNoLongerCount() {
    try (RuleSession session = pack.openSession(RULE)) {
      for (Event e : RulePackTest.failures(IP, 0, 10, 20, 30)) {
        session.insert(e);
      }

      assertThat(session.forgetBefore(RulePackTest.T0 + 15_000)).isEqualTo(2);

      assertThat(session.insert(RulePackTest.failures(IP, 40).get(0))).isEmpty();
      assertThat(session.size()).isEqualTo(3);
    }
  }

  @Test
  void eventsTheRuleDoesNotAcceptAreLeftOut() {
    try (RuleSession session = pack.openSession(RULE)) {
      Event other = new Event("x", RulePackTest.T0).put("event.category", List.of("network"));

      assertThat(session.insert(other)).isEmpty();
      assertThat(session.size()).isZero();
    }
  }

  @Test
  void refusesAnEventWithoutAnIdAndAnUnknownRule() {
    try (RuleSession session = pack.openSession(RULE)) {
      assertThatThrownBy(() -> session.insert(new Event(null, 0)))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> pack.openSession("no-such-rule"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-such-rule");
  }
}
