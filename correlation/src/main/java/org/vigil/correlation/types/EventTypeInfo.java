package org.vigil.correlation.types;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.vigil.model.Event;

/** Flink's type information for {@link Event}: serialized by {@link EventSerializer}. */
public final class EventTypeInfo extends TypeInformation<Event> {
  private static final long serialVersionUID = 1L;

  /** The one instance. */
  public static final EventTypeInfo INSTANCE = new EventTypeInfo();

  private EventTypeInfo() {}

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
    return EventSerializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "EventTypeInfo";
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof EventTypeInfo;
  }

  @Override
  public int hashCode() {
    return EventTypeInfo.class.hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof EventTypeInfo;
  }
}
