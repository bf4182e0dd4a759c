package org.vigil.dashboards;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Audit events in a list, numbered from 1 like the Elasticsearch chain. */
final class InMemoryAuditTrail implements AuditTrail {
  private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public synchronized long append(AuditEvent event) {
    events.add(event);
    return events.size();
  }

  List<AuditEvent> events() {
    return List.copyOf(events);
  }
}
