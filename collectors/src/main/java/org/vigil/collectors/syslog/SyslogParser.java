package org.vigil.collectors.syslog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Parses one syslog message of either format, telling them apart the way rsyslog and syslog-ng do:
 * a PRI followed by a VERSION digit and a space is RFC 5424 (parsed strictly, so a broken RFC 5424
 * message is reported, not misread as BSD syslog); so is a message that starts with {@code VERSION
 * SP} and an RFC 3339 time or {@code -} after a relay stripped its PRI; anything else is RFC 3164
 * (parsed leniently).
 *
 * <p>Bytes are decoded as UTF-8; a payload that is not valid UTF-8 is decoded as ISO-8859-1, which
 * is what legacy devices sending 8-bit text mean far more often than not. Trailing line feeds,
 * carriage returns and NULs (added by many UDP senders) are not part of the message.
 */
public final class SyslogParser {
  private SyslogParser() {}

  /**
   * @param payload one framed message
   * @param zoneForTimestampsWithoutZone the zone RFC 3164 timestamps are read in
   * @param receivedAt when the message was received, to give a year-less timestamp its year
   * @throws SyslogParseException with the reason, and for nothing else
   */
  public static SyslogMessage parse(
      byte[] payload, ZoneId zoneForTimestampsWithoutZone, Instant receivedAt)
      throws SyslogParseException {
    if (payload == null || payload.length == 0) {
      throw new SyslogParseException("empty message", -1);
    }
    return parse(decode(payload), zoneForTimestampsWithoutZone, receivedAt);
  }

  /** As {@link #parse(byte[], ZoneId, Instant)}, for text already decoded. */
  public static SyslogMessage parse(
      String text, ZoneId zoneForTimestampsWithoutZone, Instant receivedAt)
      throws SyslogParseException {
    Objects.requireNonNull(zoneForTimestampsWithoutZone, "zoneForTimestampsWithoutZone");
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (text == null) {
      throw new SyslogParseException("empty message", -1);
    }
    String trimmed = trimTrailing(text);
    if (trimmed.isBlank()) {
      throw new SyslogParseException("empty message", -1);
    }
    try {
      return switch (detect(trimmed)) {
        case 1 -> Rfc5424Parser.parse(trimmed, true);
        case 2 -> Rfc5424Parser.parse(trimmed, false);
        default -> Rfc3164Parser.parse(trimmed, zoneForTimestampsWithoutZone, receivedAt);
      };
    } catch (RuntimeException e) {
      // The parsers are written not to throw anything else; this keeps the contract if one does.
      throw new SyslogParseException("parser failure: " + e, -1);
    }
  }

  /** The format {@code text} is in. */
  public static SyslogFormat detectFormat(String text) {
    return detect(text) == 0 ? SyslogFormat.RFC3164 : SyslogFormat.RFC5424;
  }

  /** 1: RFC 5424; 2: RFC 5424 without PRI; 0: RFC 3164. */
  private static int detect(String s) {
    int prival = Rfc5424Parser.pri(s);
    if (prival >= 0) {
      int p = s.indexOf('>') + 1;
      return versionThenSpace(s, p) > 0 ? 1 : 0;
    }
    if (s.startsWith("<")) {
      return 0;
    }
    int p = versionThenSpace(s, 0);
    if (p > 0
        && ((p + 1 < s.length() && s.charAt(p) == '-' && s.charAt(p + 1) == ' ')
            || SyslogTimestamps.rfc3339(s, p, true, java.time.ZoneOffset.UTC) != null)) {
      return 2;
    }
    return 0;
  }

  /** The offset after {@code VERSION SP} at {@code p}, or -1. */
  private static int versionThenSpace(String s, int p) {
    if (p >= s.length() || s.charAt(p) < '1' || s.charAt(p) > '9') {
      return -1;
    }
    int q = p + 1;
    while (q < s.length() && SyslogTimestamps.isDigit(s.charAt(q)) && q - p < 3) {
      q++;
    }
    return q < s.length() && s.charAt(q) == ' ' ? q + 1 : -1;
  }

  /**
   * Decodes a payload as {@link #parse(byte[], ZoneId, Instant)} does: UTF-8, or ISO-8859-1 when it
   * is not valid UTF-8. Never fails.
   */
  public static String decode(byte[] payload) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(payload, StandardCharsets.ISO_8859_1);
    }
  }

  private static String trimTrailing(String s) {
    int end = s.length();
    while (end > 0) {
      char c = s.charAt(end - 1);
      if (c != '\n' && c != '\r' && c != '\0') {
        break;
      }
      end--;
    }
    return end == s.length() ? s : s.substring(0, end);
  }
}
