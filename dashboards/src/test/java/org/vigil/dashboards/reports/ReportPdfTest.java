package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PDF as poppler renders it, and its self-check. */
class ReportPdfTest {

  @TempDir static Path dir;
  static Report report;
  static Path pdf;
  static String text;
  static List<String> pages;

  @BeforeAll
  static void render() throws Exception {
    report = TestReports.full();
    pdf = dir.resolve("report.pdf");
    Files.write(pdf, pdf(report));
    text = Poppler.run("pdftotext", "-enc", "UTF-8", pdf.toString(), "-");
    pages = Arrays.asList(text.split("\f"));
  }

  @Test
  void printsEverySectionHeading() {
    for (SectionKind kind : SectionKind.values()) {
      assertThat(text).contains(kind.title());
    }
    assertThat(text).contains("Report definition");
  }

  @Test
  void coverNamesPeriodScopeAuthorAndTheFullHash() {
    String cover = pages.get(0);

    assertThat(cover)
        .contains("Weekly monitoring report")
        .contains("nist-800-53")
        .contains("2026-11-19T00:00:00Z to 2026-11-26T00:00:00Z")
        .contains("health, transport")
        .contains("2026-11-26T00:00:07Z")
        .contains("auditor1");
    Matcher hash = Pattern.compile("Content SHA-256: *([0-9a-f]{64})").matcher(cover);
    assertThat(hash.find()).as("hash on the cover in:\n" + cover).isTrue();
    assertThat(hash.group(1)).isEqualTo(ReportContent.sha256(report));
  }

  @Test
  void coverSaysAllAgenciesWhenTheScopeIsEmpty() throws Exception {
    ReportDefinition everyone = TestReports.definition().withAgencies(List.of());
    Report unscoped =
        new Report(
            everyone,
            report.from(),
            report.to(),
            report.generatedAt(),
            "auditor1",
            List.of(TestReports.access()));

    assertThat(textOf(pdf(unscoped), "unscoped.pdf")).contains("all agencies");
  }

  @Test
  void everyPageIsNumberedAndCarriesTheShortHash() throws Exception {
    int count = pageCount();
    String shortHash = ReportContent.sha256(report).substring(0, 16);

    for (int i = 1; i <= count; i++) {
      assertThat(pages.get(i - 1))
          .as("page " + i)
          .contains("Page " + i + " of " + count)
          .contains(shortHash)
          .contains("Weekly monitoring report");
    }
  }

  @Test
  void pdfinfoCountsManyPagesAndTheTitle() throws Exception {
    String info = Poppler.run("pdfinfo", pdf.toString());

    assertThat(pageCount()).isGreaterThan(10);
    assertThat(info).contains("Weekly monitoring report").contains("Vigil");
  }

  @Test
  void tableCellsArePrintedAndLongTablesStopAtTheCap() {
    assertThat(text).contains("asset-123").contains(TestReports.assetEvents(123));
    assertThat(text).contains("asset-499").doesNotContain("asset-500");
    assertThat(text).contains("first 500 of 700 rows; the CSV has all (coverage-assets.csv)");
    assertThat(text).contains("TA0006 Credential Access").contains("912");
    assertThat(text).contains("1d 02h 00m");
  }

  @Test
  void tableHeaderIsRepeatedOnEveryPageTheTableContinuesOn() {
    List<String> assetPages = new ArrayList<>();
    for (String page : pages) {
      if (page.contains("asset-")) {
        assetPages.add(page);
      }
    }

    assertThat(assetPages).hasSizeGreaterThan(5);
    assertThat(assetPages).allSatisfy(page -> assertThat(page).contains("Silent for"));
    assertThat(assetPages.subList(1, assetPages.size()))
        .allSatisfy(page -> assertThat(page).contains("Assets of the inventory (continued)"));
  }

  @Test
  void overlongCellsAreCutWithAnEllipsis() {
    String controls = pages.stream().filter(p -> p.contains("AC-7")).findFirst().orElseThrow();

    assertThat(controls).contains("\u2026");
    assertThat(controls.split("Enforce a limit", -1).length - 1).isLessThan(6);
  }

  @Test
  void vietnameseTextPrintsAsWritten() {
    assertThat(Files.isReadable(PdfFonts.DEJAVU.resolve("DejaVuSans.ttf")))
        .as("DejaVu Sans is missing: run .ci/setup (it installs fonts-dejavu-core)")
        .isTrue();
    assertThat(text)
        .contains("nguyễn.văn.an")
        .contains("Sở Y tế")
        .contains("Sở Thông tin và Truyền thông");
  }

  @Test
  void figuresAndTheDefinitionAppendixArePrinted() {
    assertThat(text).contains("Assets reporting").contains("41 of 44");
    String appendix =
        pages.get(pages.size() - 1).isBlank()
            ? pages.get(pages.size() - 2)
            : pages.get(pages.size() - 1);
    assertThat(appendix)
        .contains("name: weekly-nist")
        .contains("framework: nist-800-53")
        .contains("critical: 4h")
        .contains("schedule: 0 6 * * MON");
  }

