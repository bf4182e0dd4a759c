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

  /**
   * {@code epochMillis} as {@link DateTimeFormatter#ISO_INSTANT} writes it: UTC,
   * {@code Z}, the milliseconds as three digits unless they are zero. Every event's {@code
   * @timestamp} and {@code event.ingested} is written so, and the JDK's formatter, which resolves
   * fields one by one, was a tenth of the Beats parse stage. Years 0000 to 9999 are written here;
   * any other goes to the JDK.
   */
  public static String format(long epochMillis) {
    long seconds = Math.floorDiv(epochMillis, 1_000L);
    int millis = (int) Math.floorMod(epochMillis, 1_000L);
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    // civil-from-days, the inverse of daysFromCivil below (same source)
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9_999) {
      return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis));
    }
    byte[] out = new byte[millis == 0 ? 20 : 24];
    put(out, 0, (int) year, 4);
    out[4] = '-';
    put(out, 5, month, 2);
    out[7] = '-';
    put(out, 8, day, 2);
    out[10] = 'T';
    put(out, 11, secondOfDay / 3_600, 2);
    out[13] = ':';
    put(out, 14, secondOfDay / 60 % 60, 2);
    out[16] = ':';
    put(out, 17, secondOfDay % 60, 2);
    if (millis != 0) {
      out[19] = '.';
      put(out, 20, millis, 3);
    }
    out[out.length - 1] = 'Z';
    return new String(out, StandardCharsets.US_ASCII);
  }

  private static void put(byte[] out, int at, int value, int digits) {
    for (int i = at + digits - 1; i >= at; i--) {
      out[i] = (byte) ('0' + value % 10);
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
