package org.vigil.dashboards;

import java.time.Instant;
import java.util.List;

/**
 * A generated report as the archive lists it; its PDF and CSV files are fetched separately.
 *
 * @param id {@code <name>@<epoch millis>}: for a scheduled run the time it was due, so two
 *     dashboard processes running the same schedule store it once; for an on-demand one the
 *     generation time and a random suffix
 * @param agencies the scope it was generated for; empty means every agency
 * @param trigger {@code on-demand} or {@code schedule}
 * @param contentSha256 the content hash printed in the PDF (over the report's canonical JSON)
 * @param pdfSha256 the hash of the PDF file itself, so a download can be checked against the list
 */
public record ArchivedReport(
    String id,
    String name,
    String title,
    String framework,
    Instant from,
    Instant to,
    List<String> agencies,
    Instant generatedAt,
    String generatedBy,
    String trigger,
    String contentSha256,
    String pdfSha256,
    long pdfBytes,
    long csvBytes) {

  public static final String ON_DEMAND = "on-demand";
  public static final String SCHEDULE = "schedule";

  public ArchivedReport {
    agencies = List.copyOf(agencies);
  }

  /** True when a caller of {@code scope} may read it: every agency it covers is theirs. */
  public boolean visibleTo(AgencyScope scope) {
    if (scope.unrestricted()) {
      return true;
    }
    return !agencies.isEmpty() && agencies.stream().allMatch(scope::permits);
  }
}
