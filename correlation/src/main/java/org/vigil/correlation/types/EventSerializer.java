package org.vigil.correlation.types;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;
import org.apache.flink.util.InstantiationUtil;
import org.vigil.model.Event;
import org.vigil.model.FrozenFields;

/**
 * Flink's serializer for {@link Event}: the id, the event time and the fields, each value written
 * with a one-byte tag for its type (text, whole and decimal numbers, booleans, lists, sets and
 * nested objects as JSON gives them). Every event crosses the network between the rule router and
 * the rule stage and sits in the rule stage's state, so this is on the hot path: as a POJO, the
 * field values went through Kryo, which resolved each value's class by name and read text one
 * character at a time, and reading events back cost six times what writing them did.
 *
 * <p>Values of any other {@link Serializable} type are written with Java serialization, which is
 * slow but keeps them; a value of a type that is not serializable is refused with the field's name.
 *
 * <p>Text (the id, field names, text values) is written as its UTF-8 bytes after a variable-length
 * count: format 2. Format 1 wrote it as Flink's {@link StringValue}, one variable-length number per
 * character; writing the rule stage's state at each checkpoint that way took almost half the CPU of
 * a syslog run. The format is recorded by {@link Snapshot}, so a checkpoint written in format 1 is
 * read with it and written in format 2 from then on; a change to the format needs a new format
 * number that still reads the old ones.
 */
public final class EventSerializer extends TypeSerializer<Event> {
  private static final long serialVersionUID = 1L;

  /** The serializer events are written with: format 2. */
  public static final EventSerializer INSTANCE = new EventSerializer(2);

  /** Reads state that a checkpoint wrote in format 1, before format 2 existed. */
  static final EventSerializer FORMAT_1 = new EventSerializer(1);

  /** Per thread: serializers are shared by the task threads and the checkpointing threads. */
  private static final ThreadLocal<DataOutputSerializer> SCRATCH =
      ThreadLocal.withInitial(() -> new DataOutputSerializer(1024));

  private static final int MAX_KEPT_SCRATCH = 1 << 20;

  private static final byte NULL = 0;
  private static final byte TEXT = 1;
  private static final byte LONG = 2;
  private static final byte INT = 3;
  private static final byte DOUBLE = 4;
  private static final byte FLOAT = 5;
  private static final byte BOOLEAN = 6;
  private static final byte LIST = 7;
  private static final byte SET = 8;
  private static final byte MAP = 9;
  private static final byte BIG_INTEGER = 10;
  private static final byte BIG_DECIMAL = 11;
  private static final byte JAVA = 12;

  private final int format;

  private EventSerializer(int format) {
    this.format = format;
  }

