package org.vigil.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads and writes ISO-8601 instants in epoch milliseconds as {@link Instant#parse} and {@link
 * DateTimeFormatter#ISO_INSTANT} do. Shippers write {@code @timestamp} as {@code
 * 2026-11-27T16:43:00.123Z}, and {@link Instant#parse} on that took a tenth of the Beats parse
 * stage: its general formatter resolves fields through maps. Text of that one shape (UTC, {@code
 * Z}, zero to nine fraction digits) is read here directly; any other text (an offset, a leap
 * second, an invalid date) goes to {@link Instant#parse}, so the result and the errors are always
 * the JDK's.
 */
public final class IsoInstant {
  private IsoInstant() {}

  /**
   * Epoch milliseconds of {@code text}, the fraction beyond milliseconds dropped as {@link
   * Instant#toEpochMilli} drops it.
   *
   * @throws DateTimeParseException when {@link Instant#parse} refuses the text
   * @throws ArithmeticException when the instant is outside the range of a long in milliseconds
   */
  public static long parseMillis(String text) {
    long millis = fastMillis(text);
    return millis != Long.MIN_VALUE ? millis : Instant.parse(text).toEpochMilli();
  }

  private static final long MIN_MILLIS = -62_167_219_200_000L; // 0000-01-01T00:00:00.000Z
  private static final long MAX_MILLIS = 253_402_300_799_999L; // 9999-12-31T23:59:59.999Z
  private static final long DAY_MILLIS = 86_400_000L;

  /** The date part ({@code 2016-11-11T}) of the last day written; immutable, so shared. */
  private record DatePrefix(long day, byte[] text) {}

  private static volatile DatePrefix lastDay = new DatePrefix(0, datePrefix(0));

  /**
   * {@code epochMillis} as {@link DateTimeFormatter#ISO_INSTANT} writes it: UTC, {@code Z}, the
   * milliseconds as three digits unless they are zero. Every event's {@code @timestamp} and {@code
   * event.ingested} is written so, and the JDK's formatter, which resolves fields one by one, was a
   * tenth of the Beats parse stage.
   */
  public static String format(long epochMillis) {
    return write(epochMillis, false);
  }

  /**
   * As {@link #format}, with the milliseconds written even when they are zero ({@code
   * 2016-11-11T12:09:19.000Z}), as the NetFlow decoder writes a flow's times.
   */
  public static String formatWithMillis(long epochMillis) {
    return write(epochMillis, true);
  }

  /**
   * Years 0000 to 9999 are written here, the date part kept for the last day seen (the events of a
   * run, and a flow's times, fall on the same day); other years as {@link Instant#toString()}.
   * Latin-1 bytes, because a String built from them is a plain copy.
   */
  private static String write(long epochMillis, boolean alwaysMillis) {
    if (epochMillis < MIN_MILLIS || epochMillis > MAX_MILLIS) {
      return Instant.ofEpochMilli(epochMillis).toString();
    }
    long day = Math.floorDiv(epochMillis, DAY_MILLIS);
    int msOfDay = (int) (epochMillis - day * DAY_MILLIS);
    DatePrefix prefix = lastDay;
    if (prefix.day != day) {
      prefix = new DatePrefix(day, datePrefix(day));
      lastDay = prefix;
    }
    int millis = msOfDay % 1000;
    byte[] c = new byte[alwaysMillis || millis != 0 ? 24 : 20];
    System.arraycopy(prefix.text, 0, c, 0, 11);
    digits(c, 11, msOfDay / 3_600_000, 2);
    c[13] = ':';
    digits(c, 14, msOfDay / 60_000 % 60, 2);
    c[16] = ':';
    digits(c, 17, msOfDay / 1000 % 60, 2);
    if (c.length == 24) {
      c[19] = '.';
      digits(c, 20, millis, 3);
    }
    c[c.length - 1] = 'Z';
    return new String(c, StandardCharsets.ISO_8859_1);
  }

  /**
   * {@code YYYY-MM-DDT} of a day counted from 1970-01-01: the civil-from-days algorithm of H.
   * Hinnant (see {@link #daysFromCivil}).
   */
  private static byte[] datePrefix(long days) {
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    byte[] c = new byte[11];
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, month, 2);
    c[7] = '-';
    digits(c, 8, day, 2);
    c[10] = 'T';
    return c;
  }

  private static void digits(byte[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }

  /** Long.MIN_VALUE when the text is not of the one shape read here. */
  private static long fastMillis(String s) {
    int n = s.length();
    if (n < 20
        || n > 30
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z') {
      return Long.MIN_VALUE;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > daysIn(year, month)
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return Long.MIN_VALUE;
    }
    int millisOfSecond = 0;
    if (n > 20) {
      // A fraction: '.', then 1 to 9 digits, then the 'Z' already seen.
      int fractionDigits = n - 21;
      if (s.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
        return Long.MIN_VALUE;
      }
      int fraction = digits(s, 20, fractionDigits);
      if (fraction < 0) {
        return Long.MIN_VALUE;
      }
      for (int i = fractionDigits; i < 3; i++) {
        fraction *= 10;
      }
      for (int i = 3; i < fractionDigits; i++) {
        fraction /= 10;
      }
      millisOfSecond = fraction;
    }
    long seconds =
        daysFromCivil(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
    return seconds * 1_000L + millisOfSecond;
  }

  /** The decimal number in {@code length} digits at {@code from}, or -1 for anything else. */
  private static int digits(String s, int from, int length) {
    int value = 0;
    for (int i = from; i < from + length; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static int daysIn(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /**
   * Days from 1970-01-01 to a date of the proleptic Gregorian calendar: the days-from-civil
   * algorithm of H. Hinnant, "chrono-Compatible Low-Level Date Algorithms".
   */
  private static long daysFromCivil(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }
}
