package org.vigil.dashboards;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time range on {@code @timestamp}, resolved to instants on the server so that the histogram can
 * pick its interval and a cursor stays valid while an analyst pages ({@code now} would move).
 *
 * @param from inclusive start, epoch milliseconds
 * @param to inclusive end, epoch milliseconds
 */
public record TimeRange(long from, long to) {

  /** Default span when the caller gives no {@code from}: the last day, like the UI's picker. */
  public static final Duration DEFAULT_SPAN = Duration.ofHours(24);

  private static final Pattern DATE_MATH =
      Pattern.compile("now((?:[+-]\\d{1,9}[smhdwMy])*)(?:/([smhdwMy]))?");
  private static final Pattern STEP = Pattern.compile("([+-])(\\d{1,9})([smhdwMy])");

  public TimeRange {
    if (from > to) {
      throw new IllegalArgumentException(
          "time range starts after it ends: from "
              + Instant.ofEpochMilli(from)
              + " is later than to "
              + Instant.ofEpochMilli(to));
    }
  }

  /**
   * Parses the API's {@code from} and {@code to}: ISO-8601 ({@code 2026-11-26T10:00:00Z}) or
   * Elasticsearch date math relative to now ({@code now-24h}, {@code now-7d/d}, {@code now}).
   * Missing values mean the last {@link #DEFAULT_SPAN} up to now.
   */
  public static TimeRange parse(String from, String to, Instant now) {
    long end = blank(to) ? now.toEpochMilli() : instant("to", to, now);
    long start = blank(from) ? end - DEFAULT_SPAN.toMillis() : instant("from", from, now);
    return new TimeRange(start, end);
  }

  public long spanMillis() {
    return to - from;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static long instant(String name, String value, Instant now) {
    String v = value.trim();
    Matcher math = DATE_MATH.matcher(v);
    if (math.matches()) {
      OffsetDateTime t = now.atOffset(ZoneOffset.UTC);
      Matcher step = STEP.matcher(math.group(1));
      while (step.find()) {
        long amount = Long.parseLong(step.group(2)) * (step.group(1).equals("-") ? -1 : 1);
        t = t.plus(amount, unit(step.group(3)));
      }
      if (math.group(2) != null) {
        t = roundDown(t, math.group(2));
      }
      return t.toInstant().toEpochMilli();
    }
    try {
      return OffsetDateTime.parse(v).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name
              + " must be an ISO-8601 time with a zone (2026-11-26T10:00:00Z) or date math"
              + " (now-24h, now-7d/d): "
              + value,
          e);
    }
  }

  private static ChronoUnit unit(String u) {
    return switch (u) {
      case "s" -> ChronoUnit.SECONDS;
      case "m" -> ChronoUnit.MINUTES;
      case "h" -> ChronoUnit.HOURS;
      case "d" -> ChronoUnit.DAYS;
      case "w" -> ChronoUnit.WEEKS;
      case "M" -> ChronoUnit.MONTHS;
      case "y" -> ChronoUnit.YEARS;
      default -> throw new IllegalArgumentException("unknown date math unit: " + u);
    };
  }

  private static OffsetDateTime roundDown(OffsetDateTime t, String u) {
    return switch (u) {
      case "s", "m", "h", "d" -> t.truncatedTo(unit(u));
      case "w" -> t.truncatedTo(ChronoUnit.DAYS).minusDays(t.getDayOfWeek().getValue() - 1L);
      case "M" -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
      case "y" -> t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
      default -> throw new IllegalArgumentException("unknown date math unit: " + u);
    };
  }
}
