package org.vigil.correlation.types;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink's serializer for the rule stage's keys ({@code ruleset/rule|group} as text): exactly the
 * bytes of Flink's {@link StringSerializer}, written faster. The heap state backend writes every
 * key of every state entry and timer at each checkpoint, and {@code StringSerializer} hands the
 * checkpoint stream one call per character, which made up about 30 % of the checkpoint threads'
 * time. An ASCII key, which is nearly every key, is written here as its length and one block of
 * bytes; any other goes through {@code StringSerializer}'s own code.
 *
 * <p>Since the bytes are the same, state keyed with {@code StringSerializer} restores with this one
 * as it is: Flink cannot migrate the serializer of keys, so that matters.
 */
public final class KeyTextSerializer extends TypeSerializerSingleton<String> {
  private static final long serialVersionUID = 1L;

  public static final KeyTextSerializer INSTANCE = new KeyTextSerializer();

  private KeyTextSerializer() {}

  private Object readResolve() {
    return INSTANCE;
  }

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public String createInstance() {
    return "";
  }

  @Override
  public String copy(String from) {
    return from;
  }

  @Override
  public String copy(String from, String reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(String text, DataOutputView out) throws IOException {
    // The state changelog writes the key of every state change, several per event, and checking
    // it char by char for ASCII took a fifth of the rule stage's time. The JDK encodes a Latin-1
    // string in one vectorised pass, and a key whose UTF-8 is as long as the key is ASCII, unless
    // the encoder replaced a lone surrogate (JSON can carry one) with a single '?'.
    byte[] utf8 = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    if (utf8 == null
        || utf8.length != text.length()
        || (contains(utf8, (byte) '?') && !isAscii(text))) {
      StringValue.writeString(text, out);
      return;
    }
    // StringValue's layout: the length plus one, then an ASCII character is one byte.
    TextLength.write(text.length() + 1, out);
    out.write(utf8);
  }

  private static boolean contains(byte[] bytes, byte b) {
    for (byte x : bytes) {
      if (x == b) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String deserialize(DataInputView in) throws IOException {
    return StringValue.readString(in);
  }

  @Override
  public String deserialize(String reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    StringValue.copyString(source, target);
  }

  @Override
  public TypeSerializerSnapshot<String> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Compatible as it is with its own snapshots and with {@code StringSerializer}'s. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<String> {
    public Snapshot() {
      super(() -> INSTANCE);
    }

    @Override
    public TypeSerializerSchemaCompatibility<String> resolveSchemaCompatibility(
        TypeSerializerSnapshot<String> old) {
      if (old instanceof StringSerializer.StringSerializerSnapshot) {
        return TypeSerializerSchemaCompatibility.compatibleAsIs();
      }
      return super.resolveSchemaCompatibility(old);
    }
  }
}
