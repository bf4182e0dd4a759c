package org.vigil.correlation.types;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type information that names a serializer of Vigil's own for a single class: what Flink needs to
 * use it for records, state and keys, and nothing else.
 */
abstract class SerializerTypeInfo<T> extends TypeInformation<T> {
  private static final long serialVersionUID = 1L;

  private final Class<T> typeClass;
  private final TypeSerializer<T> serializer;
  private final boolean keyType;

  SerializerTypeInfo(Class<T> typeClass, TypeSerializer<T> serializer, boolean keyType) {
    this.typeClass = typeClass;
    this.serializer = serializer;
    this.keyType = keyType;
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
  public Class<T> getTypeClass() {
    return typeClass;
  }

  @Override
  public boolean isKeyType() {
    return keyType;
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return serializer;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName();
  }

  @Override
  public boolean equals(Object obj) {
    return obj != null
        && obj.getClass() == getClass()
        && ((SerializerTypeInfo<?>) obj).serializer.equals(serializer);
  }

  @Override
  public int hashCode() {
    return 31 * getClass().hashCode() + serializer.hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj != null && obj.getClass() == getClass();
  }
}
