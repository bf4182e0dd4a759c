package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vigil.rules.engine.RuleRelease;

class ControlsSectionTest {
  private static final Instant FROM = Instant.parse("2026-11-19T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-11-26T00:00:00Z");

  private static final ComplianceFramework FRAMEWORK =
      new ComplianceFramework(
          "test-800",
          "Test framework",
          List.of(
              new ComplianceControl(
                  "AC-7",
                  "Unsuccessful Logon Attempts",
                  "Access Control",
                  List.of(),
                  List.of(SectionKind.ACCESS, SectionKind.DETECTION)),
              new ComplianceControl(
                  "SI-4",
                  "System Monitoring",
                  "System and Information Integrity",
                  List.of("site-extra"),
                  List.of(SectionKind.COVERAGE, SectionKind.DETECTION)),
              new ComplianceControl(
                  "IR-4",
                  "Incident Handling",
                  "Incident Response",
                  List.of(),
                  List.of(SectionKind.RESPONSE)),
              new ComplianceControl(
                  "PE-6",
                  "Monitoring Physical Access",
                  "Physical and Environmental Protection",
                  List.of("badge-tailgating"),
                  List.of())));

  /**
   * Ruleset vigil: login-failures and port-scan from before the period, port-scan removed in it;
   * ruleset site: site-extra (no @compliance, mapped by the framework) deployed in it.
   */
  private static final List<RuleRelease> RELEASES =
      List.of(
          release(
              "vigil",
              1,
              "2026-11-01T00:00:00Z",
              rule("login-failures", "AC-7, SI-4") + rule("port-scan", "SI-4")),
          release("site", 1, "2026-11-20T00:00:00Z", rule("site-extra", "")),
          release("vigil", 2, "2026-11-22T00:00:00Z", rule("login-failures", "AC-7, SI-4")));

  private final ControlsSection section = new ControlsSection();

  @Test
  void mapsEveryControlToItsRulesAlertsAndQuotedEvidence() {
    Map<SectionKind, ReportSection> earlier = new EnumMap<>(SectionKind.class);
    earlier.put(
        SectionKind.COVERAGE,
        section(
            SectionKind.COVERAGE,
            List.of(
                new ReportFigure("senders.total", "Senders", "5"),
                new ReportFigure("senders.silent", "Silent senders", "1"),
                new ReportFigure("events.total", "Events", "1000")),
            List.of()));
    earlier.put(
        SectionKind.DETECTION,
        section(
            SectionKind.DETECTION,
            List.of(new ReportFigure("alerts.total", "Alerts", "112")),
            List.of(
                new ReportTable(
                    "detection-rules",
                    "Alerts by rule",
                    List.of("rule id", "rule name", "severity", "alerts"),
                    List.of(
                        List.of("login-failures", "Failed login", "high", "7"),
                        List.of("port-scan", "Port scan", "medium", "3"),
                        List.of("site-extra", "Site rule", "low", "2"),
                        List.of("unmapped", "Other rule", "low", "100"))))));
    earlier.put(
        SectionKind.ACCESS,
        section(
            SectionKind.ACCESS,
            List.of(
                new ReportFigure("logins.success", "Successful logins", "900"),
                new ReportFigure("logins.failure", "Failed logins", "40"),
                new ReportFigure("audit.chain", "Audit chain", "intact")),
            List.of()));

    ReportSection controls = section.build(context(FRAMEWORK, RELEASES), earlier);

    assertThat(controls.kind()).isEqualTo(SectionKind.CONTROLS);
    ReportTable table = controls.table("controls-mapping").orElseThrow();
    assertThat(table.columns())
        .containsExactly(
            "control", "title", "family", "rules", "alerts in period", "evidence", "status");
    assertThat(table.rows())
        .containsExactly(
            List.of(
                "AC-7",
                "Unsuccessful Logon Attempts",
                "Access Control",
                "login-failures",
                "7",
                "Access: Failed logins 40; Audit chain intact | Detection: Alerts 112",
                "evidenced"),
            List.of(
                "SI-4",
                "System Monitoring",
                "System and Information Integrity",
                "login-failures, site-extra, port-scan (disabled)",
                "12",
                "Monitoring coverage: Senders 5; Events 1000 | Detection: Alerts 112",
                "evidenced"),
            List.of(
                "IR-4",
                "Incident Handling",
                "Incident Response",
                "none",
                "0",
                "Response: not in this report",
                "no rule or evidence"),
            List.of(
                "PE-6",
                "Monitoring Physical Access",
                "Physical and Environmental Protection",
                "badge-tailgating (not deployed)",
                "0",
                "none",
                "no rule or evidence"));
    assertThat(controls.figures())
        .containsExactly(
            new ReportFigure("controls.total", "Controls in the framework", "4"),
            new ReportFigure("controls.evidenced", "Controls evidenced", "2"),
            new ReportFigure("controls.with_rules", "Controls with an active rule", "2"));
    assertThat(controls.charts()).hasSize(1);
    assertThat(controls.charts().get(0).labels())
        .containsExactly(
            "Access Control",
            "System and Information Integrity",
            "Incident Response",
            "Physical and Environmental Protection");
    assertThat(controls.charts().get(0).values()).containsExactly(1.0, 1.0, 0.0, 0.0);
    assertThat(controls.notes())
        .anySatisfy(n -> assertThat(n).startsWith("Not in this report").contains("Response"));
  }

