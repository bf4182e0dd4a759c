package org.vigil.correlation.parse;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.vigil.collectors.syslog.SyslogFormat;
import org.vigil.collectors.syslog.SyslogMessage;
import org.vigil.collectors.syslog.SyslogParseException;
import org.vigil.collectors.syslog.SyslogParser;
import org.vigil.correlation.normalise.Normalisation;
import org.vigil.correlation.normalise.NormaliserSet;
import org.vigil.model.Documents;
import org.vigil.model.Envelope;
import org.vigil.model.Event;

/**
 * Turns one raw syslog record into an ECS {@link Event}: parse ({@link SyslogParser}), map the
 * syslog header to {@code log.syslog.*}, {@code host.*}, {@code process.*}, then add the fields of
 * the first matching normaliser. Pure and reusable: build one per task, call it for every record.
 *
 * <p>Event time is the device's time, unless the device sent none or its clock is further than
 * {@code maxClockSkew} from the receive time: then it is the receive time, so that one device with
 * a wrong clock cannot stall or skip the event-time windows of all others. The device's time is
 * then kept in {@code event.created} and the event is tagged {@code clock_skew}.
 *
 * <p>A message without PRI gets the PRI 13 (user.notice) a relay must assume (RFC 3164 §4.3.3).
 */
public final class SyslogEventBuilder implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String TAG_PARSE_FAILURE = "parse_failure";

  /** Parsed, but a normaliser failed on it; the syslog fields are still there. */
  public static final String TAG_NORMALISE_FAILURE = "normalise_failure";

  public static final String TAG_CLOCK_SKEW = "clock_skew";
  public static final String TAG_CLOCK_UNSYNCED = "clock_unsynced";
  public static final String DATASET_UNPARSED = "syslog.unparsed";
  public static final String DATASET_GENERIC = "syslog.generic";

  private static final String[] FACILITIES = {
    "kern",
    "user",
    "mail",
    "daemon",
    "auth",
    "syslog",
    "lpr",
    "news",
    "uucp",
    "cron",
    "authpriv",
    "ftp",
    "ntp",
    "security",
    "console",
    "solaris-cron",
    "local0",
    "local1",
    "local2",
    "local3",
    "local4",
    "local5",
    "local6",
    "local7"
  };
  private static final String[] SEVERITIES = {
    "Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"
  };

  private final NormaliserSet normalisers;
  private final SourceZones sourceZones;
  private final Duration maxClockSkew;

  /**
   * @param normalisers the normalisers to apply after parsing
   * @param defaultZone the zone of device times that carry none (RFC 3164), for every sender
   * @param maxClockSkew how far a device's time may be from the receive time and still be used
   */
  public SyslogEventBuilder(NormaliserSet normalisers, ZoneId defaultZone, Duration maxClockSkew) {
    this(normalisers, SourceZones.none(defaultZone), maxClockSkew);
  }

  /**
   * @param normalisers the normalisers to apply after parsing
   * @param sourceZones the zone of device times that carry none (RFC 3164), by sender network
   * @param maxClockSkew how far a device's time may be from the receive time and still be used
   */
  public SyslogEventBuilder(
      NormaliserSet normalisers, SourceZones sourceZones, Duration maxClockSkew) {
    this.normalisers = Objects.requireNonNull(normalisers, "normalisers");
    this.sourceZones = Objects.requireNonNull(sourceZones, "sourceZones");
    this.maxClockSkew = Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    if (maxClockSkew.isNegative()) {
      throw new IllegalArgumentException("maxClockSkew must not be negative: " + maxClockSkew);
    }
  }

  /**
   * Builds the event of one record. Never throws for any payload.
   *
   * @param payload the record's bytes as the collector read them
   * @param envelope what the collector knew about them
   * @param eventId the deterministic document id
   */
  public ParseResult build(byte[] payload, Envelope envelope, String eventId) {
    long receivedAt = envelope.receivedAtMillis();
    String raw = payload == null ? "" : SyslogParser.decode(payload);
    ZoneId zone = sourceZones.zoneFor(envelope.peerAddress());
    SyslogMessage msg;
    try {
      msg = SyslogParser.parse(raw, zone, Instant.ofEpochMilli(receivedAt));
    } catch (SyslogParseException e) {
      return unparsed(raw, envelope, eventId, e.getMessage());
    }
    try {
      return new ParseResult(event(msg, raw, envelope, eventId, zone), null);
    } catch (RuntimeException | StackOverflowError e) {
      // A normaliser regex that overflows the stack on a pathological message must not stop the
      // job; the record is kept as unparsed with the reason.
      return unparsed(raw, envelope, eventId, "cannot build event: " + e);
    }
  }

  private Event event(
      SyslogMessage msg, String raw, Envelope envelope, String eventId, ZoneId zone) {
    long receivedAt = envelope.receivedAtMillis();
    Event event = new Event(eventId, receivedAt);
    common(event, raw, envelope);
    event.put("message", msg.message());

    Instant device = msg.timestamp();
    if (device != null) {
      long deviceMillis = device.toEpochMilli();
      if (Math.abs(deviceMillis - receivedAt) > maxClockSkew.toMillis()) {
        event.put("event.created", Documents.isoTime(deviceMillis));
        event.addTo("tags", TAG_CLOCK_SKEW);
      } else {
        event.setTimestamp(deviceMillis);
      }
      if (!msg.timestampHadZone()) {
        event.put("event.timezone", zone.getId());
      }
      if (msg.timestampUnsynced()) {
        event.addTo("tags", TAG_CLOCK_UNSYNCED);
      }
    }

    int priority = msg.effectivePriority();
    event.put("log.syslog.priority", (long) priority);
    event.put("log.syslog.facility.code", (long) (priority >> 3));
    event.put("log.syslog.facility.name", FACILITIES[priority >> 3]);
    event.put("log.syslog.severity.code", (long) (priority & 7));
    event.put("log.syslog.severity.name", SEVERITIES[priority & 7]);
    event.put("log.syslog.hostname", msg.hostname());
    event.put("log.syslog.appname", msg.appName());
    event.put("log.syslog.procid", msg.procId());
    event.put("log.syslog.msgid", msg.msgId());
    if (msg.format() == SyslogFormat.RFC5424) {
      event.put("log.syslog.version", Integer.toString(msg.version()));
    }
    if (!msg.structuredData().isEmpty()) {
      event.put("log.syslog.structured_data", mutable(msg.structuredData()));
    }
    event.put("host.name", msg.hostname() != null ? msg.hostname() : envelope.peerAddress());
    event.put("process.name", msg.appName());
    event.put("process.pid", pid(msg.procId()));
    event.put("event.dataset", dataset(msg.appName()));

    Optional<Normalisation> normalised;
    try {
      normalised = normalisers.normalise(msg.appName(), msg.message());
    } catch (StackOverflowError e) {
      // Java's regex engine recurses per repetition of some groups; an admin's pattern meeting
      // a very long line must cost that line its normalisation, not the job its life.
      event.put("error.message", "a normaliser pattern overflowed the stack on this message");
      event.addTo("tags", TAG_NORMALISE_FAILURE);
      return event;
    }
    normalised.ifPresent(n -> n.fields().forEach((k, v) -> event.put(k, mutable(v))));
    return event;
  }

  private ParseResult unparsed(String raw, Envelope envelope, String eventId, String reason) {
    Event event = new Event(eventId, envelope.receivedAtMillis());
    common(event, raw, envelope);
    event.put("message", raw);
    event.put("host.name", envelope.peerAddress());
    event.put("event.dataset", DATASET_UNPARSED);
    event.put("error.message", reason);
    event.addTo("tags", TAG_PARSE_FAILURE);
    return new ParseResult(event, reason);
  }

  private static void common(Event event, String raw, Envelope envelope) {
    event.put("event.kind", "event");
    event.put("event.ingested", Documents.isoTime(envelope.receivedAtMillis()));
    event.put("event.original", raw);
    event.put("observer.ip", envelope.peerAddress());
    event.put("vigil.transport", envelope.transport().wireName());
    event.put("vigil.collector.id", envelope.collectorId());
  }

  /** {@code syslog.<program>}, reduced to characters safe in a dataset name. */
  static String dataset(String appName) {
    if (appName == null || appName.isEmpty()) {
      return DATASET_GENERIC;
    }
    StringBuilder sb = new StringBuilder("syslog.");
    int n = Math.min(appName.length(), 64);
    for (int i = 0; i < n; i++) {
      char c = Character.toLowerCase(appName.charAt(i));
      boolean safe = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      sb.append(safe ? c : '_');
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  private static Long pid(String procId) {
    if (procId == null || procId.isEmpty() || procId.length() > 18) {
      return null;
    }
    for (int i = 0; i < procId.length(); i++) {
      if (procId.charAt(i) < '0' || procId.charAt(i) > '9') {
        return null;
      }
    }
    return Long.parseLong(procId);
  }

  /**
   * A copy made of plain {@link ArrayList}s and {@link LinkedHashMap}s: events travel through
   * Flink's Kryo serialiser, which cannot rebuild immutable JDK collections.
   */
  private static Object mutable(Object value) {
    if (value instanceof Collection<?> c) {
      List<Object> list = new ArrayList<>(c.size());
      c.forEach(v -> list.add(mutable(v)));
      return list;
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> map = new LinkedHashMap<>();
      m.forEach((k, v) -> map.put(String.valueOf(k), mutable(v)));
      return map;
    }
    return value;
  }
}
