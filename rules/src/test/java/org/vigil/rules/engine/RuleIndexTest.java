package org.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;

/** The index finds exactly the rules that asking every rule finds, in the same order. */
class RuleIndexTest {
  private static final List<String> ACTIONS =
      List.of(
          "ssh_login",
          "ssh_invalid_user",
          "sudo_command",
          "dns_query",
          "http_request",
          "logon-failed",
          "added-member-to-group",
          "user_created");
  private static final List<String> TYPES =
      List.of("start", "connection", "denied", "group", "creation", "allowed");
  private static final List<String> CATEGORIES =
      List.of("authentication", "network", "iam", "process", "web", "host", "configuration");

  private static List<RuleDefinition> askingEveryRule(RulePack pack, Event e) {
    List<RuleDefinition> accepting = new ArrayList<>();
    for (RuleDefinition rule : pack.rules()) {
      if (rule.accepts(e)) {
        accepting.add(rule);
      }
    }
    return accepting;
  }

  private static Event randomEvent(Random random, int i) {
    Event e = new Event("e-" + i, 1_767_225_600_000L + i);
    // Lists, single values and numbers, as the parsers and decoders give them.
    List<String> categories = new ArrayList<>();
    for (String c : CATEGORIES) {
      if (random.nextInt(4) == 0) {
        categories.add(c);
      }
    }
    e.put("event.category", random.nextBoolean() ? categories : pick(random, CATEGORIES));
    List<String> types = new ArrayList<>(List.of(pick(random, TYPES)));
    if (random.nextBoolean()) {
      types.add(pick(random, TYPES));
    }
    e.put("event.type", random.nextBoolean() ? types : types.get(0));
    e.put("event.action", pick(random, ACTIONS));
    e.put("event.outcome", random.nextBoolean() ? "failure" : "success");
    e.put("event.code", random.nextBoolean() ? 4625L : "4720");
    if (random.nextInt(3) == 0) {
      e.put("tags", List.of("threat_intel_match"));
      e.put(
          "threat.enrichments.matched.field",
          random.nextBoolean() ? "destination.ip" : "source.ip");
    }
    if (random.nextInt(5) > 0) {
      e.put("source.ip", "203.0.113." + random.nextInt(4));
    }
    if (random.nextInt(5) > 0) {
      e.put("destination.ip", "10.0.0." + random.nextInt(4));
      long port = List.of(22L, 445L, 3389L, 443L).get(random.nextInt(4));
      e.put("destination.port", random.nextBoolean() ? port : Long.toString(port));
    }
    e.put("user.name", random.nextBoolean() ? "root" : "alice");
    e.put("host.name", "web-1");
    e.put("dns.question.name", "example.org");
    e.put("url.path", "/login");
    e.put("group.name", "Domain Admins");
    e.put("winlog.event_data.TargetUserName", "bob");
    e.put("observer.ip", "192.0.2.1");
    return e;
  }

  private static String pick(Random random, List<String> values) {
    return values.get(random.nextInt(values.size()));
  }

  @Test
  void theShippedPackAcceptsTheSameRulesThroughTheIndexAsByAskingEach() {
    RulePack pack = RulePack.builtIn();
    Random random = new Random(7);
    int matched = 0;
    for (int i = 0; i < 20_000; i++) {
      Event e = randomEvent(random, i);
      List<RuleDefinition> expected = askingEveryRule(pack, e);
      assertThat(pack.rulesAccepting(e)).as("event %s", e).isEqualTo(expected);
      matched += expected.size();
    }
    assertThat(matched).as("events some rule accepts").isGreaterThan(5_000);
  }

  @Test
  void aRuleWithoutConditionsIsAskedForEveryEvent() throws Exception {
    RulePack pack =
        pack(
            "rule \"any\" @id(\"any\") @severity(\"low\") @groupBy(\"host.name\")\n"
                + "when $e : Event() then detections.raise($e); end\n"
                + "rule \"web\" @id(\"web\") @severity(\"low\") @groupBy(\"host.name\")"
                + " @category(\"web\")\n"
                + "when $e : Event() then detections.raise($e); end\n");
    Event plain = new Event("p", 0L).put("host.name", "h");
    Event web = new Event("w", 0L).put("host.name", "h").put("event.category", List.of("web"));
    Event noHost = new Event("n", 0L).put("event.category", "web");

    assertThat(pack.rulesAccepting(plain)).extracting(RuleDefinition::id).containsExactly("any");
    assertThat(pack.rulesAccepting(web))
        .extracting(RuleDefinition::id)
        .containsExactly("any", "web");
    assertThat(pack.rulesAccepting(noHost)).isEmpty();
  }

  @Test
  void aConditionWithAlternativesAcceptsAnyOfThem() throws Exception {
    RulePack pack =
        pack(
            "rule \"smb\" @id(\"smb\") @severity(\"low\") @groupBy(\"host.name\")"
                + " @match(\"destination.port=445|3389, event.type=connection\")\n"
                + "when $e : Event() then detections.raise($e); end\n");
    Event smb = new Event("a", 0L).put("host.name", "h").put("destination.port", 445L);
    smb.put("event.type", List.of("connection"));
    Event rdp = new Event("b", 0L).put("host.name", "h").put("destination.port", "3389");
    rdp.put("event.type", "connection");
    Event ssh = new Event("c", 0L).put("host.name", "h").put("destination.port", 22L);
    ssh.put("event.type", "connection");

    assertThat(pack.rulesAccepting(smb)).extracting(RuleDefinition::id).containsExactly("smb");
    assertThat(pack.rulesAccepting(rdp)).extracting(RuleDefinition::id).containsExactly("smb");
    assertThat(pack.rulesAccepting(ssh)).isEmpty();
    assertThat(pack.rule("smb").match())
        .containsEntry("destination.port", java.util.Set.of("445", "3389"));
  }

  @Test
  void anEmptyAlternativeIsACompileError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                pack(
                    "rule \"smb\" @id(\"smb\") @severity(\"low\")"
                        + " @groupBy(\"host.name\") @match(\"destination.port=445|\")\n"
                        + "when $e : Event() then detections.raise($e); end\n"))
        .isInstanceOf(RuleCompilationException.class)
        .hasMessageContaining("'destination.port=445|' has an empty alternative");
  }

  /** A pack of the given rules in one file that imports Event and declares the global. */
  private static RulePack pack(String rules) throws RuleCompilationException {
    return RulePack.compile(
        "t",
        java.util.Map.of(
            "t.drl",
            "package t;\n"
                + "import org.vigil.model.Event;\n"
                + "global org.vigil.rules.engine.Detections detections;\n"
                + rules));
  }
}
