package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportContentTest {

  @Test
  void sameReportBuiltTwiceGivesTheSameBytesAndHash() {
    byte[] first = ReportContent.canonicalJson(TestReports.full());
    byte[] second = ReportContent.canonicalJson(TestReports.full());

    assertThat(second).isEqualTo(first);
    assertThat(ReportContent.sha256(TestReports.full()))
        .isEqualTo(ReportContent.sha256(TestReports.full()))
        .matches("[0-9a-f]{64}");
  }

  @Test
  void hashIsTheSha256OfTheCanonicalJson() throws Exception {
    Report report = TestReports.full();
    String expected =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256").digest(ReportContent.canonicalJson(report)));

    assertThat(ReportContent.sha256(report)).isEqualTo(expected);
  }

  @Test
  void changingOneCellChangesTheHash() {
    Report report = TestReports.full();
    Report changed = TestReports.withCell(report, "coverage-assets", 650, 5, "0");

    assertThat(ReportContent.sha256(changed)).isNotEqualTo(ReportContent.sha256(report));
  }

  @Test
  void changingTheGenerationTimeChangesTheHash() {
    Report report = TestReports.full();
    Report later =
        new Report(
            report.definition(),
            report.from(),
            report.to(),
            report.generatedAt().plusMillis(1),
            report.generatedBy(),
            report.sections());

    assertThat(ReportContent.sha256(later)).isNotEqualTo(ReportContent.sha256(report));
  }

  @Test
  void jsonHoldsEverySectionInOrderWithItsContent() throws Exception {
    Report report = TestReports.full();
    JsonNode json = new ObjectMapper().readTree(ReportContent.canonicalJson(report));

    assertThat(json.get("format").asText()).isEqualTo(ReportContent.FORMAT);
    assertThat(json.get("from").asText()).isEqualTo("2026-11-19T00:00:00Z");
    assertThat(json.get("generated_at").asText()).isEqualTo("2026-11-26T00:00:07.250Z");
    assertThat(json.get("generated_by").asText()).isEqualTo("auditor1");
    assertThat(json.get("definition").get("agencies").toString())
        .isEqualTo("[\"health\",\"transport\"]");
    assertThat(json.get("definition").get("schedule").asText()).isEqualTo("0 6 * * MON");
    List<String> kinds = new ArrayList<>();
    json.get("sections").forEach(s -> kinds.add(s.get("kind").asText()));
    assertThat(kinds).containsExactly("coverage", "detection", "response", "access", "controls");
    JsonNode coverage = json.get("sections").get(0);
    assertThat(coverage.get("notes").get(1).asText()).contains("nguyễn.văn.an");
    assertThat(coverage.get("figures").get(0).get("value").asText()).isEqualTo("41 of 44");
    assertThat(coverage.get("charts").get(0).get("values").get(0).asDouble()).isEqualTo(120_000);
    JsonNode assets = coverage.get("tables").get(0);
    assertThat(assets.get("id").asText()).isEqualTo("coverage-assets");
    assertThat(assets.get("rows")).hasSize(TestReports.ASSET_ROWS);
    assertThat(assets.get("rows").get(123).get(5).asText()).isEqualTo(TestReports.assetEvents(123));
  }

  @Test
  void definitionKeysAreSortedAndNothingIsPrettyPrinted() {
    String json =
        new String(ReportContent.canonicalJson(TestReports.full()), StandardCharsets.UTF_8);

    // Compared as a prefix: the whole document would flood the failure message.
    String expected =
        "{\"format\":\"vigil-report/1\",\"definition\":{\"agencies\":[\"health\",\"transport\"],"
            + "\"framework\":\"nist-800-53\",\"keep\":12,\"name\":\"weekly-nist\",\"period\":\"7d\"";
    assertThat(json.substring(0, expected.length())).isEqualTo(expected);
    assertThat(json.contains("\n")).as("line breaks").isFalse();
  }

  @Test
  void chartValuesWithoutANumberAreWrittenAsNull() throws Exception {
    Report report =
        new Report(
            TestReports.definition(),
            TestReports.FROM,
            TestReports.TO,
            TestReports.GENERATED,
            "auditor1",
            List.of(
                new ReportSection(
                    SectionKind.DETECTION,
                    List.of(),
                    List.of(),
                    List.of(
                        new ReportChart(
                            "odd", List.of("a", "b"), List.of(Double.NaN, 2.5), "alerts")),
                    List.of())));

    JsonNode values =
        new ObjectMapper()
            .readTree(ReportContent.canonicalJson(report))
            .get("sections")
            .get(0)
            .get("charts")
            .get(0)
            .get("values");

    assertThat(values.get(0).isNull()).isTrue();
    assertThat(values.get(1).asDouble()).isEqualTo(2.5);
  }
}
