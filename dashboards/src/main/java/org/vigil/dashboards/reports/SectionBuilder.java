package org.vigil.dashboards.reports;

import java.io.IOException;
import java.util.Map;

/** Computes one section of a report from Elasticsearch and the context's other sources. */
@FunctionalInterface
public interface SectionBuilder {

  /**
   * @param earlier the sections already built for this report, by kind (the control mapping cites
   *     the figures of the others)
   * @throws IOException when a source could not be read; the report is then not generated, since a
   *     report with a silently missing part is not one an auditor can file
   */
  ReportSection build(ReportContext context, Map<SectionKind, ReportSection> earlier)
      throws IOException;
}
