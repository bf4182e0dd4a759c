package org.vigil.dashboards;

/** Backends for tests that need only some stores: the rest in memory and empty. */
final class TestBackends {
  private TestBackends() {}

  static DashboardBackends of(UserStore users, AlertStore alerts, AuditTrail audit) {
    return new DashboardBackends(
        users,
        alerts,
        audit,
        new InMemoryTokenStore(),
        new InMemoryRuleReleaseStore(),
        new InMemoryAlertActivityStore(),
        new InMemoryEvidenceStore());
  }
}
