package org.vigil.dashboards.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * How report cells print numbers, times and durations: one form for the PDF and the CSV alike, so
 * both carry the same figures and the content hash covers what an auditor reads.
 */
public final class ReportText {
  private ReportText() {}

  /** {@code 2026-11-26T07:05:00Z}: UTC, to the second. */
  public static String time(Instant instant) {
    return instant == null ? "" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** {@code 3d 04h 05m}, {@code 2h 07m}, {@code 4m 09s} or {@code 12s}: two units, rounded down. */
  public static String duration(Duration duration) {
    if (duration == null) {
      return "";
    }
    long s = Math.max(0, duration.getSeconds());
    long d = s / 86_400;
    long h = s % 86_400 / 3_600;
    long m = s % 3_600 / 60;
    long sec = s % 60;
    if (d > 0) {
      return String.format(Locale.ROOT, "%dd %02dh %02dm", d, h, m);
    }
    if (h > 0) {
      return String.format(Locale.ROOT, "%dh %02dm", h, m);
    }
    if (m > 0) {
      return String.format(Locale.ROOT, "%dm %02ds", m, sec);
    }
    return sec + "s";
  }

  /** A count in plain digits, no grouping, so CSV readers parse it as a number. */
  public static String count(long n) {
    return Long.toString(n);
  }

  /**
   * A share as a percentage with one decimal, e.g. {@code 93.2%}; {@code n/a} when {@code of} is 0.
   */
  public static String percent(long part, long of) {
    return of == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / of);
  }

  /**
   * A duration as a definition file writes it, in its largest whole unit: {@code 7d}, {@code 4h},
   * {@code 30m} or {@code 90s}; {@code parse} of a definition reads it back.
   */
  public static String durationSpec(Duration duration) {
    long s = duration.getSeconds();
    if (s != 0 && s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s != 0 && s % 3_600 == 0) {
      return s / 3_600 + "h";
    }
    if (s != 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
