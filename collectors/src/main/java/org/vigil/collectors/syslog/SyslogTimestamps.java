package org.vigil.collectors.syslog;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** Reads the two timestamp layouts syslog senders use, straight from the text without regex. */
final class SyslogTimestamps {
  private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

  private SyslogTimestamps() {}

  /**
   * A timestamp read from {@code text}, ending before offset {@code end}.
   *
   * @param instant the point in time
   * @param offset the offset it was written in (or the assumed zone's offset at that time)
   * @param hadZone whether the text carried the zone
   * @param end the offset just past the timestamp
   */
  record Parsed(Instant instant, ZoneOffset offset, boolean hadZone, int end) {}

  /**
   * RFC 3339 as profiled by RFC 5424 §6.2.3: {@code YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm)}.
   *
   * <p>Strict mode is the RFC: upper-case {@code T} and {@code Z}, a mandatory offset, no leap
   * second (§6.2.3.1 item 6). One deliberate leniency in both modes: up to 9 fractional digits
   * instead of 6, because Go and Java senders write nanoseconds and nothing is ambiguous about
   * them. Lenient mode (timestamps found in RFC 3164 messages) also accepts lower-case letters, an
   * offset without colon, and no offset at all, in which case {@code zone} is assumed.
   *
   * @return the timestamp, or null when the text at {@code start} is not one
   */
  static Parsed rfc3339(String s, int start, boolean strict, ZoneId zone) {
    int len = s.length();
    int p = start;
    if (p + 19 > len) {
      return null;
    }
    int year = digits(s, p, 4);
    int month = s.charAt(p + 4) == '-' ? digits(s, p + 5, 2) : -1;
    int day = s.charAt(p + 7) == '-' ? digits(s, p + 8, 2) : -1;
    char t = s.charAt(p + 10);
    boolean tOk = t == 'T' || (!strict && t == 't');
    int hour = digits(s, p + 11, 2);
    int minute = s.charAt(p + 13) == ':' ? digits(s, p + 14, 2) : -1;
    int second = s.charAt(p + 16) == ':' ? digits(s, p + 17, 2) : -1;
    if (year < 0 || month < 0 || day < 0 || !tOk || hour < 0 || minute < 0 || second < 0) {
      return null;
    }
    p += 19;
    int nanos = 0;
    if (p < len && s.charAt(p) == '.') {
      int fracStart = ++p;
      while (p < len && isDigit(s.charAt(p)) && p - fracStart < 9) {
        nanos = nanos * 10 + (s.charAt(p) - '0');
        p++;
      }
      int digitCount = p - fracStart;
      if (digitCount == 0 || (p < len && isDigit(s.charAt(p)))) {
        return null;
      }
      for (int i = digitCount; i < 9; i++) {
        nanos *= 10;
      }
    }
    LocalDateTime local;
    try {
      local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
    } catch (DateTimeException e) {
      return null;
    }
    ZoneOffset offset = null;
    if (p < len && (s.charAt(p) == 'Z' || (!strict && s.charAt(p) == 'z'))) {
      offset = ZoneOffset.UTC;
      p++;
    } else if (p < len && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
      int sign = s.charAt(p) == '-' ? -1 : 1;
      int oh = digits(s, p + 1, 2);
      int om;
      int end;
      if (p + 3 < len && s.charAt(p + 3) == ':') {
        om = digits(s, p + 4, 2);
        end = p + 6;
      } else if (!strict) {
        om = digits(s, p + 3, 2);
        end = p + 5;
      } else {
        return null;
      }
      if (oh < 0 || om < 0 || oh > 23 || om > 59) {
        return null;
      }
      try {
        offset = ZoneOffset.ofHoursMinutes(sign * oh, sign * om);
      } catch (DateTimeException e) {
        return null;
      }
      p = end;
    } else if (strict) {
      return null;
    }
    if (offset != null) {
      return new Parsed(local.toInstant(offset), offset, true, p);
    }
    ZonedDateTime zoned = local.atZone(zone);
    return new Parsed(zoned.toInstant(), zoned.getOffset(), false, p);
  }

