package org.vigil.collectors.syslog;

import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the syslog protocol of RFC 5424 §6.
 *
 * <pre>
 * SYSLOG-MSG      = HEADER SP STRUCTURED-DATA [SP MSG]
 * HEADER          = PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID
 * PRI             = "&lt;" PRIVAL "&gt;"           ; PRIVAL 0..191 = facility * 8 + severity
 * VERSION         = NONZERO-DIGIT 0*2DIGIT
 * TIMESTAMP       = NILVALUE / FULL-DATE "T" FULL-TIME      ; RFC 3339, offset required
 * HOSTNAME        = NILVALUE / 1*255PRINTUSASCII
 * APP-NAME        = NILVALUE / 1*48PRINTUSASCII
 * PROCID          = NILVALUE / 1*128PRINTUSASCII
 * MSGID           = NILVALUE / 1*32PRINTUSASCII
 * STRUCTURED-DATA = NILVALUE / 1*SD-ELEMENT
 * SD-ELEMENT      = "[" SD-ID *(SP SD-PARAM) "]"
 * SD-PARAM        = PARAM-NAME "=" %d34 PARAM-VALUE %d34
 * SD-ID, PARAM-NAME = 1*32 PRINTUSASCII except '=', SP, ']', %d34
 * MSG             = MSG-ANY / MSG-UTF8          ; MSG-UTF8 = BOM UTF-8-STRING
 * NILVALUE        = "-"
 * </pre>
 *
 * <p>Choices where implementations disagree, following the RFC:
 *
 * <ul>
 *   <li>PARAM-VALUE escapes (§6.3.3) are resolved: {@code \"}, {@code \\} and {@code \]} become the
 *       character; a backslash before any other character is kept as it is, as the RFC demands. An
 *       unescaped {@code ]} inside a quoted value is accepted as a character, since the quotes make
 *       it unambiguous.
 *   <li>A leading BOM (U+FEFF) marks the MSG as UTF-8 (§6.4) and is not part of the text, so it is
 *       removed.
 *   <li>VERSION 0 is rejected (NONZERO-DIGIT); header fields with a tab, a double space or more
 *       characters than the RFC allows are rejected.
 *   <li>An SD-ID that appears twice is rejected (§6.3.2: MUST NOT). A PARAM-NAME that appears twice
 *       in one element is allowed by the RFC (e.g. {@code origin ip}); its values are kept in
 *       order, joined by {@code ", "}, because the message model has one value per name.
 * </ul>
 *
 * <p>Deliberate leniencies, each seen from real senders: up to 9 fractional-second digits (instead
 * of 6), and spaces after {@code =} in an SD-PARAM (the RFC's own example 3 as copied from its
 * wrapped text, which rsyslog's tests send).
 */
public final class Rfc5424Parser {
  private static final char BOM = '\uFEFF';

  private final String s;
  private final int len;
  private int pos;

  private Rfc5424Parser(String s) {
    this.s = s;
    this.len = s.length();
  }

  /** Parses one RFC 5424 message; the PRI is required. */
  public static SyslogMessage parse(String text) throws SyslogParseException {
    return parse(text, true);
  }

  /**
   * @param requirePri false to accept a message that starts at VERSION, as some relays that strip
   *     the PRI send it; facility and severity are then -1
   */
  static SyslogMessage parse(String text, boolean requirePri) throws SyslogParseException {
    if (text == null || text.isEmpty()) {
      throw new SyslogParseException("empty message", -1);
    }
    return new Rfc5424Parser(text).message(requirePri);
  }

  private SyslogMessage message(boolean requirePri) throws SyslogParseException {
    int prival = -1;
    if (len > 0 && s.charAt(0) == '<') {
      prival = pri(s);
      if (prival < 0) {
        throw new SyslogParseException("PRI must be '<' 1 to 3 digits of 0..191 '>'", 0);
      }
      pos = s.indexOf('>') + 1;
    } else if (requirePri) {
      throw new SyslogParseException("missing PRI: an RFC 5424 message starts with '<'", 0);
    }
    int version = version();
    space("VERSION");
    SyslogTimestamps.Parsed time = null;
    if (nil()) {
      pos++;
    } else {
      time = SyslogTimestamps.rfc3339(s, pos, true, ZoneOffset.UTC);
      if (time == null) {
        throw new SyslogParseException(
            "TIMESTAMP must be '-' or RFC 3339 YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm)", pos);
      }
      pos = time.end();
    }
    space("TIMESTAMP");
    String hostname = field("HOSTNAME", 255);
    space("HOSTNAME");
    String appName = field("APP-NAME", 48);
    space("APP-NAME");
    String procId = field("PROCID", 128);
    space("PROCID");
    String msgId = field("MSGID", 32);
    space("MSGID");
    Map<String, Map<String, String>> sd = structuredData();
    String msg = "";
    if (pos < len) {
      if (s.charAt(pos) != ' ') {
        throw new SyslogParseException("expected SP between STRUCTURED-DATA and MSG", pos);
      }
      msg = stripBom(s.substring(pos + 1));
    }
    int facility = prival < 0 ? -1 : prival >> 3;
    int severity = prival < 0 ? -1 : prival & 7;
    boolean unsynced = "0".equals(sd.getOrDefault("timeQuality", Map.of()).get("isSynced"));
    return new SyslogMessage(
        SyslogFormat.RFC5424,
        facility,
        severity,
        version,
        time == null ? null : time.instant(),
        time == null ? null : time.offset(),
        time != null,
        hostname,
        appName,
        procId,
        msgId,
        sd,
        msg,
        null,
        -1,
        unsynced);
  }

  /**
   * The PRIVAL of a {@code <PRI>} at the start of {@code s}, or -1 when there is none or it is
   * malformed (not 1 to 3 digits, or above 191).
   */
  static int pri(String s) {
    if (s.isEmpty() || s.charAt(0) != '<') {
      return -1;
    }
    int v = 0;
    int i = 1;
    while (i < s.length() && i <= 4 && SyslogTimestamps.isDigit(s.charAt(i))) {
      v = v * 10 + (s.charAt(i) - '0');
      i++;
    }
    if (i == 1 || i > 4 || i >= s.length() || s.charAt(i) != '>' || v > 191) {
      return -1;
    }
    return v;
  }

  /** Removes a leading BOM, whether decoded as UTF-8 or, from a non-UTF-8 payload, as Latin-1. */
  static String stripBom(String msg) {
    if (!msg.isEmpty() && msg.charAt(0) == BOM) {
      return msg.substring(1);
    }
    if (msg.startsWith("\u00EF\u00BB\u00BF")) {
      return msg.substring(3);
    }
    return msg;
  }

  private int version() throws SyslogParseException {
    int start = pos;
    if (pos >= len || s.charAt(pos) < '1' || s.charAt(pos) > '9') {
      throw new SyslogParseException("VERSION must be 1 to 3 digits starting with 1..9", pos);
    }
    int v = 0;
    while (pos < len && SyslogTimestamps.isDigit(s.charAt(pos)) && pos - start < 3) {
      v = v * 10 + (s.charAt(pos++) - '0');
    }
    return v;
  }

  private boolean nil() {
    return pos < len && s.charAt(pos) == '-' && (pos + 1 == len || s.charAt(pos + 1) == ' ');
  }

  private void space(String after) throws SyslogParseException {
    if (pos >= len || s.charAt(pos) != ' ') {
      throw new SyslogParseException(
          pos >= len
              ? "message ends after " + after
              : "expected SP after " + after + ", found '" + printable(s.charAt(pos)) + "'",
          pos);
    }
    pos++;
  }

  private String field(String name, int max) throws SyslogParseException {
    int start = pos;
    while (pos < len && s.charAt(pos) != ' ') {
      char c = s.charAt(pos);
      if (c < 33 || c > 126) {
        throw new SyslogParseException(
            name + " may hold only printable US-ASCII, found '" + printable(c) + "'", pos);
      }
      pos++;
    }
    if (pos == start) {
      throw new SyslogParseException(
          pos >= len ? "message ends before " + name : name + " is empty (two spaces in a row)",
          pos);
    }
    if (pos - start > max) {
      throw new SyslogParseException(
          name + " is " + (pos - start) + " characters long, at most " + max + " are allowed",
          start);
    }
    return pos - start == 1 && s.charAt(start) == '-' ? null : s.substring(start, pos);
  }

  private Map<String, Map<String, String>> structuredData() throws SyslogParseException {
    if (pos >= len) {
      throw new SyslogParseException("message ends before STRUCTURED-DATA", pos);
    }
    if (s.charAt(pos) == '-') {
      pos++;
      return Map.of();
    }
    if (s.charAt(pos) != '[') {
      throw new SyslogParseException("STRUCTURED-DATA must be '-' or start with '['", pos);
    }
    Map<String, Map<String, String>> elements = new LinkedHashMap<>();
    while (pos < len && s.charAt(pos) == '[') {
      int elementStart = pos++;
      String id = sdName("SD-ID");
      Map<String, String> params = new LinkedHashMap<>();
      while (true) {
        if (pos >= len) {
          throw new SyslogParseException("SD-ELEMENT " + id + " is not closed with ']'", pos);
        }
        char c = s.charAt(pos);
        if (c == ']') {
          pos++;
          break;
        }
        if (c != ' ') {
          throw new SyslogParseException(
              "expected SP or ']' in SD-ELEMENT " + id + ", found '" + printable(c) + "'", pos);
        }
        pos++;
        String name = sdName("PARAM-NAME");
        if (pos >= len || s.charAt(pos) != '=') {
          throw new SyslogParseException("expected '=' after PARAM-NAME " + name, pos);
        }
        pos++;
        while (pos < len && s.charAt(pos) == ' ') {
          pos++;
        }
        String value = paramValue(name);
        params.merge(name, value, (a, b) -> a + ", " + b);
      }
      if (elements.containsKey(id)) {
        throw new SyslogParseException(
            "SD-ID " + id + " appears twice (RFC 5424 §6.3.2)", elementStart);
      }
      elements.put(id, Collections.unmodifiableMap(params));
    }
    return Collections.unmodifiableMap(elements);
  }

  private String sdName(String what) throws SyslogParseException {
    int start = pos;
    while (pos < len) {
      char c = s.charAt(pos);
      if (c == '=' || c == ' ' || c == ']' || c == '"') {
        break;
      }
      if (c < 33 || c > 126) {
        throw new SyslogParseException(
            what + " may hold only printable US-ASCII, found '" + printable(c) + "'", pos);
      }
      pos++;
    }
    if (pos == start) {
      throw new SyslogParseException(what + " is empty", pos);
    }
    if (pos - start > 32) {
      throw new SyslogParseException(what + " is longer than 32 characters", start);
    }
    return s.substring(start, pos);
  }

  private String paramValue(String name) throws SyslogParseException {
    if (pos >= len || s.charAt(pos) != '"') {
      throw new SyslogParseException("PARAM-VALUE of " + name + " must start with '\"'", pos);
    }
    int start = ++pos;
    StringBuilder value = null;
    int copiedUpTo = start;
    while (pos < len) {
      char c = s.charAt(pos);
      if (c == '"') {
        String result =
            value == null ? s.substring(start, pos) : value.append(s, copiedUpTo, pos).toString();
        pos++;
        return result;
      }
      if (c == '\\' && pos + 1 < len) {
        char next = s.charAt(pos + 1);
        if (next == '"' || next == '\\' || next == ']') {
          if (value == null) {
            value = new StringBuilder(pos - start + 16);
          }
          value.append(s, copiedUpTo, pos).append(next);
          pos += 2;
          copiedUpTo = pos;
          continue;
        }
      }
      pos++;
    }
    throw new SyslogParseException("PARAM-VALUE of " + name + " is not closed with '\"'", start);
  }

  private static String printable(char c) {
    return c < 32 || c == 127 ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }
}