  /** The job graph ships serializers as Java objects: each JVM keeps one instance per format. */
  private Object readResolve() {
    return format == 1 ? FORMAT_1 : INSTANCE;
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<Event> duplicate() {
    return this;
  }

  @Override
  public Event createInstance() {
    return new Event();
  }

  @Override
  public Event copy(Event from) {
    Event copy = new Event(from.getId(), from.getTimestamp());
    copy.setFields(copyMap(from.getFields()));
    return copy;
  }

  @Override
  public Event copy(Event from, Event reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(Event event, DataOutputView out) throws IOException {
    if (out instanceof DataOutputSerializer buffer) {
      write(event, buffer);
      return;
    }
    // A checkpoint stream: each small write is a call through several stream layers, so the
    // event is put together in memory and handed over in one write.
    DataOutputSerializer buffer = SCRATCH.get();
    buffer.clear();
    write(event, buffer);
    out.write(buffer.getSharedBuffer(), 0, buffer.length());
    if (buffer.getSharedBuffer().length > MAX_KEPT_SCRATCH) {
      SCRATCH.remove(); // one huge event must not pin its buffer to the thread
    }
  }

  private void write(Event event, DataOutputView out) throws IOException {
    writeText(event.getId(), out);
    out.writeLong(event.getTimestamp());
    Map<String, Object> fields = event.getFields();
    out.writeInt(fields.size());
    if (fields instanceof FrozenFields frozen) {
      for (int i = 0; i < frozen.size(); i++) {
        writeText(frozen.name(i), out);
        writeValue(frozen.name(i), frozen.value(i), out);
      }
      return;
    }
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      writeText(field.getKey(), out);
      writeValue(field.getKey(), field.getValue(), out);
    }
  }

  @Override
  public Event deserialize(DataInputView in) throws IOException {
    TextReader reader = format == 1 ? null : TextReader.get();
    Event event = new Event(readText(in, reader, TextReader.Kind.TEXT), in.readLong());
    event.setFields(readFields(in, reader));
    return event;
  }

  @Override
  public Event deserialize(Event reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof EventSerializer other && other.format == format;
  }

  @Override
  public int hashCode() {
    return 31 * EventSerializer.class.hashCode() + format;
  }

  @Override
  public TypeSerializerSnapshot<Event> snapshotConfiguration() {
    return new Snapshot(format);
  }

  private void writeText(String text, DataOutputView out) throws IOException {
    if (format == 1) {
      StringValue.writeString(text, out);
      return;
    }
    if (text == null) {
      TextLength.write(0, out);
      return;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    TextLength.write(bytes.length + 1, out);
    out.write(bytes);
  }

  /**
   * A text of the given kind (names and short values go through the reader's caches); {@code
   * reader} is this thread's, or null in format 1.
   */
  private static String readText(DataInputView in, TextReader reader, TextReader.Kind kind)
      throws IOException {
    if (reader == null) {
      return StringValue.readString(in);
    }
    int count = TextLength.read(in);
    return count == 0 ? null : reader.read(kind, in, count - 1);
  }

  private void writeValue(String field, Object value, DataOutputView out) throws IOException {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof String s) {
      out.writeByte(TEXT);
      writeText(s, out);
    } else if (value instanceof Long l) {
      out.writeByte(LONG);
      out.writeLong(l);
    } else if (value instanceof Integer i) {
      out.writeByte(INT);
      out.writeInt(i);
    } else if (value instanceof Double d) {
      out.writeByte(DOUBLE);
      out.writeDouble(d);
    } else if (value instanceof Float f) {
      out.writeByte(FLOAT);
      out.writeFloat(f);
    } else if (value instanceof Boolean b) {
      out.writeByte(BOOLEAN);
      out.writeBoolean(b);
    } else if (value instanceof List<?> list) {
      out.writeByte(LIST);
      writeElements(field, list, out);
    } else if (value instanceof Set<?> set) {
      out.writeByte(SET);
      writeElements(field, set, out);
    } else if (value instanceof Map<?, ?> map) {
      out.writeByte(MAP);
      out.writeInt(map.size());
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        writeText(key, out);
        writeValue(field + "." + key, entry.getValue(), out);
      }
    } else if (value instanceof BigInteger big) {
      out.writeByte(BIG_INTEGER);
      writeText(big.toString(), out);
    } else if (value instanceof BigDecimal big) {
      out.writeByte(BIG_DECIMAL);
      writeText(big.toString(), out);
    } else if (value instanceof Serializable) {
      out.writeByte(JAVA);
      byte[] bytes = InstantiationUtil.serializeObject(value);
      out.writeInt(bytes.length);
      out.write(bytes);
    } else {
      throw new IOException(
          "field '"
              + field
              + "' of an event holds a "
              + value.getClass().getName()
              + ", which is neither a JSON value nor serializable");
    }
  }

  private void writeElements(String field, Collection<?> elements, DataOutputView out)
      throws IOException {
    out.writeInt(elements.size());
    for (Object element : elements) {
      writeValue(field, element, out);
    }
  }

