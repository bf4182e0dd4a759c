package org.vigil.dashboards;

import java.util.List;

/** Backends for tests that need only some stores: the rest in memory and empty. */
final class TestBackends {
  private TestBackends() {}

  static DashboardBackends of(UserStore users, AlertStore alerts, AuditTrail audit) {
    return withEvents(users, alerts, audit, new InMemoryEventStore(), List.of());
  }

  static DashboardBackends withEvents(
      UserStore users,
      AlertStore alerts,
      AuditTrail audit,
      EventStore events,
      List<HealthProbe> healthProbes) {
    return new DashboardBackends(
        users,
        alerts,
        audit,
        new InMemoryTokenStore(),
        new InMemoryRuleReleaseStore(),
        new InMemoryAlertActivityStore(),
        new InMemoryEvidenceStore(),
        events,
        healthProbes);
  }
}
