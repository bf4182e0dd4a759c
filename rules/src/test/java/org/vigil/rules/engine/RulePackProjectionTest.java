package org.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;

/** What of an event a pack's rules see: the fields they can read, in the job and in tests alike. */
class RulePackProjectionTest {
  private static final String HEADER =
      "package test.rules;\n"
          + "import org.vigil.model.Event;\n"
          + "global org.vigil.rules.engine.Detections detections;\n";

  private static String rule(String id, String when) {
    return "rule \""
        + id
        + "\" @id(\""
        + id
        + "\") @severity(\"low\") @groupBy(\"source.ip\") @match(\"event.type=start\")\n"
        + "when\n  "
        + when
        + "\nthen\n  detections.raise( $e );\nend\n";
  }

  private static RulePack pack(String when) throws RuleCompilationException {
    return RulePack.compile("t", Map.of("t.drl", HEADER + rule("r", when)));
  }

  /** An sshd line as the syslog stage builds it, with fields no rule reads. */
  private static Event sshdFailure(String id) {
    return new Event(id, 1_767_225_600_000L)
        .put("event.type", "start")
        .put("event.outcome", "failure")
        .put("source.ip", "203.0.113.7")
        .put("user.name", "admin")
        .put("process.name", "sshd")
        .put("organization.id", "health")
        .put("vigil.asset.criticality", "high")
        .put("event.ingested", "2026-01-01T00:00:00.120Z")
        .put("event.original", "<38>Jan  1 00:00:00 web1 sshd[7]: Failed password for admin")
        .put("log.syslog.priority", 38L)
        .put("process.pid", 7L);
  }

  @Test
  void rulesSeeTheFieldsTheirCodeNamesTheirMetadataAndTheAlertNeeds() throws Exception {
    RulePack pack = pack("$e : Event( text(\"process.name\") == \"sshd\" )");

    Event seen = pack.project(sshdFailure("e1"));

    assertThat(seen.getId()).isEqualTo("e1");
    assertThat(seen.getTimestamp()).isEqualTo(1_767_225_600_000L);
    assertThat(seen.getFields())
        .containsOnlyKeys(
            "event.type", // @match
            "source.ip", // @groupBy, and behind getSourceIp
            "process.name", // named in the rule
            "event.outcome", // behind getOutcome
            "user.name", // behind getUserName
            "organization.id", // the alert's agency
            "vigil.asset.criticality", // the alert's risk score
            "event.ingested"); // the alert's latency stamp
  }

  @Test
  void rulesSeeAnEventTheyCannotChange() throws Exception {
    RulePack pack = pack("$e : Event( text(\"process.name\") == \"sshd\" )");
    Event seen = pack.project(sshdFailure("e1").put("event.category", List.of("authentication")));

    assertThatThrownBy(() -> seen.put("user.name", "root"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(seen.getFields().get("event.category")).isEqualTo(List.of("authentication"));
    assertThatThrownBy(() -> ((List<?>) seen.getFields().get("event.category")).clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aPackThatReachesTheWholeFieldMapSeesWholeEvents() throws Exception {
    RulePack pack = pack("$e : Event( fields[\"process.name\"] == \"sshd\" )");
    Event event = sshdFailure("e1");

    assertThat(pack.project(event)).isEqualTo(event).isNotSameAs(event);
  }

  @Test
  void aFieldNamedWithAUnicodeEscapeIsStillRead() throws Exception {
    String function =
        "function boolean fromSshd(Event e) {\n"
            + "  return \"sshd\".equals(e.text(\"process\\u002ename\"));\n"
            + "}\n";
    RulePack pack =
        RulePack.compile(
            "t", Map.of("t.drl", HEADER + function + rule("r", "$e : Event( fromSshd(this) )")));

    assertThat(pack.project(sshdFailure("e1")).getFields()).containsKey("process.name");
    assertThat(pack.evaluate("r", List.of(sshdFailure("e1")))).hasSize(1);
  }

  @Test
  void testsOfAPackSeeWhatTheJobSeesSoAFieldNameBuiltAtRunTimeFailsThem() throws Exception {
    RulePack named = pack("$e : Event( text(\"process.name\") == \"sshd\" )");
    RulePack built = pack("$e : Event( text(\"process\" + \".name\") == \"sshd\" )");

    assertThat(named.evaluate("r", List.of(sshdFailure("e1")))).hasSize(1);
    assertThat(built.evaluate("r", List.of(sshdFailure("e1")))).isEmpty();
  }
}
