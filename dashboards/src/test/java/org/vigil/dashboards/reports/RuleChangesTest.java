package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vigil.rules.engine.RuleDefinition;

class RuleChangesTest {

  private static RuleDefinition rule(String id, int version, String severity) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("id", id);
    metadata.put("version", Integer.toString(version));
    metadata.put("severity", severity);
    metadata.put("groupBy", "source.ip");
    return RuleDefinition.fromMetadata("vigil", "Rule " + id, metadata);
  }

  private static Map<String, RuleDefinition> rules(RuleDefinition... rules) {
    Map<String, RuleDefinition> byId = new LinkedHashMap<>();
    for (RuleDefinition r : rules) {
      byId.put(r.id(), r);
    }
    return byId;
  }

  @Test
  void findsAddedChangedAndDisabledRules() {
    Map<String, RuleDefinition> before =
        rules(rule("kept", 1, "low"), rule("bumped", 1, "low"), rule("gone", 1, "high"));
    Map<String, RuleDefinition> after =
        rules(rule("kept", 1, "low"), rule("bumped", 2, "low"), rule("new", 1, "medium"));

    RuleChanges changes = RuleChanges.between(before, Map.of(), after, Map.of());

    assertThat(changes.added()).containsExactly("new");
    assertThat(changes.changed()).containsExactly("bumped");
    assertThat(changes.disabled()).containsExactly("gone");
  }

  @Test
  void ruleWithNewMetadataButSameVersionIsChanged() {
    RuleChanges changes =
        RuleChanges.between(
            rules(rule("r", 1, "low")), Map.of(), rules(rule("r", 1, "critical")), Map.of());

    assertThat(changes.changed()).containsExactly("r");
  }

  @Test
  void ruleWithNewTextButSameDefinitionIsChanged() {
    RuleChanges changes =
        RuleChanges.between(
            rules(rule("r", 1, "low")),
            Map.of("r", "when Event( outcome == \"failure\" )"),
            rules(rule("r", 1, "low")),
            Map.of("r", "when Event( outcome == \"success\" )"));

    assertThat(changes.changed()).containsExactly("r");
    assertThat(changes.added()).isEmpty();
  }

  @Test
  void sameRulesAreNoChange() {
    RuleChanges changes =
        RuleChanges.between(
            rules(rule("r", 1, "low")),
            Map.of("r", "x"),
            rules(rule("r", 1, "low")),
            Map.of("r", "x"));

    assertThat(changes.isEmpty()).isTrue();
  }

  @Test
  void drlTextsAreReadPerRuleIgnoringBlankLines() {
    String drl =
        "package p;\n"
            + "rule \"One\" @id(\"one\")\nwhen\n  $e : Event()\n\nthen\nend\n"
            + "// between\n"
            + "rule 'Two' @id(\"two\")\nwhen\n  $e : Event()   \nthen\nend\n";

    Map<String, String> texts = DrlRuleTexts.of(Map.of("a.drl", drl));
    Map<String, String> reformatted =
        DrlRuleTexts.of(Map.of("a.drl", drl.replace("Event()\n\n", "Event()\n")));

    assertThat(texts).containsOnlyKeys("One", "Two");
    assertThat(texts.get("Two")).doesNotContain("between");
    assertThat(reformatted).isEqualTo(texts);
  }

  @Test
  void shippedPackTextsCoverEveryShippedRule() {
    Map<String, String> texts = DrlRuleTexts.of(DrlRuleTexts.builtInFiles());

    assertThat(texts.keySet())
        .containsAll(
            org.vigil.rules.engine.RulePack.builtIn().rules().stream()
                .map(RuleDefinition::name)
                .toList());
  }
}