  @Test
  void firstPageRendersToAnImage() throws Exception {
    Poppler.run(
        "pdftoppm",
        "-r",
        "30",
        "-png",
        "-f",
        "1",
        "-l",
        "1",
        pdf.toString(),
        dir.resolve("cover").toString());
    Path png;
    try (var files = Files.list(dir)) {
      png =
          files
              .filter(p -> p.getFileName().toString().startsWith("cover"))
              .findFirst()
              .orElseThrow();
    }
    BufferedImage image = ImageIO.read(png.toFile());

    // A4 at 30 dpi.
    assertThat(image.getWidth()).isBetween(245, 250);
    assertThat(image.getHeight()).isBetween(348, 352);
  }

  @Test
  void chartPagesCarryTheChartImages() throws Exception {
    String images = Poppler.run("pdfimages", "-list", pdf.toString());

    // Two charts, drawn at twice the size they are shown at.
    List<String> rows = images.lines().skip(2).toList();
    assertThat(rows).hasSize(2);
    assertThat(rows).allSatisfy(row -> assertThat(row).contains("image"));
  }

  @Test
  void attachedReportJsonIsTheContentAndHashesToThePrintedHash() throws Exception {
    Path json = dir.resolve("detached.json");
    Poppler.run("pdfdetach", "-save", "1", "-o", json.toString(), pdf.toString());

    assertThat(Files.readAllBytes(json)).isEqualTo(ReportContent.canonicalJson(report));
    assertThat(ReportContent.sha256(Files.readAllBytes(json)))
        .isEqualTo(ReportContent.sha256(report));
    assertThat(Poppler.run("pdfdetach", "-list", pdf.toString())).contains("report.json");
  }

  @Test
  void verifyAcceptsTheReportAsWritten() throws Exception {
    ReportPdf.Verification result = ReportPdf.verify(Files.readAllBytes(pdf));

    assertThat(result.valid()).as(result.message()).isTrue();
    assertThat(result.printedHash()).isEqualTo(ReportContent.sha256(report));
    assertThat(result.computedHash()).isEqualTo(result.printedHash());
  }

  @Test
  void verifyRejectsAPdfWhoseAttachedContentWasChanged() throws Exception {
    byte[] tampered;
    try (PDDocument document = Loader.loadPDF(Files.readAllBytes(pdf))) {
      Report changed = TestReports.withCell(report, "detection-rules", 0, 3, "9");
      PDComplexFileSpecification spec = attached(document);
      PDEmbeddedFile file =
          new PDEmbeddedFile(
              document, new java.io.ByteArrayInputStream(ReportContent.canonicalJson(changed)));
      spec.setEmbeddedFile(file);
      spec.setEmbeddedFileUnicode(file);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      tampered = out.toByteArray();
    }

    ReportPdf.Verification result = ReportPdf.verify(tampered);

    assertThat(result.valid()).isFalse();
    assertThat(result.printedHash()).isEqualTo(ReportContent.sha256(report));
    assertThat(result.computedHash()).isNotEqualTo(result.printedHash());
    assertThat(result.message()).contains("changed after generation");
  }

  @Test
  void verifyRejectsARecordedHashThatTheCoverDoesNotPrint() throws Exception {
    byte[] tampered;
    Report changed = TestReports.withCell(report, "detection-rules", 0, 3, "9");
    try (PDDocument document = Loader.loadPDF(Files.readAllBytes(pdf))) {
      PDComplexFileSpecification spec = attached(document);
      PDEmbeddedFile file =
          new PDEmbeddedFile(
              document, new java.io.ByteArrayInputStream(ReportContent.canonicalJson(changed)));
      spec.setEmbeddedFile(file);
      spec.setEmbeddedFileUnicode(file);
      document
          .getDocumentInformation()
          .setCustomMetadataValue(ReportPdf.HASH_KEY, ReportContent.sha256(changed));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      tampered = out.toByteArray();
    }

    ReportPdf.Verification result = ReportPdf.verify(tampered);

    assertThat(result.valid()).isFalse();
    assertThat(result.message()).contains("cover does not print");
  }

  @Test
  void verifyCallsBytesThatAreNoPdfInvalidWithoutThrowing() {
    ReportPdf.Verification result = ReportPdf.verify("not a pdf".getBytes());

    assertThat(result.valid()).isFalse();
    assertThat(result.message()).contains("not a readable report PDF");
  }

  @Test
  void writeLeavesTheCallersStreamOpen() throws Exception {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream() {
          boolean closed;

          @Override
          public void close() {
            closed = true;
          }

          @Override
          public String toString() {
            return closed ? "closed" : "open";
          }
        };
    ReportPdf.write(
        new Report(
            TestReports.definition(),
            report.from(),
            report.to(),
            report.generatedAt(),
            "auditor1",
            List.of()),
        out);

    assertThat(out.toString()).isEqualTo("open");
  }

  private int pageCount() throws Exception {
    Matcher m = Pattern.compile("Pages:\\s+(\\d+)").matcher(Poppler.run("pdfinfo", pdf.toString()));
    assertThat(m.find()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  static byte[] pdf(Report report) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ReportPdf.write(report, out);
    return out.toByteArray();
  }

  static String textOf(byte[] bytes, String name) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return Poppler.run("pdftotext", "-enc", "UTF-8", file.toString(), "-");
  }

  private static PDComplexFileSpecification attached(PDDocument document) throws IOException {
    PDDocumentNameDictionary names = document.getDocumentCatalog().getNames();
    PDEmbeddedFilesNameTreeNode tree = names.getEmbeddedFiles();
    return tree.getNames().get(ReportPdf.ATTACHMENT);
  }
}
