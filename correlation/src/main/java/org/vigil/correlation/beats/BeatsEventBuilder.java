package org.vigil.correlation.beats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import org.vigil.collectors.beats.BeatsEventId;
import org.vigil.correlation.parse.ParseResult;
import org.vigil.model.Documents;
import org.vigil.model.Envelope;
import org.vigil.model.Event;
import org.vigil.model.IsoInstant;

/**
 * Turns one Beats event (the JSON object a Filebeat or Winlogbeat sent) into a Vigil event. Beats
 * events are ECS already: their fields are kept as sent, flattened to dotted names, and Vigil adds
 * {@code event.ingested}, {@code observer.*} and, for Windows Security events, the ECS categories
 * its rules use ({@link WinlogSecurityEvents}).
 *
 * <p>The document id comes from the event, not from its Kafka position: a Beats client resends a
 * window it has no acknowledgement for, and the resent events must overwrite the first copies
 * rather than sit beside them. In order: the shipper's own {@code @metadata._id}; a file position
 * (agent, file, offset); a Windows record (agent, channel, record id); else a digest of the whole
 * event as sent.
 */
public final class BeatsEventBuilder {
  public static final String TAG_PARSE_FAILURE = "parse_failure";
  public static final String TAG_CLOCK_SKEW = "clock_skew";
  static final String DATASET_UNPARSED = "beats.unparsed";

  private final long maxClockSkewMillis;

  /**
   * @param maxClockSkewMillis a shipper time further than this from the receive time is kept in
   *     {@code event.created} and the receive time used instead
   */
  public BeatsEventBuilder(long maxClockSkewMillis) {
    this.maxClockSkewMillis = maxClockSkewMillis;
  }

  /**
   * @param json the event as the client sent it
   * @param envelope where and when it was received
   * @param positionId the id to give an event that cannot be parsed (its Kafka position)
   */
  public ParseResult build(byte[] json, Envelope envelope, String positionId) {
    Objects.requireNonNull(envelope, "envelope");
    Map<String, Object> fields;
    try {
      fields = Documents.parseFlatObject(json);
    } catch (IOException | RuntimeException e) {
      return unparsed(json, envelope, positionId, "not a JSON object: " + firstLine(e));
    }
    if (fields == null) {
      return unparsed(json, envelope, positionId, "not a JSON object: null");
    }
    String id = BeatsEventId.ofFields(fields, json);
    Object timestamp = fields.get("@timestamp");
    // What the shipper meant for itself, and its time, which becomes the event time below.
    fields.keySet().removeIf(key -> isUnder(key, "@metadata") || isUnder(key, "@timestamp"));
    Event event = new Event(id, envelope.receivedAtMillis());
    event.setFields(fields);
    time(event, timestamp, envelope.receivedAtMillis());
    if (event.get("event.kind") == null) {
      event.put("event.kind", "event");
    }
    if (event.get("event.dataset") == null) {
      event.put("event.dataset", dataset(event));
    }
    common(event, envelope);
    WinlogSecurityEvents.map(event);
    return new ParseResult(event, null);
  }

  private void time(Event event, Object timestamp, long receivedAt) {
    if (!(timestamp instanceof String text)) {
      return;
    }
    long millis;
    try {
      millis = IsoInstant.parseMillis(text);
    } catch (DateTimeParseException | ArithmeticException e) {
      // An instant whose milliseconds overflow a long (year 1,000,000) is as useless as bad text.
      event.put("error.message", "@timestamp is not an ISO-8601 instant: " + text);
      return;
    }
    if (Math.abs(millis - receivedAt) > maxClockSkewMillis) {
      event.put("event.created", Documents.isoTime(millis));
      event.addTo("tags", TAG_CLOCK_SKEW);
      return;
    }
    event.setTimestamp(millis);
  }

  /** Whether a dotted key is {@code name} or lies under it. */
  private static boolean isUnder(String key, String name) {
    return key.startsWith(name)
        && (key.length() == name.length() || key.charAt(name.length()) == '.');
  }

  /** {@code event.module}'s dataset when the shipper set none, else {@code beats.<agent type>}. */
  private static String dataset(Event event) {
    String type = event.text("agent.type");
    if (type == null || type.isBlank()) {
      return "beats.generic";
    }
    StringBuilder sb = new StringBuilder("beats.");
    for (int i = 0; i < Math.min(type.length(), 32); i++) {
      char c = Character.toLowerCase(type.charAt(i));
      sb.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_');
    }
    return sb.toString();
  }

  private static void common(Event event, Envelope envelope) {
    event.put("event.ingested", Documents.isoTime(envelope.receivedAtMillis()));
    event.put("observer.ip", envelope.peerAddress());
    event.put("observer.type", "beats");
    event.put("vigil.transport", envelope.transport().wireName());
    event.put("vigil.collector.id", envelope.collectorId());
  }

  private static ParseResult unparsed(
      byte[] json, Envelope envelope, String positionId, String reason) {
    Event event = new Event(positionId, envelope.receivedAtMillis());
    String text = new String(json, StandardCharsets.UTF_8);
    event.put("event.kind", "event");
    event.put("event.original", text);
    event.put("message", text);
    event.put("event.dataset", DATASET_UNPARSED);
    event.put("error.message", reason);
    event.addTo("tags", TAG_PARSE_FAILURE);
    common(event, envelope);
    return new ParseResult(event, reason);
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
