package org.vigil.collectors.syslog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;

/**
 * One parsed syslog message, RFC 5424 or RFC 3164. Fields the sender did not send (or sent as the
 * RFC 5424 NILVALUE {@code -}) are null, or -1 for numbers.
 *
 * @param format the format the message was parsed as
 * @param facility 0..23, or -1 when the message had no PRI
 * @param severity 0..7, or -1 when the message had no PRI
 * @param version the RFC 5424 VERSION, or -1 for RFC 3164
 * @param timestamp the device's time with its full fractional seconds, or null when absent
 * @param timestampOffset the UTC offset the device's time was written in, or that of the zone it
 *     was assumed to be in ({@link #timestampHadZone} false); null when there is no timestamp
 * @param timestampHadZone true when the message itself said which zone its time is in; false when
 *     the receiver's configured zone was assumed (RFC 3164 times carry no zone)
 * @param hostname HOSTNAME, or null
 * @param appName APP-NAME, or for RFC 3164 the program part of the TAG ({@code sshd} of {@code
 *     sshd[123]:}), or null
 * @param procId PROCID, or for RFC 3164 the bracketed part of the TAG, or null
 * @param msgId MSGID (RFC 5424 only), or null
 * @param structuredData SD-ID to its parameters, in message order, escapes resolved; empty when
 *     none
 * @param message MSG with a leading byte-order mark removed; empty when there is none
 * @param tag the RFC 3164 TAG as sent, including a trailing colon ({@code sshd[123]:}), or null
 * @param sequenceNumber the sequence number Cisco IOS puts before the time ({@code 123: *Mar 1
 *     ...}), or -1
 * @param timestampUnsynced true when the sender marked its clock as not synchronised (Cisco's
 *     leading {@code *} or {@code .}), or sent RFC 5424 {@code timeQuality isSynced="0"}
 */
public record SyslogMessage(
    SyslogFormat format,
    int facility,
    int severity,
    int version,
    Instant timestamp,
    ZoneOffset timestampOffset,
    boolean timestampHadZone,
    String hostname,
    String appName,
    String procId,
    String msgId,
    Map<String, Map<String, String>> structuredData,
    String message,
    String tag,
    long sequenceNumber,
    boolean timestampUnsynced) {

  /**
   * The PRI RFC 3164 §4.3.3 tells a relay to assume when a message has none: user-level notice
   * (facility 1, severity 5).
   */
  public static final int DEFAULT_PRIORITY = 13;

  public SyslogMessage {
    Objects.requireNonNull(format, "format");
    structuredData = structuredData == null ? Map.of() : structuredData;
    message = message == null ? "" : message;
  }

  /** True when the message began with a valid {@code <PRI>}. */
  public boolean hasPri() {
    return facility >= 0;
  }

  /** {@code facility * 8 + severity}, or -1 when the message had no PRI. */
  public int priority() {
    return hasPri() ? facility * 8 + severity : -1;
  }

  /** The priority, or {@link #DEFAULT_PRIORITY} as RFC 3164 §4.3.3 prescribes when absent. */
  public int effectivePriority() {
    return hasPri() ? priority() : DEFAULT_PRIORITY;
  }
}
