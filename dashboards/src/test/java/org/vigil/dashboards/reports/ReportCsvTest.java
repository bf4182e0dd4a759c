package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCsvTest {

  @Test
  void zipHoldsOneCsvPerTableFiguresContentAndSums() throws IOException {
    Map<String, byte[]> files = unzip(zip(TestReports.full()));

    assertThat(files.keySet())
        .containsExactlyInAnyOrder(
            "coverage-assets.csv",
            "detection-rules.csv",
            "response-times.csv",
            "access-logins.csv",
            "controls-mapping.csv",
            "figures.csv",
            "report.json",
            "SHA256SUMS");
  }

  @Test
  void eachTableCsvParsesBackToTheTable() throws IOException {
    Report report = TestReports.full();
    Map<String, byte[]> files = unzip(zip(report));

    for (ReportSection section : report.sections()) {
      for (ReportTable table : section.tables()) {
        List<CSVRecord> records = parse(files.get(table.id() + ".csv"));
        assertThat(records.get(0).toList()).as(table.id()).isEqualTo(table.columns());
        List<List<String>> rows =
            records.subList(1, records.size()).stream().map(CSVRecord::toList).toList();
        assertThat(rows).as(table.id()).isEqualTo(table.rows());
      }
    }
  }

  @Test
  void csvIsRfc4180WithCrlfAndUtf8() throws IOException {
    Map<String, byte[]> files = unzip(zip(TestReports.full()));

    String logins = new String(files.get("access-logins.csv"), StandardCharsets.UTF_8);
    assertThat(logins)
        .startsWith("User,Host,Failed,Succeeded\r\n")
        .contains("nguyễn.văn.an,web-01,17,3\r\n");
    String rules = new String(files.get("detection-rules.csv"), StandardCharsets.UTF_8);
    assertThat(rules).contains("\"\"quoted\"\", with, commas\"");
  }

  @Test
  void figuresCsvListsEveryFigureWithItsSection() throws IOException {
    Report report = TestReports.full();
    List<CSVRecord> records = parse(unzip(zip(report)).get("figures.csv"));

    List<List<String>> expected = new ArrayList<>();
    expected.add(List.of("section", "key", "label", "value"));
    for (ReportSection section : report.sections()) {
      for (ReportFigure f : section.figures()) {
        expected.add(List.of(section.kind().wireName(), f.key(), f.label(), f.value()));
      }
    }
    assertThat(records.stream().map(CSVRecord::toList).toList()).isEqualTo(expected);
    assertThat(expected)
        .contains(List.of("coverage", "assets.reporting", "Assets reporting", "41 of 44"));
  }

  @Test
  void reportJsonIsTheCanonicalContentAndSumsMatchEveryFile() throws IOException {
    Report report = TestReports.full();
    Map<String, byte[]> files = unzip(zip(report));

    assertThat(files.get("report.json")).isEqualTo(ReportContent.canonicalJson(report));
    String[] lines = new String(files.get("SHA256SUMS"), StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(files.size() - 1);
    for (String line : lines) {
      String[] parts = line.split("  ", 2);
      assertThat(ReportContent.sha256(files.get(parts[1]))).as(parts[1]).isEqualTo(parts[0]);
    }
    assertThat(lines).contains(ReportContent.sha256(report) + "  report.json");
  }

  @Test
  void sha256sumChecksTheUnpackedFiles(@TempDir Path dir) throws Exception {
    for (Map.Entry<String, byte[]> file : unzip(zip(TestReports.full())).entrySet()) {
      Files.write(dir.resolve(file.getKey()), file.getValue());
    }
    Process check =
        new ProcessBuilder("sha256sum", "-c", "SHA256SUMS")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(check.waitFor()).as(out).isZero();
    assertThat(out).contains("report.json: OK").contains("coverage-assets.csv: OK");
  }

  @Test
  void sameReportGivesTheSameZip() throws IOException {
    assertThat(zip(TestReports.full())).isEqualTo(zip(TestReports.full()));
  }

  @Test
  void tablesSharingAnIdAreRefusedBeforeAnythingIsWritten() {
    ReportTable t = new ReportTable("figures", "clash", List.of("a"), List.of());
    Report report =
        new Report(
            TestReports.definition(),
            TestReports.FROM,
            TestReports.TO,
            TestReports.GENERATED,
            "auditor1",
            List.of(
                new ReportSection(
                    SectionKind.ACCESS, List.of(), List.of(), List.of(), List.of(t))));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    assertThatThrownBy(() -> ReportCsv.writeZip(report, out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("figures.csv");
    assertThat(out.size()).isZero();
  }

  static byte[] zip(Report report) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ReportCsv.writeZip(report, out);
    return out.toByteArray();
  }

  static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        files.put(entry.getName(), in.readAllBytes());
      }
    }
    return files;
  }

  private static List<CSVRecord> parse(byte[] csv) throws IOException {
    try (CSVParser parser =
        CSVFormat.RFC4180.parse(new StringReader(new String(csv, StandardCharsets.UTF_8)))) {
      return parser.getRecords();
    }
  }
}
