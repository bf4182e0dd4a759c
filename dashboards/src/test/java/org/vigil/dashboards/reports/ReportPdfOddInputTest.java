package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text and shapes a renderer meets rarely: they print, and the PDF still verifies. */
class ReportPdfOddInputTest {

  @TempDir Path dir;

  @Test
  void oddTextAndEmptyPartsStillRenderAndVerify() throws Exception {
    List<String> columns = new ArrayList<>();
    List<String> row = new ArrayList<>();
    for (int c = 0; c < 30; c++) {
      columns.add("column number " + c);
      row.add("v" + c + "x".repeat(c));
    }
    ReportSection odd =
        new ReportSection(
            SectionKind.ACCESS,
            List.of(
                "emoji 😀, Arabic مرحبا, Chinese 日本, control \u0007 bell, tab\there",
                "line one\nline two",
                "x".repeat(400)),
            List.of(new ReportFigure("a.null", null, null), new ReportFigure("b", "label", "")),
            List.of(
                new ReportChart("empty", List.of(), List.of(), "alerts"),
                new ReportChart(
                    "not numbers",
                    List.of("a", "a"),
                    Arrays.asList(Double.NaN, Double.POSITIVE_INFINITY),
                    "alerts"),
                new ReportChart(
                    "many bars",
                    java.util.stream.IntStream.range(0, 120).mapToObj(i -> "bar-" + i).toList(),
                    java.util.stream.IntStream.range(0, 120).mapToObj(i -> (double) i).toList(),
                    null)),
            List.of(
                new ReportTable("no-columns", "No columns", List.of(), List.of()),
                new ReportTable("no-rows", "No rows", List.of("a", "b"), List.of()),
                new ReportTable("wide", "Thirty columns", columns, List.of(row)),
                new ReportTable(
                    "long-word",
                    null,
                    List.of("hash"),
                    List.of(List.of("f".repeat(2000)), List.of("😀".repeat(50))))));
    ReportSection empty =
        new ReportSection(SectionKind.CONTROLS, List.of(), List.of(), List.of(), List.of());
    Report report = new Report(null, null, null, null, null, List.of(odd, empty));

    Path pdf = dir.resolve("odd.pdf");
    try (OutputStream out = Files.newOutputStream(pdf)) {
      ReportPdf.write(report, out);
    }

    String text = Poppler.run("pdftotext", "-enc", "UTF-8", pdf.toString(), "-");
    assertThat(text)
        .contains("emoji ?, ")
        .contains("Chinese ??")
        .contains("line one")
        .contains("Nothing to report in this section.")
        .contains("No rows.")
        .contains("Control mapping");
    ReportPdf.Verification verification = ReportPdf.verify(Files.readAllBytes(pdf));
    assertThat(verification.valid()).as(verification.message()).isTrue();
  }

  /**
   * Ten thousand rows in ten tables, with ten charts, written by a JVM with a 48 MiB heap: page
   * content goes to the document's scratch space and chart pixels are dropped once compressed, so
   * the heap holds about one page at a time rather than the whole report.
   */
  @Test
  void tenThousandRowsRenderInASmallHeap() throws Exception {
    Path pdf = dir.resolve("large.pdf");
    Path log = dir.resolve("large.log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m",
                "-Djava.awt.headless=true",
                "-cp",
                System.getProperty("java.class.path"),
                LargeReport.class.getName(),
                pdf.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("finished").isTrue();

    assertThat(child.exitValue()).as(Files.readString(log)).isZero();
    String info = Poppler.run("pdfinfo", pdf.toString());
    int pages = Integer.parseInt(info.replaceAll("(?s).*Pages:\\s+(\\d+).*", "$1"));
    assertThat(pages).isGreaterThan(100);
    String text = Poppler.run("pdftotext", "-f", "2", "-l", "2", pdf.toString(), "-");
    assertThat(text).contains("first 500 of 1000 rows");
    assertThat(ReportPdf.verify(Files.readAllBytes(pdf)).valid()).isTrue();
  }

  /** Writes the large report of {@link #tenThousandRowsRenderInASmallHeap} to the given file. */
  static final class LargeReport {
    public static void main(String[] args) throws IOException {
      List<ReportSection> sections = new ArrayList<>();
      for (SectionKind kind : SectionKind.values()) {
        List<ReportTable> tables = new ArrayList<>();
        List<ReportChart> charts = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          List<List<String>> rows = new ArrayList<>();
          for (int i = 0; i < 1000; i++) {
            rows.add(
                List.of(
                    "row-" + i,
                    "a longer text value, number " + i,
                    ReportText.count(i * 7L),
                    ReportText.time(TestReports.FROM.plusSeconds(i))));
          }
          tables.add(
              new ReportTable(
                  kind.wireName() + "-" + t,
                  "Table " + t,
                  List.of("Id", "Text", "Count", "Time"),
                  rows));
          charts.add(
              new ReportChart("Chart " + t, List.of("a", "b", "c"), List.of(1.0, 2.0, 3.0), "x"));
        }
        sections.add(new ReportSection(kind, List.of("note"), List.of(), charts, tables));
      }
      Report report =
          new Report(
              TestReports.definition(),
              TestReports.FROM,
              TestReports.TO,
              TestReports.GENERATED,
              "auditor1",
              sections);
      try (OutputStream out = Files.newOutputStream(Path.of(args[0]))) {
        ReportPdf.write(report, out);
      }
    }
  }
}
