package org.vigil.collectors.syslog;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/**
 * Parses BSD syslog as RFC 3164 §4.1 describes it and as real devices send it:
 *
 * <pre>
 * [&lt;PRI&gt;] [SEQ ": "] [*|.] [TIMESTAMP] [HOSTNAME SP] [TAG[":"]] [SP] CONTENT
 * TIMESTAMP = Mmm dd [yyyy] hh:mm:ss[.frac] [ZONE:] [":"]  /  RFC 3339
 * TAG       = PROGRAM ["[" PID "]"]
 * </pre>
 *
 * <p>Every part is optional, so this parser accepts almost any text; how each part is recognised
 * follows rsyslog's long-proven heuristics, checked against its test suite:
 *
 * <ul>
 *   <li>No PRI, or an unidentifiable one: RFC 3164 §4.3.3 tells a relay to assume PRI 13; here
 *       facility and severity are -1 ({@link SyslogMessage#effectivePriority()} gives 13) and the
 *       rest of the text is parsed as if the PRI were absent.
 *   <li>A year-less timestamp gets the year that puts it nearest the receive time; a timestamp
 *       without a zone is read in the configured zone ({@code timestampHadZone} false).
 *   <li>Cisco IOS: a sequence number ({@code 000123: }) before the time, {@code *} (clock not set)
 *       or {@code .} (clock not synchronised) before the time, milliseconds, a zone name and a
 *       colon after it.
 *   <li>HOSTNAME is a run of letters, digits, {@code . _ - :} that ends with a letter or digit and
 *       is followed by a space or the end of the text. Anything else (such as {@code sshd[12]:} or
 *       {@code su:}) means the sender left the host out, as local daemons and many devices do.
 *   <li>TAG runs up to a colon (kept in {@link SyslogMessage#tag()}) or a space; the program name
 *       is the TAG before {@code [}, the PID what the brackets hold. One space after the TAG is not
 *       part of the content.
 * </ul>
 */
public final class Rfc3164Parser {
  private final String s;
  private final int len;
  private int pos;

  private Rfc3164Parser(String s) {
    this.s = s;
    this.len = s.length();
  }

  /**
   * @param zone the zone of timestamps that do not name one
   * @param receivedAt when the message was received, to choose the year of a year-less timestamp
   * @throws SyslogParseException when the text is empty or its timestamp names a day that does not
   *     exist
   */
  public static SyslogMessage parse(String text, ZoneId zone, Instant receivedAt)
      throws SyslogParseException {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (text == null || text.isBlank()) {
      throw new SyslogParseException("empty message", -1);
    }
    return new Rfc3164Parser(text).message(zone, receivedAt);
  }

  private SyslogMessage message(ZoneId zone, Instant receivedAt) throws SyslogParseException {
    int prival = Rfc5424Parser.pri(s);
    if (prival >= 0) {
      pos = s.indexOf('>') + 1;
    }
    skipSpaces();
    long sequence = sequence();
    boolean unsynced = false;
    int beforeMark = pos;
    if (pos + 1 < len && (s.charAt(pos) == '*' || s.charAt(pos) == '.')) {
      unsynced = true;
      pos++;
    }
    SyslogTimestamps.Parsed time = SyslogTimestamps.bsd(s, pos, zone, receivedAt);
    if (time == null && SyslogTimestamps.digits(s, pos, 4) >= 0) {
      time = SyslogTimestamps.rfc3339(s, pos, false, zone);
      if (time != null && time.end() < len && s.charAt(time.end()) != ' ') {
        time = null;
      }
    }
    if (time != null) {
      pos = time.end();
      skipSpaces();
    } else {
      pos = beforeMark;
      unsynced = false;
    }
    String hostname = hostname();
    String tag = null;
    String appName = null;
    String procId = null;
    int tagStart = pos;
    while (pos < len && s.charAt(pos) != ':' && s.charAt(pos) != ' ') {
      pos++;
    }
    int programEnd = pos;
    if (pos < len && s.charAt(pos) == ':') {
      pos++;
    }
    if (pos > tagStart) {
      tag = s.substring(tagStart, pos);
      int bracket = s.indexOf('[', tagStart);
      if (bracket > tagStart && bracket < programEnd) {
        appName = s.substring(tagStart, bracket);
        int close = s.indexOf(']', bracket);
        if (close > bracket + 1 && close < programEnd) {
          procId = s.substring(bracket + 1, close);
        }
      } else if (programEnd > tagStart) {
        appName = s.substring(tagStart, programEnd);
      }
    }
    if (pos < len && s.charAt(pos) == ' ') {
      pos++;
    }
    String content = pos < len ? s.substring(pos) : "";
    return new SyslogMessage(
        SyslogFormat.RFC3164,
        prival < 0 ? -1 : prival >> 3,
        prival < 0 ? -1 : prival & 7,
        -1,
        time == null ? null : time.instant(),
        time == null ? null : time.offset(),
        time != null && time.hadZone(),
        hostname,
        appName,
        procId,
        null,
        Map.of(),
        content,
        tag,
        sequence,
        unsynced);
  }

  /** A Cisco sequence number: digits, a colon and a space. */
  private long sequence() {
    int p = pos;
    while (p < len && SyslogTimestamps.isDigit(s.charAt(p)) && p - pos < 18) {
      p++;
    }
    if (p > pos && p + 1 < len && s.charAt(p) == ':' && s.charAt(p + 1) == ' ') {
      long v = Long.parseLong(s, pos, p, 10);
      pos = p + 2;
      skipSpaces();
      return v;
    }
    return -1;
  }

  private String hostname() {
    int p = pos;
    while (p < len && isHostChar(s.charAt(p))) {
      p++;
    }
    if (p == pos || !Character.isLetterOrDigit(s.charAt(p - 1))) {
      return null;
    }
    if (p == len) {
      String host = s.substring(pos, p);
      pos = p;
      return host;
    }
    if (s.charAt(p) == ' ') {
      String host = s.substring(pos, p);
      pos = p + 1;
      return host;
    }
    return null;
  }

  private static boolean isHostChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '-'
        || c == '_'
        || c == ':';
  }

  private void skipSpaces() {
    while (pos < len && s.charAt(pos) == ' ') {
      pos++;
    }
  }
}
