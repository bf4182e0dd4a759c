package org.vigil.dashboards.reports;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content of a report as one canonical JSON document, and its SHA-256.
 *
 * <p>The hash printed in the PDF and listed in the CSV bundle's {@code SHA256SUMS} is taken over
 * these bytes, which travel with both exports as {@code report.json}: an auditor who hashes that
 * file gets the printed hash, and a figure changed afterwards no longer matches. So the bytes must
 * depend on the report only: fields are written in a fixed order, the definition's keys sorted, no
 * whitespace, UTF-8, and times in ISO-8601 UTC at full precision.
 */
public final class ReportContent {

  /** Names the layout of the JSON, so a reader can tell a later layout apart. */
  public static final String FORMAT = "vigil-report/1";

  private static final JsonFactory JSON = new JsonFactory();

  private ReportContent() {}

  /** The report as canonical JSON: the same report always gives the same bytes. */
  public static byte[] canonicalJson(Report report) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("format", FORMAT);
      json.writeFieldName("definition");
      writeValue(json, report.definition() == null ? null : report.definition().toMap());
      json.writeStringField("from", time(report.from()));
      json.writeStringField("to", time(report.to()));
      json.writeStringField("generated_at", time(report.generatedAt()));
      json.writeStringField("generated_by", report.generatedBy());
      json.writeArrayFieldStart("sections");
      for (ReportSection section : report.sections()) {
        writeSection(json, section);
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      // Only a ByteArrayOutputStream is written to: this cannot happen short of a Jackson bug.
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** 64 lowercase hex digits: the SHA-256 of {@link #canonicalJson}. */
  public static String sha256(Report report) {
    return sha256(canonicalJson(report));
  }

  /** 64 lowercase hex digits: the SHA-256 of these bytes. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static void writeSection(JsonGenerator json, ReportSection section) throws IOException {
    json.writeStartObject();
    json.writeStringField("kind", section.kind() == null ? null : section.kind().wireName());
    json.writeStringField("title", section.kind() == null ? null : section.kind().title());
    json.writeFieldName("notes");
    writeValue(json, section.notes());
    json.writeArrayFieldStart("figures");
    for (ReportFigure figure : section.figures()) {
      json.writeStartObject();
      json.writeStringField("key", figure.key());
      json.writeStringField("label", figure.label());
      json.writeStringField("value", figure.value());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("charts");
    for (ReportChart chart : section.charts()) {
      json.writeStartObject();
      json.writeStringField("title", chart.title());
      json.writeStringField("unit", chart.unit());
      json.writeFieldName("labels");
      writeValue(json, chart.labels());
      json.writeArrayFieldStart("values");
      for (Double value : chart.values()) {
        // NaN and infinities have no JSON form; a missing bar is the closest honest reading.
        if (value == null || value.isNaN() || value.isInfinite()) {
          json.writeNull();
        } else {
          json.writeNumber(value);
        }
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("tables");
    for (ReportTable table : section.tables()) {
      json.writeStartObject();
      json.writeStringField("id", table.id());
      json.writeStringField("title", table.title());
      json.writeFieldName("columns");
      writeValue(json, table.columns());
      json.writeArrayFieldStart("rows");
      for (List<String> row : table.rows()) {
        writeValue(json, row);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  /**
   * Writes the plain values a definition map holds. Keys are sorted, so the bytes do not depend on
   * which map class {@code toMap} happens to use.
   */
  private static void writeValue(JsonGenerator json, Object value) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof Map<?, ?> map) {
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
      json.writeStartObject();
      for (Map.Entry<String, Object> entry : sorted.entrySet()) {
        json.writeFieldName(entry.getKey());
        writeValue(json, entry.getValue());
      }
      json.writeEndObject();
    } else if (value instanceof Iterable<?> list) {
      json.writeStartArray();
      for (Object item : list) {
        writeValue(json, item);
      }
      json.writeEndArray();
    } else if (value instanceof Integer || value instanceof Long) {
      json.writeNumber(((Number) value).longValue());
    } else if (value instanceof Boolean b) {
      json.writeBoolean(b);
    } else {
      // Anything else (durations, enums, doubles) as its text: stable, and never a float format.
      json.writeString(value.toString());
    }
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