  private static Object readValue(DataInputView in, TextReader reader) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case NULL:
        return null;
      case TEXT:
        return readText(in, reader, TextReader.Kind.VALUE);
      case LONG:
        return in.readLong();
      case INT:
        return in.readInt();
      case DOUBLE:
        return in.readDouble();
      case FLOAT:
        return in.readFloat();
      case BOOLEAN:
        return in.readBoolean();
      case LIST:
        return readElements(in, reader, ArrayList::new);
      case SET:
        return readElements(in, reader, size -> new LinkedHashSet<>(capacity(size)));
      case MAP:
        return readMap(in, reader);
      case BIG_INTEGER:
        return new BigInteger(readText(in, reader, TextReader.Kind.TEXT));
      case BIG_DECIMAL:
        return new BigDecimal(readText(in, reader, TextReader.Kind.TEXT));
      case JAVA:
        {
          byte[] bytes = new byte[in.readInt()];
          in.readFully(bytes);
          try {
            return InstantiationUtil.deserializeObject(
                bytes, Thread.currentThread().getContextClassLoader());
          } catch (ClassNotFoundException e) {
            throw new IOException("an event field's value is of an unknown class", e);
          }
        }
      default:
        throw new IOException("not an event field value: type tag " + tag);
    }
  }

  /** Reads what {@link #writeElements} wrote into a collection made for its size. */
  private static Collection<Object> readElements(
      DataInputView in, TextReader reader, IntFunction<Collection<Object>> collectionOfSize)
      throws IOException {
    int size = in.readInt();
    Collection<Object> elements = collectionOfSize.apply(size);
    for (int i = 0; i < size; i++) {
      elements.add(readValue(in, reader));
    }
    return elements;
  }

  private static Map<String, Object> readMap(DataInputView in, TextReader reader)
      throws IOException {
    int size = in.readInt();
    Map<String, Object> map = new LinkedHashMap<>(capacity(size));
    for (int i = 0; i < size; i++) {
      String key = readText(in, reader, TextReader.Kind.NAME);
      map.put(key, readValue(in, reader));
    }
    return map;
  }

  /**
   * The top-level fields, frozen ({@link FrozenFields}): an event read here is a new one that the
   * rule stage can hold as it is, and {@link Event#put} gives it a mutable map first when a later
   * stage changes it.
   */
  private static Map<String, Object> readFields(DataInputView in, TextReader reader)
      throws IOException {
    int size = in.readInt();
    // The size sizes the arrays only up to a bound: a corrupt one must not allocate gigabytes.
    FrozenFields.Builder fields = new FrozenFields.Builder(Math.min(size, 1_024));
    for (int i = 0; i < size; i++) {
      String key = readText(in, reader, TextReader.Kind.NAME);
      fields.add(key, readValue(in, reader));
    }
    if (reader == null) {
      return fields.build();
    }
    Map<String, Object> built = fields.build(reader.previousFields);
    reader.previousFields = built;
    return built;
  }

  private static Map<String, Object> copyMap(Map<?, ?> from) {
    Map<String, Object> copy = new LinkedHashMap<>(capacity(from.size()));
    for (Map.Entry<?, ?> entry : from.entrySet()) {
      copy.put(String.valueOf(entry.getKey()), copyValue(entry.getValue()));
    }
    return copy;
  }

  private static Object copyValue(Object value) {
    if (value instanceof List<?> list) {
      return copyElements(list, new ArrayList<>(list.size()));
    }
    if (value instanceof Set<?> set) {
      return copyElements(set, new LinkedHashSet<>(capacity(set.size())));
    }
    if (value instanceof Map<?, ?> map) {
      return copyMap(map);
    }
    if (value == null
        || value instanceof String
        || value instanceof Long
        || value instanceof Integer
        || value instanceof Double
        || value instanceof Float
        || value instanceof Boolean
        || value instanceof BigInteger
        || value instanceof BigDecimal) {
      return value; // immutable
    }
    if (value instanceof Serializable s) {
      try {
        return InstantiationUtil.clone(s, Thread.currentThread().getContextClassLoader());
      } catch (IOException | ClassNotFoundException e) {
        throw new IllegalStateException("cannot copy an event field's value: " + e, e);
      }
    }
    throw new IllegalArgumentException(
        "an event field holds a "
            + value.getClass().getName()
            + ", which is neither a JSON value nor serializable");
  }

  private static Collection<Object> copyElements(Collection<?> from, Collection<Object> into) {
    for (Object element : from) {
      into.add(copyValue(element));
    }
    return into;
  }

  /** A hash map's capacity that holds {@code size} entries without a resize. */
  private static int capacity(int size) {
    return size < 3 ? size + 1 : (int) (size / 0.75f) + 1;
  }

  /**
   * The snapshot of the serializer's configuration: its format. A snapshot of format 1 was written
   * as Flink's {@code SimpleTypeSerializerSnapshot} (version 3, nothing after it), and is read as
   * format 1. State in format 1, and state that a checkpoint wrote with the POJO serializer Flink
   * chose for events before this serializer existed, is read with the serializer that wrote it and
   * written in the current format from then on, so a system upgraded in place resumes from its
   * newest checkpoint.
   */
  public static final class Snapshot implements TypeSerializerSnapshot<Event> {
    /** Versions up to 3 were SimpleTypeSerializerSnapshot's, which only format 1 wrote. */
    private static final int VERSION = 4;

    private int format;

    /** For Flink, which reads the format with {@link #readSnapshot}. */
    public Snapshot() {
      this(INSTANCE.format);
    }

    Snapshot(int format) {
      this.format = format;
    }

    @Override
    public int getCurrentVersion() {
      return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
      out.writeInt(format);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
        throws IOException {
      format = readVersion < VERSION ? 1 : in.readInt();
    }

    @Override
    public TypeSerializer<Event> restoreSerializer() {
      return switch (format) {
        case 1 -> FORMAT_1;
        case 2 -> INSTANCE;
        default ->
            throw new IllegalStateException(
                "events were written in format " + format + ", which this version cannot read");
      };
    }

    @Override
    public TypeSerializerSchemaCompatibility<Event> resolveSchemaCompatibility(
        TypeSerializerSnapshot<Event> old) {
      if (old instanceof PojoSerializerSnapshot<Event>
          && old.restoreSerializer().createInstance() instanceof Event) {
        return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
      }
      if (old instanceof Snapshot previous) {
        if (previous.format == format) {
          return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        if (previous.format < format) {
          return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
      }
      return TypeSerializerSchemaCompatibility.incompatible();
    }
  }
}
