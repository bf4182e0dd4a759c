package org.vigil.dashboards;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Kept reports in memory, for the API's unit tests. */
final class InMemoryReportArchive implements ReportArchive {
  private final Map<String, ArchivedReport> reports = new LinkedHashMap<>();
  private final Map<String, Map<ReportFormat, byte[]>> files = new LinkedHashMap<>();

  @Override
  public synchronized boolean store(ArchivedReport report, byte[] pdf, byte[] csvZip) {
    if (reports.containsKey(report.id())) {
      return false;
    }
    reports.put(report.id(), report);
    files.put(report.id(), Map.of(ReportFormat.PDF, pdf, ReportFormat.CSV, csvZip));
    return true;
  }

  @Override
  public synchronized List<ArchivedReport> list(AgencyScope scope, int size) {
    return reports.values().stream()
        .filter(r -> r.visibleTo(scope))
        .sorted(Comparator.comparing(ArchivedReport::generatedAt).reversed())
        .limit(size)
        .toList();
  }

  @Override
  public synchronized Optional<ArchivedReport> get(String id) {
    return Optional.ofNullable(reports.get(id));
  }

  @Override
  public synchronized Optional<byte[]> file(String id, ReportFormat format) {
    return Optional.ofNullable(files.get(id)).map(f -> f.get(format));
  }

  @Override
  public synchronized void prune(String name, int keep) {
    List<ArchivedReport> scheduled =
        new ArrayList<>(
            reports.values().stream()
                .filter(r -> r.name().equals(name) && ArchivedReport.SCHEDULE.equals(r.trigger()))
                .sorted(Comparator.comparing(ArchivedReport::generatedAt).reversed())
                .toList());
    for (ArchivedReport old :
        scheduled.subList(Math.min(keep, scheduled.size()), scheduled.size())) {
      reports.remove(old.id());
      files.remove(old.id());
    }
  }
}
