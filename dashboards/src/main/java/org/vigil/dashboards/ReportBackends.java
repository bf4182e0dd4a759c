package org.vigil.dashboards;

import org.vigil.dashboards.reports.ReportGenerator;

/**
 * What the reports API and the schedules use.
 *
 * @param catalog the admin's report definitions
 * @param generator computes reports from the data
 * @param archive keeps generated reports for download
 */
public record ReportBackends(
    ReportCatalog catalog, ReportGenerator generator, ReportArchive archive) {

  public ReportBackends {
    if (catalog == null || generator == null || archive == null) {
      throw new IllegalArgumentException("reports need a catalog, a generator and an archive");
    }
  }

  ReportRunner runner() {
    return new ReportRunner(generator, archive);
  }
}
