package org.vigil.dashboards.reports;

import java.io.IOException;
import java.time.Instant;

/** Computes a report from the system's data. */
@FunctionalInterface
public interface ReportGenerator {

  /**
   * @param generatedBy who asked: a username, {@code cli:<OS user>} or {@code system} for a
   *     schedule
   * @param periodEnd where the period ends (exclusive, rounded down to the second); null for now. A
   *     scheduled run ends its period at its due time, so every dashboard process computes the same
   *     report and a run made up after downtime covers the period it was due for
   * @throws IOException when a source could not be read: no partial report is made
   */
  Report generate(ReportDefinition definition, String generatedBy, Instant periodEnd)
      throws IOException;
}
