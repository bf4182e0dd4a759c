package org.vigil.correlation.types;

/**
 * Flink's type information for the rule stage's text keys: serialized by {@link KeyTextSerializer}.
 */
public final class KeyTextTypeInfo extends SerializerTypeInfo<String> {
  private static final long serialVersionUID = 1L;

  /** The one instance. */
  public static final KeyTextTypeInfo INSTANCE = new KeyTextTypeInfo();

  private KeyTextTypeInfo() {
    super(String.class, KeyTextSerializer.INSTANCE, true);
  }
}
