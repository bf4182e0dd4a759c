package org.vigil.dashboards.reports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A report's tables as CSV files in one zip, for auditors who recompute figures in a spreadsheet.
 *
 * <p>The zip holds one {@code <table id>.csv} per table, {@code figures.csv} with every headline
 * figure, {@code report.json} (the canonical content whose SHA-256 the PDF prints), and {@code
 * SHA256SUMS} in the form {@code sha256sum -c} checks. CSV is RFC 4180 (CRLF, quotes doubled),
 * UTF-8, with a header row. Entries carry the report's generation time, so the same report gives
 * the same zip.
 */
public final class ReportCsv {

  /** The name of the figures file; no table may take it. */
  public static final String FIGURES = "figures.csv";

  private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

  private ReportCsv() {}

  /**
   * Writes the zip to {@code out}, which is finished but not closed.
   *
   * @throws IllegalArgumentException when two tables share an id (their files would clash), before
   *     anything is written
   */
  public static void writeZip(Report report, OutputStream out) throws IOException {
    Map<String, byte[]> files = files(report);
    FileTime time =
        FileTime.from(report.generatedAt() == null ? Instant.EPOCH : report.generatedAt());
    ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
    StringBuilder sums = new StringBuilder();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      put(zip, file.getKey(), file.getValue(), time);
      sums.append(ReportContent.sha256(file.getValue()))
          .append("  ")
          .append(file.getKey())
          .append('\n');
    }
    put(zip, "SHA256SUMS", sums.toString().getBytes(StandardCharsets.UTF_8), time);
    zip.finish();
  }

  /** The files of the zip but {@code SHA256SUMS}, in the order they are written. */
  private static Map<String, byte[]> files(Report report) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("report.json", ReportContent.canonicalJson(report));
    List<List<String>> figures = new ArrayList<>();
    Set<String> names = new HashSet<>(Set.of(FIGURES));
    for (ReportSection section : report.sections()) {
      String kind = section.kind() == null ? "" : section.kind().wireName();
      for (ReportFigure figure : section.figures()) {
        figures.add(List.of(kind, text(figure.key()), text(figure.label()), text(figure.value())));
      }
      for (ReportTable table : section.tables()) {
        String name = table.id() + ".csv";
        if (!names.add(name)) {
          throw new IllegalArgumentException(
              "two report tables would both be written as "
                  + name
                  + ": table ids must be unique in a report and not 'figures'");
        }
        files.put(name, csv(table.columns(), table.rows()));
      }
    }
    files.put(FIGURES, csv(List.of("section", "key", "label", "value"), figures));
    return files;
  }

  private static byte[] csv(List<String> header, List<List<String>> rows) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Writer writer = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
        CSVPrinter printer = new CSVPrinter(writer, CSV)) {
      printer.printRecord(header);
      for (List<String> row : rows) {
        printer.printRecord(row);
      }
    }
    return bytes.toByteArray();
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes, FileTime time)
      throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setLastModifiedTime(time);
    zip.putNextEntry(entry);
    zip.write(bytes);
    zip.closeEntry();
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }
}
