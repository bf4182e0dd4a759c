package org.vigil.correlation.types;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's type information for the rule stage's text keys: serialized by {@link KeyTextSerializer}.
 */
public final class KeyTextTypeInfo extends TypeInformation<String> {
  private static final long serialVersionUID = 1L;

  /** The one instance. */
  public static final KeyTextTypeInfo INSTANCE = new KeyTextTypeInfo();

  private KeyTextTypeInfo() {}

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
  public Class<String> getTypeClass() {
    return String.class;
  }

  @Override
  public boolean isKeyType() {
    return true;
  }

  @Override
  public TypeSerializer<String> createSerializer(SerializerConfig config) {
    return KeyTextSerializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "KeyTextTypeInfo";
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof KeyTextTypeInfo;
  }

  @Override
  public int hashCode() {
    return KeyTextTypeInfo.class.hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof KeyTextTypeInfo;
  }
}