  @Test
  void sectionEvidenceAloneMakesAControlEvidencedWithoutRules() {
    ComplianceFramework framework =
        new ComplianceFramework(
            "f",
            "F",
            List.of(
                new ComplianceControl(
                    "IR-4", "Incident Handling", "IR", List.of(), List.of(SectionKind.RESPONSE))));
    Map<SectionKind, ReportSection> earlier =
        Map.of(
            SectionKind.RESPONSE,
            section(
                SectionKind.RESPONSE,
                List.of(
                    new ReportFigure("alerts.closed", "Closed alerts", "9"),
                    new ReportFigure("ttc.median", "Median time to close", "2h 05m"),
                    new ReportFigure("alerts.overdue", "Alerts past their target", "1")),
                List.of()));

    ReportSection controls = section.build(context(framework, RELEASES), earlier);

    assertThat(controls.table("controls-mapping").orElseThrow().rows())
        .containsExactly(
            List.of(
                "IR-4",
                "Incident Handling",
                "IR",
                "none",
                "not in this report",
                "Response: Closed alerts 9; Median time to close 2h 05m; Alerts past their target 1",
                "evidenced"));
    assertThat(controls.figure("controls.with_rules").orElseThrow().value()).isEqualTo("0");
    assertThat(controls.figure("controls.evidenced").orElseThrow().value()).isEqualTo("1");
  }

  @Test
  void withoutReleasesTheShippedPackImplementsTheShippedFramework() {
    ComplianceFramework nist = ComplianceFrameworks.builtIn().get("nist-800-53");

    ReportSection controls = section.build(context(nist, List.of()), Map.of());

    List<List<String>> rows = controls.table("controls-mapping").orElseThrow().rows();
    assertThat(rows).hasSize(nist.controls().size());
    List<String> ac7 = rows.stream().filter(r -> r.get(0).equals("AC-7")).findFirst().orElseThrow();
    assertThat(ac7.get(3)).contains("auth-brute-force");
    assertThat(ac7.get(4)).isEqualTo("not in this report");
    assertThat(ac7.get(5)).isEqualTo("Access: not in this report | Detection: not in this report");
    assertThat(ac7.get(6)).isEqualTo("evidenced");
    assertThat(controls.figure("controls.total").orElseThrow().value())
        .isEqualTo(String.valueOf(nist.controls().size()));
  }

  @Test
  void detectionSectionWithoutItsRulesTableIsAnError() {
    Map<SectionKind, ReportSection> earlier =
        Map.of(SectionKind.DETECTION, section(SectionKind.DETECTION, List.of(), List.of()));

    assertThatThrownBy(() -> section.build(context(FRAMEWORK, RELEASES), earlier))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("detection-rules");
  }

  @Test
  void reportWithoutAFrameworkIsRefused() {
    assertThatThrownBy(() -> section.build(context(null, RELEASES), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("framework");
  }

  private static ReportContext context(ComplianceFramework framework, List<RuleRelease> releases) {
    return new ReportContext(
        null,
        ReportDefinition.adHoc("test-800", Duration.between(FROM, TO), List.of()),
        FROM,
        TO,
        List.of(),
        releases,
        null,
        framework);
  }

  private static ReportSection section(
      SectionKind kind, List<ReportFigure> figures, List<ReportTable> tables) {
    return new ReportSection(kind, List.of(), figures, List.of(), tables);
  }

  private static RuleRelease release(String ruleset, int version, String at, String rules) {
    String drl =
        "package org.vigil.rules.test."
            + ruleset
            + ";\n\nimport org.vigil.model.Event;\n\n"
            + "global org.vigil.rules.engine.Detections detections;\n\n"
            + rules;
    return new RuleRelease(
        ruleset, version, "alice", Instant.parse(at), Map.of(ruleset + ".drl", drl), null);
  }

  private static String rule(String id, String compliance) {
    return "rule \"Rule "
        + id
        + "\"\n"
        + "  @id(\""
        + id
        + "\")\n  @version(1)\n  @severity(\"high\")\n  @groupBy(\"source.ip\")\n"
        + (compliance.isEmpty() ? "" : "  @compliance(\"" + compliance + "\")\n")
        + "when\n  $e : Event( outcome == \"failure\" )\nthen\n  detections.raise( $e );\nend\n\n";
  }
}
