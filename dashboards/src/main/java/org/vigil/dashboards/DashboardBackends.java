package org.vigil.dashboards;

import java.util.List;

/**
 * Where the dashboard keeps and finds its data. Production wires the Elasticsearch stores; unit
 * tests wire in-memory ones.
 *
 * @param rules rule releases, for the rules API
 * @param events event search and the overview
 * @param healthProbes what {@code /api/v1/health/components} measures, in page order
 * @param activity comments and triage history of alerts
 * @param evidence the events alerts cite
 * @param reports compliance report definitions, generation and the kept results
 */
public record DashboardBackends(
    UserStore users,
    AlertStore alerts,
    AuditTrail audit,
    TokenStore tokens,
    RuleReleaseStore rules,
    EventStore events,
    List<HealthProbe> healthProbes,
    AlertActivityStore activity,
    EvidenceStore evidence,
    ReportBackends reports) {

  public DashboardBackends {
    if (users == null
        || alerts == null
        || audit == null
        || tokens == null
        || rules == null
        || events == null
        || activity == null
        || evidence == null
        || reports == null) {
      throw new IllegalArgumentException(
          "the dashboard needs every store: users, alerts, audit, tokens, rules, events, alert"
              + " activity, evidence and reports");
    }
    healthProbes = healthProbes == null ? List.of() : List.copyOf(healthProbes);
  }
}
