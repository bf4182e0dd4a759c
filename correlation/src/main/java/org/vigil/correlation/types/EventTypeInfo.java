package org.vigil.correlation.types;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.vigil.model.Event;

/** Flink's type information for {@link Event}: serialized by {@link EventSerializer}. */
public final class EventTypeInfo extends TypeInformation<Event> {
  private static final long serialVersionUID = 1L;

  /** The type information of the job's events: the current format. */
  public static final EventTypeInfo INSTANCE = new EventTypeInfo(EventSerializer.INSTANCE);

  private final EventSerializer serializer;

  private EventTypeInfo(EventSerializer serializer) {
    this.serializer = serializer;
  }

  /** Events written by this serializer: an older format, for tests of upgrades. */
  static EventTypeInfo writtenBy(EventSerializer serializer) {
    return new EventTypeInfo(serializer);
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<Event> getTypeClass() {
    return Event.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<Event> createSerializer(SerializerConfig config) {
    return serializer;
  }

  @Override
  public String toString() {
    return "EventTypeInfo";
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof EventTypeInfo other && other.serializer.equals(serializer);
  }

  @Override
  public int hashCode() {
    return serializer.hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof EventTypeInfo;
  }
}
