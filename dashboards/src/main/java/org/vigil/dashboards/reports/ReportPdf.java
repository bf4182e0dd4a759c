package org.vigil.dashboards.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PageMode;
import org.apache.pdfbox.pdmodel.common.PDNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDDocumentOutline;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * A report as a PDF an auditor can file: a cover with the period, the scope and the content hash,
 * one part per section (notes, headline figures, charts, tables), and the report's definition as an
 * appendix. Every page has the title on top and "Page X of Y" with the short hash below.
 *
 * <p>The PDF proves its own content: the canonical JSON ({@link ReportContent}) is attached as
 * {@code report.json}, and its SHA-256 is printed on the cover and stored in the document
 * information under {@value #HASH_KEY}. {@link #verify} (and {@code pdfdetach -save 1} with {@code
 * sha256sum}) checks the three agree, so a figure edited after generation shows.
 *
 * <p>Text is set in DejaVu Sans, embedded as a subset, where the machine has it, so Vietnamese
 * prints as written; else in the standard Helvetica ({@link PdfFonts}). What the font cannot show
 * is approximated ({@link PdfText}), and the appendix counts what was. Page content goes to a
 * scratch file past 16 MiB, and each chart image is compressed into the document as soon as it is
 * drawn, so long reports do not pile up in memory.
 */
public final class ReportPdf {

  /** The document-information key holding the content hash. */
  public static final String HASH_KEY = "VigilContentSha256";

  /** The attached file holding the canonical content. */
  public static final String ATTACHMENT = "report.json";

  /** Rows printed per table; the CSV export has the rest. */
  public static final int MAX_TABLE_ROWS = 500;

  private static final long MEMORY_BYTES = 16L << 20;
  private static final Color RULE = new Color(0x9a, 0xa5, 0xb1);

