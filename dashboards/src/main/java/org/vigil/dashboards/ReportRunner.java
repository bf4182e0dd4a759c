package org.vigil.dashboards;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.vigil.dashboards.reports.Report;
import org.vigil.dashboards.reports.ReportContent;
import org.vigil.dashboards.reports.ReportDefinition;
import org.vigil.dashboards.reports.ReportGenerator;

/**
 * Runs a report definition the way the dashboard and its schedules do: generate, render the PDF and
 * the CSV files, keep both in the archive. Blocks (Elasticsearch, rendering): call it off the event
 * loop.
 */
public final class ReportRunner {
  private final ReportGenerator generator;
  private final ReportArchive archive;

  public ReportRunner(ReportGenerator generator, ReportArchive archive) {
    this.generator = generator;
    this.archive = archive;
  }

  /** What a run made. */
  public record Rendered(Report report, String contentSha256, byte[] pdf, byte[] csvZip) {}

  /** A rendered report with its archive record, not kept yet: audited first, then kept. */
  public record Prepared(ArchivedReport archived, Rendered rendered) {}

  /**
   * Generates and renders the report and describes it for the archive, without keeping it: the
   * caller audits the generation (with the hashes) and then {@link #keep}s it, so no report is kept
   * whose generation was not recorded.
   *
   * @param id the archive id; null for a fresh one ({@link #onDemandId})
   * @param trigger {@link ArchivedReport#ON_DEMAND} or {@link ArchivedReport#SCHEDULE}
   * @param periodEnd where the period ends: a scheduled run's due time; null for now
   */
  public Prepared prepare(
      ReportDefinition definition, String by, String trigger, String id, Instant periodEnd)
      throws IOException {
    Report report = generator.generate(definition, by, periodEnd);
    Rendered rendered =
        new Rendered(
            report,
            ReportContent.sha256(report),
            ReportFormat.PDF.render(report),
            ReportFormat.CSV.render(report));
    ArchivedReport archived =
        new ArchivedReport(
            id != null ? id : onDemandId(definition, report),
            definition.name(),
            definition.title(),
            definition.framework(),
            report.from(),
            report.to(),
            definition.agencies(),
            report.generatedAt(),
            by,
            trigger,
            rendered.contentSha256(),
            sha256(rendered.pdf()),
            rendered.pdf().length,
            rendered.csvZip().length);
    return new Prepared(archived, rendered);
  }

  /**
   * Keeps a prepared report; scheduled results of its definition beyond {@code keep} are pruned,
   * oldest first.
   *
   * @return the kept report; when another process kept one under the same id first, that one
   */
  public ArchivedReport keep(Prepared prepared, int keep) {
    ArchivedReport archived = prepared.archived();
    if (!archive.store(archived, prepared.rendered().pdf(), prepared.rendered().csvZip())) {
      return archive.get(archived.id()).orElse(archived);
    }
    if (ArchivedReport.SCHEDULE.equals(archived.trigger())) {
      archive.prune(archived.name(), keep);
    }
    return archived;
  }

  /**
   * {@code <name>@<generation epoch millis>-<8 random hex digits>}: two auditors asking for the
   * same report at the same moment get two reports, each audited with its own hash.
   */
  private static String onDemandId(ReportDefinition definition, Report report) {
    return definition.name()
        + "@"
        + report.generatedAt().toEpochMilli()
        + "-"
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  public ReportArchive archive() {
    return archive;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
