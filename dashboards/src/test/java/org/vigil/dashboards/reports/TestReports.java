package org.vigil.dashboards.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reports with every section, built in code, for the renderer tests. */
final class TestReports {

  static final Instant FROM = Instant.parse("2026-11-19T00:00:00Z");
  static final Instant TO = Instant.parse("2026-11-26T00:00:00Z");
  static final Instant GENERATED = Instant.parse("2026-11-26T00:00:07.250Z");
  static final int ASSET_ROWS = 700;

  private TestReports() {}

  static ReportDefinition definition() {
    return new ReportDefinition(
        "weekly-nist",
        "Weekly monitoring report, Sở Y tế",
        "nist-800-53",
        Duration.ofDays(7),
        List.of("health", "transport"),
        null,
        null,
        null,
        "0 6 * * MON",
        0);
  }

  /** Five sections; {@code coverage-assets} has {@value #ASSET_ROWS} rows. */
  static Report full() {
    return new Report(
        definition(),
        FROM,
        TO,
        GENERATED,
        "auditor1",
        List.of(coverage(), detection(), response(), access(), controls()));
  }

  /** The count printed for asset {@code i} in {@code coverage-assets}. */
  static String assetEvents(int i) {
    return ReportText.count(i * 37L + 5);
  }

  static ReportSection coverage() {
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < ASSET_ROWS; i++) {
      rows.add(
          List.of(
              String.format("asset-%03d", i),
              i % 3 == 0 ? "health" : "transport",
              "10.0." + i / 256 + "." + i % 256,
              ReportText.time(FROM.plusSeconds(i * 600L)),
              ReportText.duration(Duration.ofMinutes(i % 90)),
              assetEvents(i)));
    }
    return new ReportSection(
        SectionKind.COVERAGE,
        List.of(
            "Assets come from the inventory; an asset is silent after 1h without events.",
            "Ghi chú: máy chủ của Sở Thông tin và Truyền thông, người phụ trách nguyễn.văn.an."),
        List.of(
            new ReportFigure("assets.reporting", "Assets reporting", "41 of 44"),
            new ReportFigure("assets.silent", "Assets silent for longer than 1h", "3")),
        List.of(
            new ReportChart(
                "Events per agency",
                List.of("health", "transport", "Sở Tài chính"),
                List.of(120_000.0, 80_500.0, 12.0),
                "events")),
        List.of(
            new ReportTable(
                "coverage-assets",
                "Assets of the inventory",
                List.of("Asset", "Agency", "Address", "Last event", "Silent for", "Events"),
                rows)));
  }

  static ReportSection detection() {
    return new ReportSection(
        SectionKind.DETECTION,
        List.of("Alerts detected in the period, by the rules active when they fired."),
        List.of(new ReportFigure("alerts.total", "Alerts", "1234")),
        List.of(
            new ReportChart(
                "Alerts by severity",
                List.of("critical", "high", "medium", "low"),
                List.of(4.0, 40.0, 290.0, 900.0),
                "alerts")),
        List.of(
            new ReportTable(
                "detection-rules",
                "Alerts by rule",
                List.of("Rule", "Name", "Tactic", "Alerts"),
                List.of(
                    List.of(
                        "ssh-brute-force",
                        "Many failed SSH logins from one source followed by a successful login"
                            + " to the same host within ten minutes, which suggests a guessed"
                            + " password rather than a forgetful user, \"quoted\", with, commas",
                        "TA0006 Credential Access",
                        "912"),
                    List.of("port-scan", "Port scan", "TA0007 Discovery", "322")))));
  }

  static ReportSection response() {
    return new ReportSection(
        SectionKind.RESPONSE,
        List.of(),
        List.of(new ReportFigure("alerts.open_past_target", "Open past their target", "7")),
        List.of(),
        List.of(
            new ReportTable(
                "response-times",
                "Time to acknowledge and to close",
                List.of("Severity", "Alerts", "Ack median", "Ack p90", "Close median", "Close p90"),
                List.of(
                    List.of(
                        "critical",
                        "4",
                        ReportText.duration(Duration.ofMinutes(12)),
                        ReportText.duration(Duration.ofMinutes(41)),
                        ReportText.duration(Duration.ofHours(3)),
                        ReportText.duration(Duration.ofHours(7))),
                    List.of("high", "40", "1h 02m", "3h 10m", "1d 02h 00m", "2d 11h 00m")))));
  }

  static ReportSection access() {
    return new ReportSection(
        SectionKind.ACCESS,
        List.of("Logins to monitored systems and the dashboard's own audit trail."),
        List.of(new ReportFigure("audit.chain", "Audit trail hash chain", "intact")),
        List.of(),
        List.of(
            new ReportTable(
                "access-logins",
                "Failed logins by user",
                List.of("User", "Host", "Failed", "Succeeded"),
                List.of(
                    List.of("nguyễn.văn.an", "web-01", "17", "3"),
                    List.of("root", "db-02", "250", "0")))));
  }

  static ReportSection controls() {
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "AC-7",
            "Unsuccessful Logon Attempts",
            "ssh-brute-force",
            ("Enforce a limit of consecutive invalid logon attempts by a user during a time"
                    + " period. ")
                .repeat(6)));
    rows.add(List.of("SI-4", "System Monitoring", "port-scan, ssh-brute-force", "2 rules active"));
    return new ReportSection(
        SectionKind.CONTROLS,
        List.of("Controls of NIST SP 800-53 rev. 5 with the rules that implement them."),
        List.of(),
        List.of(),
        List.of(
            new ReportTable(
                "controls-mapping",
                "Controls and their evidence",
                List.of("Control", "Title", "Rules", "Evidence"),
                rows)));
  }

  /** {@code full()} with one cell of {@code table} changed. */
  static Report withCell(Report report, String table, int row, int column, String value) {
    List<ReportSection> sections = new ArrayList<>();
    for (ReportSection section : report.sections()) {
      List<ReportTable> tables = new ArrayList<>();
      for (ReportTable t : section.tables()) {
        if (t.id().equals(table)) {
          List<List<String>> rows = new ArrayList<>(t.rows());
          List<String> changed = new ArrayList<>(rows.get(row));
          changed.set(column, value);
          rows.set(row, changed);
          t = new ReportTable(t.id(), t.title(), t.columns(), rows);
        }
        tables.add(t);
      }
      sections.add(
          new ReportSection(
              section.kind(), section.notes(), section.figures(), section.charts(), tables));
    }
    return new Report(
        report.definition(),
        report.from(),
        report.to(),
        report.generatedAt(),
        report.generatedBy(),
        sections);
  }
}
