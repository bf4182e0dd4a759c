package org.vigil.dashboards;

import java.util.List;
import java.util.Optional;

/** Where generated reports are kept for download. Calls block (network). */
public interface ReportArchive {

  /**
   * Keeps the report and its files.
   *
   * @return false when a report with this id is already kept (another process ran the same
   *     schedule), in which case nothing was written
   */
  boolean store(ArchivedReport report, byte[] pdf, byte[] csvZip);

  /** Newest first, only those visible to {@code scope}; at most {@code size}. */
  List<ArchivedReport> list(AgencyScope scope, int size);

  Optional<ArchivedReport> get(String id);

  /** The file of the report in that format; empty when the report is not kept. */
  Optional<byte[]> file(String id, ReportFormat format);

  /** Deletes the oldest scheduled results of the definition beyond the newest {@code keep}. */
  void prune(String name, int keep);
}
