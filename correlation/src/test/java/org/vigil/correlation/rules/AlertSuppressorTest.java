package org.vigil.correlation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.correlation.rules.AuthEvents.T0;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigil.model.Alert;
import org.vigil.model.Severity;
import org.vigil.rules.engine.RuleDefinition;
import org.vigil.rules.engine.RulePack;

class AlertSuppressorTest {
  private static final long TEN_MINUTES = 600_000L;
  private KeyedOneInputStreamOperatorTestHarness<String, Finding, Alert> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new AlertSuppressor()), Finding::getKey, Types.STRING);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private static Finding finding(long first, long last, String... ids) {
    Finding f = new Finding();
    f.ruleId = "auth-brute-force";
    f.group.put("source.ip", "203.0.113.9");
    f.key = RoutedEvent.keyOf("vigil", f.ruleId, Alert.groupKey(f.group));
    RuleDefinition rule = RulePack.builtIn().rule(f.ruleId);
    f.ruleName = rule.name();
    f.ruleVersion = rule.version();
    f.ruleset = rule.ruleset();
    f.ruleDescription = rule.description();
    f.severity = rule.severity();
    f.techniqueId = rule.techniqueId();
    f.suppressionMillis = rule.suppression().toMillis();
    f.evidenceIds.addAll(List.of(ids));
    f.firstSeen = first;
    f.lastSeen = last;
    f.evidenceReceived = last + 50;
    f.detected = last + 80;
    return f;
  }

  private void send(Finding f) throws Exception {
    harness.processElement(new StreamRecord<>(f, f.lastSeen));
  }

  private List<Alert> alerts() {
    return harness.extractOutputValues();
  }

  @Test
  void opensOneAlertWithTheRulesMetadata() throws Exception {
    send(finding(T0, T0 + 4000, "e0", "e1", "e2", "e3", "e4"));

    assertThat(alerts()).hasSize(1);
    Alert a = alerts().get(0);
    assertThat(a.ruleId()).isEqualTo("auth-brute-force");
    assertThat(a.techniqueId()).isEqualTo("T1110");
    assertThat(a.severity()).isEqualTo(Severity.HIGH);
    assertThat(a.group()).isEqualTo(Map.of("source.ip", "203.0.113.9"));
    assertThat(a.count()).isEqualTo(5);
    assertThat(a.firstSeen()).isEqualTo(T0);
    assertThat(a.lastSeen()).isEqualTo(T0 + 4000);
    assertThat(a.id()).isEqualTo(Alert.idFor("vigil", "auth-brute-force", a.group(), T0));
    assertThat(a.evidenceReceived()).isEqualTo(T0 + 4050);
  }

  @Test
  void theSameRuleIdInAnotherRulesetOpensItsOwnAlert() throws Exception {
    Finding shipped = finding(T0, T0 + 4000, "e0", "e1", "e2", "e3", "e4");
    Finding agencyCopy = finding(T0, T0 + 4000, "e0", "e1", "e2", "e3", "e4");
    agencyCopy.ruleset = "agency-7";
    agencyCopy.key = RoutedEvent.keyOf("agency-7", agencyCopy.ruleId, "source.ip=203.0.113.9");

    send(shipped);
    send(agencyCopy);

    assertThat(alerts()).extracting(Alert::ruleset).containsExactly("vigil", "agency-7");
    assertThat(alerts().get(0).id()).isNotEqualTo(alerts().get(1).id());
  }

  @Test
  void theMostCriticalAssetAmongTheFindingsWeighsTheRiskScore() throws Exception {
    Finding plain = finding(T0, T0 + 4000, "e0", "e1", "e2", "e3", "e4");
    Finding onServer = finding(T0, T0 + 5000, "e5");
    onServer.assetCriticality = "high";
    Finding onKiosk = finding(T0, T0 + 6000, "e6");
    onKiosk.assetCriticality = "low";

    send(plain);
    send(onServer);
    send(onKiosk);

    assertThat(alerts())
        .extracting(Alert::riskScore)
        .as("high severity 73: alone, times 1.5 capped, still the high asset's")
        .containsExactly(73, 100, 100);
  }

  @Test
  void countsEachEvidenceEventOnceAcrossOverlappingFindings() throws Exception {
    send(finding(T0, T0 + 4000, "e0", "e1", "e2", "e3", "e4"));
    send(finding(T0, T0 + 5000, "e0", "e1", "e2", "e3", "e4", "e5"));
    send(finding(T0 + 1000, T0 + 5000, "e1", "e2", "e3", "e4", "e5"));

    assertThat(alerts()).hasSize(2); // the third finding changed nothing
    Alert updated = alerts().get(1);
    assertThat(updated.id()).isEqualTo(alerts().get(0).id());
    assertThat(updated.count()).isEqualTo(6);
    assertThat(updated.lastSeen()).isEqualTo(T0 + 5000);
    assertThat(updated.evidence()).containsExactly("e0", "e1", "e2", "e3", "e4", "e5");
  }

  @Test
  void opensANewAlertAfterTheSuppressionWindow() throws Exception {
    send(finding(T0, T0 + 4000, "a0", "a1", "a2", "a3", "a4"));
    send(finding(T0 + TEN_MINUTES + 1000, T0 + TEN_MINUTES + 5000, "b0", "b1", "b2", "b3", "b4"));

    assertThat(alerts()).hasSize(2);
    assertThat(alerts().get(1).id()).isNotEqualTo(alerts().get(0).id());
    assertThat(alerts().get(1).count()).isEqualTo(5);
  }

  @Test
  void cleansUpWhenTheWindowHasPassed() throws Exception {
    send(finding(T0, T0 + 4000, "e0", "e1", "e2", "e3", "e4"));
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.processWatermark(T0 + TEN_MINUTES);

    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }
}
