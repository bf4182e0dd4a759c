package org.vigil.collectors.netflow;

import java.time.Instant;

/**
 * Epoch milliseconds as ISO-8601 UTC text ({@code 2016-11-11T12:09:19.000Z}), written without
 * {@link java.time.format.DateTimeFormatter} because every flow record carries up to four times and
 * the JDK formatter dominated the decoder's profile. Years outside 0000..9999 fall back to {@link
 * Instant#toString()}.
 */
final class IsoTime {
  private static final long MAX_MILLIS = 253_402_300_799_999L; // 9999-12-31T23:59:59.999Z

  private IsoTime() {}

  static String format(long epochMillis) {
    if (epochMillis < -62_167_219_200_000L || epochMillis > MAX_MILLIS) {
      return Instant.ofEpochMilli(epochMillis).toString();
    }
    long days = Math.floorDiv(epochMillis, 86_400_000L);
    int msOfDay = (int) Math.floorMod(epochMillis, 86_400_000L);
    // Civil date from days since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date
    // Algorithms").
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    char[] c = new char[24];
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, month, 2);
    c[7] = '-';
    digits(c, 8, day, 2);
    c[10] = 'T';
    digits(c, 11, msOfDay / 3_600_000, 2);
    c[13] = ':';
    digits(c, 14, msOfDay / 60_000 % 60, 2);
    c[16] = ':';
    digits(c, 17, msOfDay / 1000 % 60, 2);
    c[19] = '.';
    digits(c, 20, msOfDay % 1000, 3);
    c[23] = 'Z';
    return new String(c);
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
