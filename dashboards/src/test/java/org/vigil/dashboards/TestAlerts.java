package org.vigil.dashboards;

import java.util.List;
import java.util.Map;
import org.vigil.model.Alert;
import org.vigil.model.AlertStatus;
import org.vigil.model.Severity;

/** Alert fixtures. */
final class TestAlerts {
  static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private TestAlerts() {}

  static Alert alert(
      String ruleId, String sourceIp, String organizationId, Severity severity, long detected) {
    Map<String, String> group = Map.of("source.ip", sourceIp);
    return new Alert(
        Alert.idFor("test", ruleId, group, detected),
        ruleId,
        "Rule " + ruleId,
        1,
        "test",
        "a test rule",
        severity,
        "T1110",
        group,
        3,
        detected - 60_000,
        detected,
        List.of("e1", "e2", "e3"),
        organizationId,
        AlertStatus.NEW,
        null,
        null,
        detected - 2_000,
        detected - 1_000,
        detected,
        "3 failed logins from " + sourceIp);
  }
}
