package org.vigil.dashboards;

import java.util.List;

/** One page of audit records and how many match in all. */
public record AuditPage(long total, List<AuditRecord> records) {
  public AuditPage {
    records = List.copyOf(records);
  }
}
