package org.vigil.dashboards.reports;

import java.io.IOException;

/** Computes a report from the system's data. */
@FunctionalInterface
public interface ReportGenerator {

  /**
   * @param generatedBy who asked: a username, {@code cli:<OS user>} or {@code schedule}
   * @throws IOException when a source could not be read: no partial report is made
   */
  Report generate(ReportDefinition definition, String generatedBy) throws IOException;
}
