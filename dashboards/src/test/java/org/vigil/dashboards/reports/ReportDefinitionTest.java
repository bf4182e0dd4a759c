package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.model.Severity;

class ReportDefinitionTest {

  @Test
  void aFullFileIsReadWithEveryValue() {
    ReportDefinition d =
        ReportDefinition.parse(
            """
            name: weekly-health
            title: Weekly report for Health
            framework: iso-27001
            period: 14d
            agencies: [transport, health]
            sections: [response, coverage]
            response_targets:
              critical: 2h
            silence: 30m
            schedule: "0 6 * * MON"
            keep: 4
            """);
    assertThat(d.name()).isEqualTo("weekly-health");
    assertThat(d.title()).isEqualTo("Weekly report for Health");
    assertThat(d.framework()).isEqualTo("iso-27001");
    assertThat(d.period()).isEqualTo(Duration.ofDays(14));
    assertThat(d.agencies()).containsExactly("health", "transport");
    assertThat(d.sections()).containsExactly(SectionKind.COVERAGE, SectionKind.RESPONSE);
    assertThat(d.responseTarget(Severity.CRITICAL)).isEqualTo(Duration.ofHours(2));
    assertThat(d.responseTarget(Severity.LOW)).isEqualTo(Duration.ofDays(7));
    assertThat(d.silence()).isEqualTo(Duration.ofMinutes(30));
    assertThat(d.keep()).isEqualTo(4);
  }

  @Test
  void onlyTheNameIsNeeded() {
    ReportDefinition d = ReportDefinition.parse("name: minimal\n");
    assertThat(d.framework()).isEqualTo("nist-800-53");
    assertThat(d.period()).isEqualTo(Duration.ofDays(7));
    assertThat(d.agencies()).isEmpty();
    assertThat(d.sections()).containsExactly(SectionKind.values());
    assertThat(d.schedule()).isNull();
    assertThat(d.title()).contains("nist-800-53");
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(() -> ReportDefinition.parse("name: x\nperiodd: 7d\n"))
        .hasMessageContaining("unknown key 'periodd'");
    assertThatThrownBy(() -> ReportDefinition.parse("name: x\nperiod: soon\n"))
        .hasMessageContaining("period");
    assertThatThrownBy(() -> ReportDefinition.parse("name: x\nsections: [coverage, money]\n"))
        .hasMessageContaining("unknown report section 'money'");
    assertThatThrownBy(() -> ReportDefinition.parse("name: x\nschedule: every monday\n"))
        .hasMessageContaining("schedule 'every monday'");
    assertThatThrownBy(() -> ReportDefinition.parse("name: Weekly Report\n"))
        .hasMessageContaining("lowercase");
    assertThatThrownBy(() -> ReportDefinition.parse("name: x\nagencies: ['a b']\n"))
        .hasMessageContaining("agency");
    assertThatThrownBy(() -> ReportDefinition.parse("name: x\nperiod: 400d\n"))
        .hasMessageContaining("366d");
    assertThatThrownBy(() -> ReportDefinition.parse("name: x\nresponse_targets: {urgent: 1h}\n"))
        .hasMessageContaining("urgent");
    assertThatThrownBy(() -> ReportDefinition.parse("")).hasMessageContaining("empty");
  }

  @Test
  void aDefinitionPrintsAsItsFileIsWrittenAndReadsBackTheSame() throws Exception {
    ReportDefinition d =
        ReportDefinition.parse(
            "name: weekly\nperiod: 30d\nsilence: 90m\nresponse_targets: {critical: 4h}\n");
    java.util.Map<String, Object> map = d.toMap();
    assertThat(map).containsEntry("period", "30d").containsEntry("silence", "90m");
    assertThat(map.get("response_targets").toString()).contains("critical=4h", "medium=3d");
    String yaml =
        new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .writeValueAsString(map);
    assertThat(ReportDefinition.parse(yaml)).isEqualTo(d);
  }

  @Test
  void aScheduleIsReadInUtc() {
    ReportSchedule weekly = ReportSchedule.parse("0 6 * * MON");
    assertThat(weekly.next(Instant.parse("2026-11-26T10:00:00Z")))
        .contains(Instant.parse("2026-11-30T06:00:00Z"));
  }

  @Test
  void narrowingKeepsEverythingButTheAgencies() {
    ReportDefinition d = ReportDefinition.adHoc("iso-27001", Duration.ofDays(30), List.of());
    ReportDefinition narrowed = d.withAgencies(List.of("health"));
    assertThat(narrowed.agencies()).containsExactly("health");
    assertThat(narrowed.framework()).isEqualTo("iso-27001");
    assertThat(narrowed.period()).isEqualTo(Duration.ofDays(30));
  }
}
