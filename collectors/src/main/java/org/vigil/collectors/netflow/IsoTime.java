package org.vigil.collectors.netflow;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Epoch milliseconds as ISO-8601 UTC text ({@code 2016-11-11T12:09:19.000Z}), written without
 * {@link java.time.format.DateTimeFormatter} because every flow record carries up to four times and
 * the JDK formatter dominated the decoder's profile. The date part is kept for the last day seen:
 * the flows of one export packet, and of one exporter for hours, fall on the same day. Latin-1
 * bytes, because a String built from them is a plain copy. Years outside 0000..9999 fall back to
 * {@link Instant#toString()}.
 */
final class IsoTime {
  private static final long MIN_MILLIS = -62_167_219_200_000L; // 0000-01-01T00:00:00.000Z
  private static final long MAX_MILLIS = 253_402_300_799_999L; // 9999-12-31T23:59:59.999Z
  private static final long DAY_MILLIS = 86_400_000L;

  /** The date part ({@code 2016-11-11T}) of the last day formatted; immutable, so shared. */
  private record DatePrefix(long day, byte[] text) {}

  private static volatile DatePrefix lastDay = new DatePrefix(0, datePrefix(0));

  private IsoTime() {}

  static String format(long epochMillis) {
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
    byte[] c = new byte[24];
    System.arraycopy(prefix.text, 0, c, 0, 11);
    digits(c, 11, msOfDay / 3_600_000, 2);
    c[13] = ':';
    digits(c, 14, msOfDay / 60_000 % 60, 2);
    c[16] = ':';
    digits(c, 17, msOfDay / 1000 % 60, 2);
    c[19] = '.';
    digits(c, 20, msOfDay % 1000, 3);
    c[23] = 'Z';
    return new String(c, StandardCharsets.ISO_8859_1);
  }

  /**
   * {@code YYYY-MM-DDT} of a day counted from 1970-01-01: the civil-from-days algorithm of H.
   * Hinnant, "chrono-Compatible Low-Level Date Algorithms".
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
}
