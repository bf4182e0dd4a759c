package org.vigil.correlation.enrich;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a CSV feed: a header naming at least {@code type} and {@code value} (in any order, other
 * columns such as {@code description} ignored), optionally {@code valid_until} as ISO-8601 ({@code
 * 2026-12-31T00:00:00Z}). {@code type} is a STIX name ({@code ipv4-addr}, {@code ipv6-addr}, {@code
 * domain-name}, {@code url}, {@code file}) or one of {@code ip}, {@code domain}, {@code hostname},
 * {@code md5}, {@code sha1}, {@code sha256}, {@code hash}; empty means detect it as in a plain
 * list. Lines starting with {@code #} are comments.
 */
public final class IndicatorCsvReader {
  private static final CsvMapper CSV = new CsvMapper();

  private IndicatorCsvReader() {}

  /**
   * @param now epoch millis: rows whose {@code valid_until} is not after it are skipped
   * @throws IllegalArgumentException if the header lacks {@code type} or {@code value}, or the text
   *     is not CSV
   */
  public static IndicatorFeed read(String provider, String text, long now) {
    IndicatorFeed.Builder feed = IndicatorFeed.builder(provider);
    CsvSchema schema = CsvSchema.emptySchema().withHeader().withComments();
    try (MappingIterator<Map<String, String>> it =
        CSV.readerForMapOf(String.class)
            .with(schema)
            .with(CsvParser.Feature.TRIM_SPACES)
            .with(CsvParser.Feature.SKIP_EMPTY_LINES)
            .readValues(new StringReader(text))) {
      if (!it.hasNextValue()) {
        return feed.build();
      }
      List<String> columns = new ArrayList<>();
      ((CsvSchema) it.getParser().getSchema()).forEach(c -> columns.add(c.getName()));
      if (!columns.contains("type") || !columns.contains("value")) {
        throw new IllegalArgumentException(
            "line 1: the header must name at least the columns type,value; got "
                + String.join(",", columns));
      }
      while (it.hasNextValue()) {
        int line = it.getParser().currentLocation().getLineNr();
        add(feed, it.nextValue(), line, now);
      }
    } catch (IOException | RuntimeJsonMappingException e) {
      throw new IllegalArgumentException("not CSV: " + e.getMessage(), e);
    }
    return feed.build();
  }

  private static void add(IndicatorFeed.Builder feed, Map<String, String> row, int line, long now) {
    String value = row.get("value");
    if (value == null || value.isBlank()) {
      feed.skip("line " + line + ": value is empty");
      return;
    }
    String typeName = row.get("type");
    IndicatorType type =
        typeName == null || typeName.isBlank()
            ? IndicatorType.detect(value.strip())
            : IndicatorType.fromName(typeName);
    if (type == null) {
      feed.skip("line " + line + ": unknown type '" + typeName + "' of '" + value + "'");
      return;
    }
    long validUntil = Long.MAX_VALUE;
    String until = row.get("valid_until");
    if (until != null && !until.isBlank()) {
      try {
        validUntil = Instant.parse(until.strip()).toEpochMilli();
      } catch (DateTimeParseException e) {
        feed.skip("line " + line + ": valid_until '" + until + "' is no ISO-8601 time");
        return;
      }
      if (validUntil <= now) {
        feed.inactive();
        return;
      }
    }
    try {
      feed.add(type, value, validUntil);
    } catch (IllegalArgumentException e) {
      feed.skip("line " + line + ": " + e.getMessage());
    }
  }
}
