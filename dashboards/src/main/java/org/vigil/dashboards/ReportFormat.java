package org.vigil.dashboards;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import org.vigil.dashboards.reports.Report;
import org.vigil.dashboards.reports.ReportCsv;
import org.vigil.dashboards.reports.ReportPdf;

/** The files a report is kept and downloaded as. */
public enum ReportFormat {
  /** The document auditors sign and file: sections, charts, tables and the content hash. */
  PDF("application/pdf", "pdf"),
  /** Every table as its own CSV file, zipped with the content JSON and a SHA256SUMS. */
  CSV("application/zip", "zip");

  private final String mediaType;
  private final String extension;

  ReportFormat(String mediaType, String extension) {
    this.mediaType = mediaType;
    this.extension = extension;
  }

  public String mediaType() {
    return mediaType;
  }

  public String extension() {
    return extension;
  }

  /** Renders the report in this format. */
  public byte[] render(Report report) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (this == PDF) {
      ReportPdf.write(report, out);
    } else {
      ReportCsv.writeZip(report, out);
    }
    return out.toByteArray();
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code pdf} or {@code csv}; the error says which there are. */
  public static ReportFormat fromWire(String name) {
    for (ReportFormat format : values()) {
      if (format.wireName().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown report format '" + name + "': use pdf or csv");
  }
}
