package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.rules.engine.RuleDefinition;
import org.vigil.rules.engine.RulePack;

class AttackTacticsTest {
  private final AttackTactics shipped = AttackTactics.shipped();

  @Test
  void mapsTechniqueToItsTacticsInAttackOrder() {
    assertThat(shipped.tacticsOf("T1110")).containsExactly("Credential Access");
    assertThat(shipped.tacticsOf("T1078"))
        .containsExactly(
            "Initial Access", "Persistence", "Privilege Escalation", "Defense Evasion");
  }

  @Test
  void subTechniqueFallsBackToItsParent() {
    assertThat(shipped.tacticsOf("T1110.001")).containsExactly("Credential Access");
    assertThat(shipped.tacticsOf("t1071.004")).containsExactly("Command and Control");
  }

  @Test
  void unknownOrMissingTechniqueIsUnmapped() {
    assertThat(shipped.tacticsOf("T9999")).containsExactly(AttackTactics.UNMAPPED);
    assertThat(shipped.tacticsOf(null)).containsExactly(AttackTactics.UNMAPPED);
    assertThat(shipped.tacticsOf(" ")).containsExactly(AttackTactics.UNMAPPED);
  }

  @Test
  void everyTechniqueOfTheShippedRulesIsMapped() {
    List<String> techniques =
        RulePack.builtIn().rules().stream()
            .map(RuleDefinition::techniqueId)
            .filter(t -> t != null && !t.isBlank())
            .distinct()
            .toList();

    assertThat(techniques).isNotEmpty();
    assertThat(techniques)
        .allSatisfy(t -> assertThat(shipped.tacticsOf(t)).doesNotContain(AttackTactics.UNMAPPED));
  }

  @Test
  void refusesTacticNotListed() {
    assertThatThrownBy(
            () ->
                AttackTactics.parse(
                    "tactics: [Discovery]\ntechniques:\n  T1046: [Discovery, Lunch]\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Lunch");
  }

  @Test
  void refusesSubTechniqueAsKey() {
    assertThatThrownBy(
            () ->
                AttackTactics.parse(
                    "tactics: [Discovery]\ntechniques:\n  T1046.001: [Discovery]\n"))
        .hasMessageContaining("T1046.001");
  }
}
