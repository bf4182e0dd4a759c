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
    EventStore events,
    List<HealthProbe> healthProbes) {

  public DashboardBackends {
    if (users == null || alerts == null || audit == null) {
      throw new IllegalArgumentException("the dashboard needs a user store, alert store and audit");
    }
    if (events == null) {
      throw new IllegalArgumentException("the dashboard needs an event store");
    }
    healthProbes = healthProbes == null ? List.of() : List.copyOf(healthProbes);
  }
}