  private static final YAMLMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .build())
          .build();

  private ReportPdf() {}

  /** Writes the report as a PDF to {@code out}, which is flushed but not closed. */
  public static void write(Report report, OutputStream out) throws IOException {
    byte[] json = ReportContent.canonicalJson(report);
    String hash = ReportContent.sha256(json);
    String title = report.definition() == null ? "Report" : report.definition().title();
    try (PDDocument document =
            new PDDocument(MemoryUsageSetting.setupMixed(MEMORY_BYTES).streamCache);
        PdfPageFlow flow = new PdfPageFlow(document, title)) {
      PDDocumentOutline outline = new PDDocumentOutline();
      document.getDocumentCatalog().setDocumentOutline(outline);
      cover(flow, report, title, hash);
      for (ReportSection section : report.sections()) {
        flow.newPage();
        bookmark(outline, section.kind() == null ? "Section" : section.kind().title(), flow.page());
        section(flow, section);
      }
      flow.newPage();
      bookmark(outline, "Report definition", flow.page());
      appendix(flow, report);
      flow.close();
      footers(document, hash);
      attach(document, json, report.generatedAt());
      describe(document, report, title, hash);
      document.getDocumentCatalog().setPageMode(PageMode.USE_OUTLINES);
      document.save(new KeepOpen(out));
    }
  }

  /**
   * Checks a PDF written by {@link #write}: that it carries {@code report.json}, and that the
   * SHA-256 of that file equals the hash in the document information and the hash printed on the
   * cover. Never throws: unreadable input is reported as not valid.
   */
  public static Verification verify(byte[] pdf) {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      String recorded = document.getDocumentInformation().getCustomMetadataValue(HASH_KEY);
      byte[] json = attachment(document);
      if (json == null) {
        return new Verification(false, recorded, null, "the PDF has no attached " + ATTACHMENT);
      }
      String computed = ReportContent.sha256(json);
      if (recorded == null) {
        return new Verification(
            false, null, computed, "the PDF has no content hash (" + HASH_KEY + ")");
      }
      if (!recorded.equals(computed)) {
        return new Verification(
            false,
            recorded,
            computed,
            "the attached "
                + ATTACHMENT
                + " hashes to "
                + computed
                + ", not to the recorded "
                + recorded
                + ": the content was changed after generation");
      }
      PDFTextStripper stripper = new PDFTextStripper();
      stripper.setStartPage(1);
      stripper.setEndPage(1);
      if (!stripper.getText(document).contains(computed)) {
        return new Verification(
            false, recorded, computed, "the cover does not print the content hash " + computed);
      }
      return new Verification(
          true, recorded, computed, "the content matches the hash printed on the cover");
    } catch (IOException | RuntimeException e) {
      return new Verification(false, null, null, "not a readable report PDF: " + e.getMessage());
    }
  }

  /**
   * What {@link #verify} found.
   *
   * @param valid whether the attached content, the recorded hash and the printed hash all agree
   * @param printedHash the hash the PDF states (document information), or null
   * @param computedHash the SHA-256 of the attached {@code report.json}, or null
   * @param message why it is or is not valid, for people
   */
  public record Verification(
      boolean valid, String printedHash, String computedHash, String message) {}

  private static void cover(PdfPageFlow flow, Report report, String title, String hash)
      throws IOException {
    flow.newPage();
    flow.down(120);
    flow.paragraph(flow.bold, 22, title, 0);
    flow.down(20);
    ReportDefinition definition = report.definition();
    List<String> agencies = definition == null ? List.of() : definition.agencies();
    coverLine(flow, "Framework", definition == null ? "" : definition.framework());
    coverLine(
        flow,
        "Period",
        ReportText.time(report.from()) + " to " + ReportText.time(report.to()) + " (exclusive)");
    coverLine(flow, "Agencies", agencies.isEmpty() ? "all agencies" : String.join(", ", agencies));
    coverLine(flow, "Generated at", ReportText.time(report.generatedAt()));
    coverLine(flow, "Generated by", report.generatedBy());
    flow.down(24);
    // One line, label and hash together, so text extraction yields it whole.
    float baseline = flow.y() - 10;
    String label = "Content SHA-256: ";
    flow.text(flow.bold, 10, PdfPageFlow.MARGIN, baseline, label);
    flow.text(
        flow.mono, 9, PdfPageFlow.MARGIN + flow.widthOf(flow.bold, 10, label), baseline, hash);
    flow.down(PdfPageFlow.leading(10));
    flow.down(8);
    flow.paragraph(
        flow.regular,
        8,
        "The hash is the SHA-256 of the attached file "
            + ATTACHMENT
            + " (the report's content as canonical JSON; the CSV export carries the same file)."
            + " To check this document: pdfdetach -save 1 -o report.json FILE; sha256sum"
            + " report.json",
        0);
  }

  private static void coverLine(PdfPageFlow flow, String label, String value) throws IOException {
    float labelWidth = 90;
    List<String> lines = flow.wrap(flow.regular, 11, value, PdfPageFlow.width() - labelWidth);
    float leading = PdfPageFlow.leading(11);
    flow.ensure(leading * lines.size());
    flow.text(flow.bold, 11, PdfPageFlow.MARGIN, flow.y() - 11, label);
    for (String line : lines) {
      flow.text(flow.regular, 11, PdfPageFlow.MARGIN + labelWidth, flow.y() - 11, line);
      flow.down(leading);
    }
  }

  private static void section(PdfPageFlow flow, ReportSection section) throws IOException {
    flow.paragraph(flow.bold, 16, section.kind() == null ? "" : section.kind().title(), 0);
    flow.rule(flow.y() - 2, PdfPageFlow.width(), RULE);
    flow.down(12);
    for (String note : section.notes()) {
      flow.paragraph(flow.regular, 10, note, 0);
      flow.down(4);
    }
    if (section.notes().isEmpty()
        && section.figures().isEmpty()
        && section.charts().isEmpty()
        && section.tables().isEmpty()) {
      flow.paragraph(flow.regular, 10, "Nothing to report in this section.", 0);
    }
    if (!section.figures().isEmpty()) {
      flow.down(6);
      figures(flow, section.figures());
    }
    for (ReportChart chart : section.charts()) {
      chart(flow, chart);
    }
    for (ReportTable table : section.tables()) {
      new PdfTableLayout(flow, table, MAX_TABLE_ROWS).draw();
    }
  }

  /** Label on the left, value on the right: the section's headline numbers at a glance. */
  private static void figures(PdfPageFlow flow, List<ReportFigure> figures) throws IOException {
    float size = 10;
    float leading = PdfPageFlow.leading(size);
    float labelWidth = PdfPageFlow.width() * 0.62f;
    float valueX = PdfPageFlow.MARGIN + labelWidth + 10;
    float valueWidth = PdfPageFlow.width() - labelWidth - 10;
    for (ReportFigure figure : figures) {
      List<String> label = flow.wrap(flow.regular, size, figure.label(), labelWidth);
      List<String> value = flow.wrap(flow.bold, size, figure.value(), valueWidth);
      int lines = Math.max(label.size(), value.size());
      flow.ensure(lines * leading + 2);
      float top = flow.y();
      for (int i = 0; i < lines; i++) {
        float baseline = top - size - i * leading;
        if (i < label.size()) {
          flow.text(flow.regular, size, PdfPageFlow.MARGIN, baseline, label.get(i));
        }
        if (i < value.size()) {
          flow.text(flow.bold, size, valueX, baseline, value.get(i));
        }
      }
      flow.down(lines * leading + 2);
    }
    flow.down(6);
  }

  private static void chart(PdfPageFlow flow, ReportChart chart) throws IOException {
    float width = PdfPageFlow.width();
    float height = ReportChartImage.height(chart);
    flow.ensure(height + 10);
    // The pixels live only until the image is compressed into the document.
    BufferedImage image = ReportChartImage.render(chart, width);
    flow.image(
        LosslessFactory.createFromImage(flow.document, image),
        PdfPageFlow.MARGIN,
        flow.y() - height,
        width,
        height);
    flow.down(height + 10);
  }

  private static void appendix(PdfPageFlow flow, Report report) throws IOException {
    flow.paragraph(flow.bold, 16, "Report definition", 0);
    flow.rule(flow.y() - 2, PdfPageFlow.width(), RULE);
    flow.down(12);
    flow.paragraph(
        flow.regular, 10, "The definition this report was generated from, as a file states it:", 0);
    flow.down(6);
    Map<String, Object> map = report.definition() == null ? Map.of() : report.definition().toMap();
    String yaml;
    try {
      yaml = YAML.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      // toMap holds only strings, numbers, lists and maps; should Jackson still refuse, say so.
      yaml = "(the definition could not be printed: " + e.getOriginalMessage() + ")";
    }
    for (String line : yaml.split("\n")) {
      flow.paragraph(flow.mono, 9, line, 10);
    }
    flow.down(12);
    long approximated = flow.approximated();
    flow.paragraph(
        flow.regular,
        9,
        approximated == 0
            ? "Every character of the report is printed as it is."
            : ReportText.count(approximated)
                + " characters outside the PDF's fonts are printed in their closest form"
                + " (accents dropped, or '?'); "
                + ATTACHMENT
                + " and the CSV files carry the exact text.",
        0);
  }

  /** Numbers the pages, now that their count is known, on top of what each already holds. */
  private static void footers(PDDocument document, String hash) throws IOException {
    PDFont font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    int total = document.getNumberOfPages();
    int number = 0;
    for (PDPage page : document.getPages()) {
      number++;
      try (PDPageContentStream stream =
          new PDPageContentStream(document, page, PDPageContentStream.AppendMode.APPEND, true)) {
        stream.setNonStrokingColor(Color.GRAY);
        String left = "Content SHA-256 " + hash.substring(0, 16);
        String right = "Page " + number + " of " + total;
        stream.beginText();
        stream.setFont(font, 8);
        stream.newLineAtOffset(PdfPageFlow.MARGIN, 30);
        stream.showText(left);
        stream.endText();
        stream.beginText();
        stream.newLineAtOffset(
            PdfPageFlow.SIZE.getWidth()
                - PdfPageFlow.MARGIN
                - font.getStringWidth(right) / 1000 * 8,
            30);
        stream.showText(right);
        stream.endText();
      }
    }
  }

  private static void attach(PDDocument document, byte[] json, Instant generatedAt)
      throws IOException {
    PDEmbeddedFile file = new PDEmbeddedFile(document, new ByteArrayInputStream(json));
    file.setSubtype("application/json");
    file.setSize(json.length);
    file.setCreationDate(calendar(generatedAt));
    PDComplexFileSpecification spec = new PDComplexFileSpecification();
    spec.setFile(ATTACHMENT);
    spec.setFileUnicode(ATTACHMENT);
    spec.setEmbeddedFile(file);
    spec.setEmbeddedFileUnicode(file);
    spec.setFileDescription("The report's content as canonical JSON; its SHA-256 is printed");
    PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
    tree.setNames(Map.of(ATTACHMENT, spec));
    PDDocumentCatalog catalog = document.getDocumentCatalog();
    PDDocumentNameDictionary names = new PDDocumentNameDictionary(catalog);
    names.setEmbeddedFiles(tree);
    catalog.setNames(names);
  }

  private static void describe(PDDocument document, Report report, String title, String hash) {
    PDDocumentInformation info = document.getDocumentInformation();
    info.setTitle(title);
    info.setSubject(
        report.definition() == null
            ? null
            : "Compliance report, " + report.definition().framework());
    info.setCreator("Vigil");
    info.setProducer("Vigil with Apache PDFBox");
    info.setCreationDate(calendar(report.generatedAt()));
    info.setCustomMetadataValue(HASH_KEY, hash);
  }

  private static void bookmark(PDDocumentOutline outline, String title, PDPage page) {
    PDOutlineItem item = new PDOutlineItem();
    item.setTitle(title);
    item.setDestination(page);
    outline.addLast(item);
  }

  /** The attached report.json, searched through every level of the name tree; null if none. */
  private static byte[] attachment(PDDocument document) throws IOException {
    PDDocumentNameDictionary names = document.getDocumentCatalog().getNames();
    if (names == null || names.getEmbeddedFiles() == null) {
      return null;
    }
    PDComplexFileSpecification spec = find(names.getEmbeddedFiles());
    if (spec == null) {
      return null;
    }
    PDEmbeddedFile file =
        spec.getEmbeddedFileUnicode() != null
            ? spec.getEmbeddedFileUnicode()
            : spec.getEmbeddedFile();
    return file == null ? null : file.toByteArray();
  }

  private static PDComplexFileSpecification find(PDNameTreeNode<PDComplexFileSpecification> node)
      throws IOException {
    Map<String, PDComplexFileSpecification> names = node.getNames();
    if (names != null && names.containsKey(ATTACHMENT)) {
      return names.get(ATTACHMENT);
    }
    List<PDNameTreeNode<PDComplexFileSpecification>> kids = node.getKids();
    if (kids != null) {
      for (PDNameTreeNode<PDComplexFileSpecification> kid : kids) {
        PDComplexFileSpecification found = find(kid);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static Calendar calendar(Instant instant) {
    GregorianCalendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
    calendar.setTimeInMillis((instant == null ? Instant.EPOCH : instant).toEpochMilli());
    return calendar;
  }

  /** PDFBox closes the stream it saves to; the caller owns {@code out}, so only flush it. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
