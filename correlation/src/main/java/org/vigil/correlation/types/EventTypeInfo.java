package org.vigil.correlation.types;

import org.vigil.model.Event;

/** Flink's type information for {@link Event}: serialized by {@link EventSerializer}. */
public final class EventTypeInfo extends SerializerTypeInfo<Event> {
  private static final long serialVersionUID = 1L;

  /** The type information of the job's events: the current format. */
  public static final EventTypeInfo INSTANCE = new EventTypeInfo(EventSerializer.INSTANCE);

  private EventTypeInfo(EventSerializer serializer) {
    super(Event.class, serializer, false);
  }

  /** Events written by this serializer: an older format, for tests of upgrades. */
  static EventTypeInfo writtenBy(EventSerializer serializer) {
    return new EventTypeInfo(serializer);
  }
}
