package org.vigil.correlation.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vigil.model.Severity;

class AssetCriticalityTest {
  @Test
  void riskScoreIsTheSeverityScoreWeighedByCriticalityAndCappedAt100() {
    assertThat(AssetCriticality.riskScore(Severity.LOW, null)).isEqualTo(21);
    assertThat(AssetCriticality.riskScore(Severity.MEDIUM, null)).isEqualTo(47);
    assertThat(AssetCriticality.riskScore(Severity.HIGH, AssetCriticality.MEDIUM)).isEqualTo(73);
    assertThat(AssetCriticality.riskScore(Severity.CRITICAL, null)).isEqualTo(99);
    assertThat(AssetCriticality.riskScore(Severity.LOW, AssetCriticality.LOW)).isEqualTo(11);
    assertThat(AssetCriticality.riskScore(Severity.MEDIUM, AssetCriticality.HIGH)).isEqualTo(71);
    assertThat(AssetCriticality.riskScore(Severity.MEDIUM, AssetCriticality.CRITICAL))
        .isEqualTo(94);
    assertThat(AssetCriticality.riskScore(Severity.HIGH, AssetCriticality.HIGH)).isEqualTo(100);
    assertThat(AssetCriticality.riskScore(Severity.CRITICAL, AssetCriticality.CRITICAL))
        .isEqualTo(100);
  }

  @Test
  void theHigherOfTwoCriticalitiesIgnoresUnknown() {
    assertThat(AssetCriticality.higher(null, AssetCriticality.LOW)).isEqualTo(AssetCriticality.LOW);
    assertThat(AssetCriticality.higher(AssetCriticality.CRITICAL, AssetCriticality.HIGH))
        .isEqualTo(AssetCriticality.CRITICAL);
    assertThat(AssetCriticality.fromWireNameOrNull("urgent")).isNull();
    assertThat(AssetCriticality.fromWireNameOrNull(" High ")).isEqualTo(AssetCriticality.HIGH);
  }
}
