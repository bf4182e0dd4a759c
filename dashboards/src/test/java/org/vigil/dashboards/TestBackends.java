package org.vigil.dashboards;

import java.util.List;

/** In-memory backends for the dashboard's HTTP tests; each test swaps in the stores it inspects. */
final class TestBackends {
  private UserStore users = new InMemoryUserStore();
  private AlertStore alerts = new InMemoryAlertStore();
  private AuditTrail audit = new InMemoryAuditTrail();
  private TokenStore tokens = new InMemoryTokenStore();
  private RuleReleaseStore rules = new InMemoryRuleReleaseStore();
  private EventStore events = new InMemoryEventStore();
  private List<HealthProbe> healthProbes = List.of();
  private AlertActivityStore activity = new InMemoryAlertActivityStore();
  private EvidenceStore evidence = new InMemoryEvidenceStore();
  private ReportBackends reports =
      new ReportBackends(
          ReportCatalog.empty(),
          (definition, by, end) -> {
            throw new java.io.IOException("this test generates no reports");
          },
          new InMemoryReportArchive());

  /** Users, alerts and audit given, the rest in memory and empty. */
  static DashboardBackends of(UserStore users, AlertStore alerts, AuditTrail audit) {
    return of(users).alerts(alerts).audit(audit).build();
  }

  static TestBackends of(UserStore users) {
    TestBackends b = new TestBackends();
    b.users = users;
    return b;
  }

  TestBackends alerts(AlertStore store) {
    alerts = store;
    return this;
  }

  TestBackends audit(AuditTrail trail) {
    audit = trail;
    return this;
  }

  TestBackends tokens(TokenStore store) {
    tokens = store;
    return this;
  }

  TestBackends rules(RuleReleaseStore store) {
    rules = store;
    return this;
  }

  TestBackends events(EventStore store) {
    events = store;
    return this;
  }

  TestBackends healthProbes(List<HealthProbe> probes) {
    healthProbes = probes;
    return this;
  }

  TestBackends activity(AlertActivityStore store) {
    activity = store;
    return this;
  }

  TestBackends evidence(EvidenceStore store) {
    evidence = store;
    return this;
  }

  TestBackends reports(ReportBackends backends) {
    reports = backends;
    return this;
  }

  DashboardBackends build() {
    return new DashboardBackends(
        users, alerts, audit, tokens, rules, events, healthProbes, activity, evidence, reports);
  }
}
