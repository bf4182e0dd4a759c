package org.vigil.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A normalised event: ECS fields under dotted names, its deterministic document id and its event
 * time. This is the fact type rules see, so the common ECS fields have getters that DRL can use as
 * properties ({@code Event(category == "authentication", sourceIp != null)}); any other field is
 * reachable with {@link #get(String)}.
 *
 * <p>A plain mutable class with a no-argument constructor so that Flink serialises it as a POJO.
 */
public final class Event implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The deterministic Elasticsearch {@code _id}. */
  private String id;

  /** Event time ({@code @timestamp}) in epoch milliseconds. */
  private long timestamp;

  /**
   * The fields behind the getters that DRL uses as properties ({@code sourceIp}, {@code outcome}):
   * a rule reads them without naming them. Keep in step with the getters.
   */
  public static final Set<String> PROPERTY_FIELDS =
      Set.of(
          "event.category",
          "event.outcome",
          "event.action",
          "event.dataset",
          "source.ip",
          "destination.ip",
          "source.port",
          "destination.port",
          "user.name",
          "host.name",
          "organization.id");

  /** ECS fields under dotted names; {@code @timestamp} is not among them. */
  private Map<String, Object> fields = new LinkedHashMap<>();

  /**
   * Made by {@link #frozenCopy}: its fields refuse changes instead of thawing (see {@link #put}).
   */
  private boolean frozen;

  public Event() {}

  public Event(String id, long timestamp) {
    this.id = id;
    this.timestamp = timestamp;
  }

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public long getTimestamp() {
    return timestamp;
  }

  public void setTimestamp(long timestamp) {
    this.timestamp = timestamp;
  }

  /**
   * The fields, which may be {@link FrozenFields} (an event read from Flink's network or held by a
   * rule) and then refuse changes: change fields with {@link #put} and {@link #addTo}.
   */
  public Map<String, Object> getFields() {
    return fields;
  }

  public void setFields(Map<String, Object> fields) {
    this.fields = fields;
  }

  /** The value of an ECS field, or null. */
  public Object get(String field) {
    return fields.get(field);
  }

  /** The value of an ECS field as text, or null. */
  public String text(String field) {
    Object v = fields.get(field);
    return v == null ? null : v.toString();
  }

  /**
   * Sets a field; a null value removes it. Returns this for chaining. Fields read from Flink's
   * network are {@link FrozenFields}: they get a mutable map first. A {@link #frozenCopy} refuses
   * with {@link UnsupportedOperationException}: a rule stage holds it, and a rule must not change
   * what it holds.
   */
  public Event put(String field, Object value) {
    thaw();
    if (value == null) {
      fields.remove(field);
    } else {
      fields.put(field, value);
    }
    return this;
  }

  /** Appends to a list-valued field such as {@code tags}, without duplicates. */
  public Event addTo(String field, String value) {
    thaw();
    Object current = fields.get(field);
    List<Object> list = new ArrayList<>();
    if (current instanceof Collection<?> c) {
      list.addAll(c);
    } else if (current != null) {
      list.add(current);
    }
    if (!list.contains(value)) {
      list.add(value);
    }
    fields.put(field, list);
    return this;
  }

  /**
   * A copy whose fields cannot change, in as few objects as they fit ({@link FrozenFields}): no
   * object per field, and an immutable list of one or two elements has no array. This is how the
   * rule stage holds events for their rules' windows, where the garbage collector marks every
   * object held. Values are shared, and so are fields that are frozen already, as events read from
   * Flink's network are.
   */
  public Event frozenCopy() {
    Event copy = new Event(id, timestamp);
    copy.fields = FrozenFields.of(fields);
    copy.frozen = true;
    return copy;
  }

  /**
   * As {@link #frozenCopy()}, with only the fields whose names {@code keep} accepts. A field with a
   * null name or value (which {@link #put} never makes) leaves the kept fields in a mutable map.
   */
  public Event frozenCopy(Predicate<String> keep) {
    Event copy = new Event(id, timestamp);
    copy.fields = FrozenFields.filtered(fields, keep);
    copy.frozen = true;
    return copy;
  }

  /** Gives frozen fields a mutable map before they change; the frozen ones may be shared. */
  private void thaw() {
    if (frozen) {
      throw new UnsupportedOperationException(
          "event " + id + " is a frozen copy: it cannot change");
    }
    if (fields instanceof FrozenFields shared) {
      fields = new LinkedHashMap<>(shared);
    }
  }

  /** True when {@code field} equals {@code value}, or is a list that contains it. */
  public boolean has(String field, String value) {
    Object v = fields.get(field);
    if (v instanceof Collection<?> c) {
      return c.contains(value);
    }
    return v != null && v.toString().equals(value);
  }

  public String getCategory() {
    Object v = fields.get("event.category");
    if (v instanceof List<?> l) {
      return l.isEmpty() ? null : String.valueOf(l.get(0));
    }
    return v == null ? null : v.toString();
  }

  public String getOutcome() {
    return text("event.outcome");
  }

  public String getAction() {
    return text("event.action");
  }

  public String getDataset() {
    return text("event.dataset");
  }

  public String getSourceIp() {
    return text("source.ip");
  }

  public String getDestinationIp() {
    return text("destination.ip");
  }

  /** {@code source.port} as text: a property rules can join on, which Drools indexes. */
  public String getSourcePort() {
    return text("source.port");
  }

  /** {@code destination.port} as text, like {@link #getSourcePort()}. */
  public String getDestinationPort() {
    return text("destination.port");
  }

  public String getUserName() {
    return text("user.name");
  }

  public String getHostName() {
    return text("host.name");
  }

  public String getOrganizationId() {
    return text("organization.id");
  }

  /**
   * Whether this event comes before {@code other} in event time, a tie broken by id: a total order,
   * so that of several events at one millisecond (copies of one record from two exporters) exactly
   * one comes first. Rules use it where "earlier in the window" must not hold both ways.
   */
  public boolean precedes(Event other) {
    return timestamp < other.timestamp
        || (timestamp == other.timestamp && id.compareTo(other.id) < 0);
  }

  /** {@link #toDocument()} as JSON, written without building the nested maps. */
  public byte[] toDocumentJson() {
    return Documents.toJsonBytes(timestamp, fields);
  }

  /** The Elasticsearch document: nested ECS objects plus {@code @timestamp}. */
  public Map<String, Object> toDocument() {
    return Documents.document(timestamp, fields);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Event e
        && timestamp == e.timestamp
        && Objects.equals(id, e.id)
        && Objects.equals(fields, e.fields);
  }

  /**
   * From the id and the event time only, which identify an event: rules collect events into sets
   * (evidence, counts in a window), and a busy group's window holds hundreds, so hashing every
   * field on each insert and removal cost more than the rule. Consistent with {@link #equals}.
   */
  @Override
  public int hashCode() {
    return 31 * Objects.hashCode(id) + Long.hashCode(timestamp);
  }

  @Override
  public String toString() {
    return "Event{id=" + id + ", @timestamp=" + Documents.isoTime(timestamp) + ", " + fields + "}";
  }
}