  /**
   * The BSD layout of RFC 3164 §4.1.2 as devices really send it: {@code Mmm dd hh:mm:ss}, with the
   * month in any case, the day padded with a space or not, and these additions seen in the wild: a
   * year before the time ({@code Mar 7 2008 19:06:53}, Cisco {@code service timestamps ... year}),
   * fractional seconds ({@code 00:01:02.345}), a zone name followed by a colon ({@code UTC:},
   * Cisco) and a trailing colon after the time (Cisco). Only {@code UTC}, {@code GMT}, {@code UT}
   * and names {@link ZoneId#of} knows (such as {@code CET}, {@code EST}) count as a zone; other
   * names are skipped and {@code zone} is assumed. A year after the time ({@code Aug 10 22:18:24
   * 2009 host}) is not read as a year: rsyslog reads it as the host name, and a numeric host name
   * is legal.
   *
   * <p>Without a year, the year is the one that puts the time nearest to {@code receivedAt}: a
   * message sent on 31 December and received on 1 January keeps its year, and one from a device
   * whose clock is a few days ahead is not pushed back a year.
   *
   * @return the timestamp, or null when the text at {@code start} is not one
   * @throws SyslogParseException when it is one but names a day that does not exist
   */
  static Parsed bsd(String s, int start, ZoneId zone, Instant receivedAt)
      throws SyslogParseException {
    int len = s.length();
    int p = start;
    if (p + 14 > len) {
      return null;
    }
    int month = month(s, p);
    if (month < 0 || s.charAt(p + 3) != ' ') {
      return null;
    }
    p += 4;
    if (s.charAt(p) == ' ') {
      p++;
    }
    int day = 0;
    int dayStart = p;
    while (p < len && isDigit(s.charAt(p)) && p - dayStart < 2) {
      day = day * 10 + (s.charAt(p++) - '0');
    }
    if (p == dayStart || p >= len || s.charAt(p) != ' ') {
      return null;
    }
    p++;
    int year = -1;
    if (p + 5 <= len && s.charAt(p + 4) == ' ' && digits(s, p, 4) >= 0) {
      year = digits(s, p, 4);
      p += 5;
    }
    if (p + 8 > len) {
      return null;
    }
    int hour = digits(s, p, 2);
    int minute = s.charAt(p + 2) == ':' ? digits(s, p + 3, 2) : -1;
    int second = s.charAt(p + 5) == ':' ? digits(s, p + 6, 2) : -1;
    if (hour < 0 || minute < 0 || second < 0 || hour > 23 || minute > 59 || second > 60) {
      return null;
    }
    p += 8;
    int nanos = 0;
    if (p + 1 < len && s.charAt(p) == '.' && isDigit(s.charAt(p + 1))) {
      int fracStart = ++p;
      while (p < len && isDigit(s.charAt(p))) {
        if (p - fracStart < 9) {
          nanos = nanos * 10 + (s.charAt(p) - '0');
        }
        p++;
      }
      for (int i = Math.min(p - fracStart, 9); i < 9; i++) {
        nanos *= 10;
      }
    }
    // A leap second (":60") cannot be represented; it is folded into the second before.
    if (second == 60) {
      second = 59;
      nanos = 999_999_999;
    }
    ZoneId effectiveZone = zone;
    boolean hadZone = false;
    int zoneEnd = zoneName(s, p);
    if (zoneEnd > 0) {
      String name = s.substring(p + 1, zoneEnd);
      ZoneId named = namedZone(name);
      boolean cisco = zoneEnd < len && s.charAt(zoneEnd) == ':';
      if (named != null && (cisco || name.equals("UTC") || name.equals("GMT"))) {
        effectiveZone = named;
        hadZone = true;
        p = zoneEnd;
      } else if (cisco) {
        p = zoneEnd;
      }
    }
    if (p < len && s.charAt(p) == ':') {
      p++;
    }
    if (p < len && s.charAt(p) != ' ') {
      return null;
    }
    ZonedDateTime when =
        year >= 0
            ? at(year, month, day, hour, minute, second, nanos, effectiveZone)
            : nearest(month, day, hour, minute, second, nanos, effectiveZone, receivedAt);
    if (when == null) {
      throw new SyslogParseException(
          "timestamp names a day that does not exist: "
              + s.substring(start, Math.min(len, start + 6))
              + (year >= 0 ? " " + year : " near the receive time"),
          start);
    }
    return new Parsed(when.toInstant(), when.getOffset(), hadZone, p);
  }

  private static ZonedDateTime nearest(
      int month, int day, int hour, int minute, int second, int nanos, ZoneId zone, Instant ref) {
    int refYear = ref.atZone(zone).getYear();
    ZonedDateTime best = null;
    long bestDistance = Long.MAX_VALUE;
    for (int y = refYear - 1; y <= refYear + 1; y++) {
      ZonedDateTime candidate = at(y, month, day, hour, minute, second, nanos, zone);
      if (candidate != null) {
        long distance = Math.abs(candidate.toEpochSecond() - ref.getEpochSecond());
        if (distance < bestDistance) {
          best = candidate;
          bestDistance = distance;
        }
      }
    }
    return best;
  }

  private static ZonedDateTime at(
      int year, int month, int day, int hour, int minute, int second, int nanos, ZoneId zone) {
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nanos).atZone(zone);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The end of a " NAME" of 2 to 5 upper-case letters at {@code p}, or -1. */
  private static int zoneName(String s, int p) {
    if (p >= s.length() || s.charAt(p) != ' ') {
      return -1;
    }
    int q = p + 1;
    while (q < s.length() && s.charAt(q) >= 'A' && s.charAt(q) <= 'Z' && q - p <= 5) {
      q++;
    }
    int n = q - p - 1;
    boolean ends = q == s.length() || s.charAt(q) == ' ' || s.charAt(q) == ':';
    return n >= 2 && n <= 5 && ends ? q : -1;
  }

  private static ZoneId namedZone(String name) {
    if (name.equals("UTC") || name.equals("GMT") || name.equals("UT")) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** 1..12 for a three-letter English month name in any case at {@code p}, else -1. */
  static int month(String s, int p) {
    if (p + 3 > s.length()) {
      return -1;
    }
    char a = Character.toLowerCase(s.charAt(p));
    char b = Character.toLowerCase(s.charAt(p + 1));
    char c = Character.toLowerCase(s.charAt(p + 2));
    for (int i = 0; i < 12; i++) {
      if (MONTHS.charAt(3 * i) == a
          && MONTHS.charAt(3 * i + 1) == b
          && MONTHS.charAt(3 * i + 2) == c) {
        return i + 1;
      }
    }
    return -1;
  }

  /** The value of exactly {@code n} ASCII digits at {@code p}, or -1. */
  static int digits(String s, int p, int n) {
    if (p < 0 || p + n > s.length()) {
      return -1;
    }
    int v = 0;
    for (int i = p; i < p + n; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
