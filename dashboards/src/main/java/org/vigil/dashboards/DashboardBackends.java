package org.vigil.dashboards;

import java.util.List;

/**
 * Where the dashboard keeps and finds its data. Production wires the Elasticsearch stores; unit
 * tests wire in-memory ones.
 *
 * @param events event search and the overview
 * @param healthProbes what {@code /api/v1/health/components} measures, in page order
 */
public record DashboardBackends(
    UserStore users,
    AlertStore alerts,
    AuditTrail audit,
    TokenStore tokens,
    RuleReleaseStore rules,
    EventStore events,
    List<HealthProbe> healthProbes) {

  public DashboardBackends {
    if (users == null || alerts == null || audit == null || rules == null) {
      throw new IllegalArgumentException(
          "the dashboard needs its user, alert and rule release stores and audit trail");
    }
    if (tokens == null) {
      throw new IllegalArgumentException("the dashboard needs a token store");
    }
    if (events == null) {
      throw new IllegalArgumentException("the dashboard needs an event store");
    }
    healthProbes = healthProbes == null ? List.of() : List.copyOf(healthProbes);
  }
}
