package org.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;

/**
 * The rule stage skips Drools for a group holding fewer events than a rule's bound, so a bound too
 * high would lose detections: each form is checked to fire at its bound and not below it, and every
 * form whose meaning is not certain must give one.
 */
class EvidenceBoundTest {
  private static final String HEADER =
      "package org.vigil.test;\n"
          + "import java.util.Set;\n"
          + "import java.util.List;\n"
          + "import org.vigil.model.Event;\n"
          + "global org.vigil.rules.engine.Detections detections;\n";

  private static String rule(String id, String when) {
    return "rule \""
        + id
        + "\" @id(\""
        + id
        + "\") @severity(\"low\") @technique(\"T1110\") @groupBy(\"source.ip\")"
        + " @window(\"10m\")\nwhen\n"
        + when
        + "\nthen\n  detections.raise( $t );\nend\n";
  }

  private static RulePack pack(String... rules) throws RuleCompilationException {
    return RulePack.compile("test", Map.of("test.drl", HEADER + String.join("\n", rules)));
  }

  @Test
  void theShippedThresholdAndDistinctCountRulesNeedTheirCount() {
    RulePack shipped = RulePack.builtIn();

    assertThat(shipped.minimumEvents("auth-brute-force")).isEqualTo(5);
    assertThat(shipped.minimumEvents("auth-password-spray")).isEqualTo(5);
    assertThat(shipped.minimumEvents("auth-brute-force-success")).isEqualTo(5);
    assertThat(shipped.minimumEvents("auth-invalid-user-enumeration")).isEqualTo(10);
    assertThat(shipped.minimumEvents("auth-ssh-root-login")).isEqualTo(1);
    assertThat(shipped.minimumEvents("no-such-rule")).isEqualTo(1);
  }

  @Test
  void aCollectedSetFiresAtItsSizeAndNotBelow() throws Exception {
    RulePack pack =
        pack(
            rule(
                "at-least",
                "  $t : Event( $ip : sourceIp )\n"
                    + "  Set( size >= 4 ) from collect( Event( sourceIp == $ip ) )"),
            rule(
                "more-than",
                "  $t : Event( $ip : sourceIp )\n"
                    + "  List( size() > 3 ) from collect( Event( sourceIp == $ip ) )"));

    for (String id : List.of("at-least", "more-than")) {
      assertThat(pack.minimumEvents(id)).as(id).isEqualTo(4);
      assertThat(pack.evaluate(id, events(3, "u"))).as(id).isEmpty();
      assertThat(pack.evaluate(id, events(4, "u"))).as(id).isNotEmpty();
    }
  }

  @Test
  void anAccumulatedSetOrCountFiresAtItsSizeAndNotBelow() throws Exception {
    RulePack pack =
        pack(
            rule(
                "distinct",
                "  $t : Event( $ip : sourceIp )\n"
                    + "  accumulate( Event( sourceIp == $ip, $u : userName );"
                    + " $users : collectSet( $u ); $users.size() >= 3 )"),
            rule(
                "counted",
                "  $t : Event( $ip : sourceIp )\n"
                    + "  accumulate( Event( sourceIp == $ip ); $n : count(); $n > 2 )"));

    for (String id : List.of("distinct", "counted")) {
      assertThat(pack.minimumEvents(id)).as(id).isEqualTo(3);
      assertThat(pack.evaluate(id, events(2, null))).as(id).isEmpty();
      assertThat(pack.evaluate(id, events(3, null))).as(id).isNotEmpty();
    }
  }

  @Test
  void conditionsWithoutACertainCountGiveOne() throws Exception {
    RulePack pack =
        pack(
            rule(
                "negated",
                "  $t : Event( $ip : sourceIp )\n"
                    + "  not( Set( size >= 4 ) from collect( Event( sourceIp == $ip ) ) )"),
            rule(
                "from-a-field",
                "  $t : Event( $l : fields )\n"
                    + "  Set( size >= 4 ) from collect( Event() from $l.values() )"),
            rule(
                "two-patterns",
                "  $t : Event( $ip : sourceIp )\n"
                    + "  accumulate( Event( sourceIp == $ip ) and Event( sourceIp == $ip );"
                    + " $n : count(); $n >= 4 )"),
            rule(
                "sum",
                "  $t : Event( $ip : sourceIp )\n"
                    + "  accumulate( Event( sourceIp == $ip, $u : userName );"
                    + " $total : sum( $u.length() ); $total >= 4 )"),
            rule(
                "other-form",
                "  $t : Event( $ip : sourceIp )\n"
                    + "  Set( 4 <= size ) from collect( Event( sourceIp == $ip ) )"));

    for (String id : List.of("negated", "from-a-field", "two-patterns", "sum", "other-form")) {
      assertThat(pack.minimumEvents(id)).as(id).isEqualTo(1);
    }
  }

  @Test
  void anIndicatorRuleThatCouldAddEventsLeavesEveryBoundAtOne() throws Exception {
    String threshold =
        rule(
            "threshold",
            "  $t : Event( $ip : sourceIp )\n"
                + "  Set( size >= 4 ) from collect( Event( sourceIp == $ip ) )");
    String addsEvents =
        "rule \"copies events\" @indicator\nwhen\n  $e : Event( sourceIp != null )\nthen\n"
            + "  insertLogical( new Event( $e.getId() + \"-copy\", $e.getTimestamp() ) );\nend\n";
    String derivesOther =
        "declare Suspicious\n  ip : String\nend\n"
            + "rule \"marks sources\" @indicator\nwhen\n  $e : Event( $ip : sourceIp != null )\n"
            + "then\n  insertLogical( new Suspicious( $ip ) );\nend\n";

    assertThat(pack(threshold, addsEvents).minimumEvents("threshold")).isEqualTo(1);
    assertThat(pack(threshold, derivesOther).minimumEvents("threshold")).isEqualTo(4);
  }

  /** {@code n} events of one source 1 s apart, each with its own user name when asked. */
  private static List<Event> events(int n, String user) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Event e = new Event("e" + i, RulePackTest.T0 + i * 1_000L);
      e.put("source.ip", "203.0.113.9");
      e.put("user.name", user == null ? "user" + i : user);
      events.add(e);
    }
    return events;
  }
}
