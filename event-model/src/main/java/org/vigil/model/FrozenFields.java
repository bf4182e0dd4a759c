package org.vigil.model;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * An event's fields that cannot change, in insertion order, held in three arrays: names, values and
 * an open-addressing index into them. A {@code LinkedHashMap} has an entry object per field, and
 * {@code Map.ofEntries} needs one per field to be built and loses the order. Events held in the
 * rule stage's state and events read from Flink's network are kept this way: fewer objects for the
 * garbage collector to mark and to collect. {@link Event#put} replaces them with a mutable map
 * before it changes a field.
 *
 * <p>List values are made immutable as they are added, unless they hold a null; other values are
 * kept as they are.
 */
public final class FrozenFields extends AbstractMap<String, Object> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String[] names;
  private final Object[] values;

  /** Position + 1 of the field whose name hashes to each slot; 0 for an empty slot. */
  private final int[] slots;

  private FrozenFields(String[] names, Object[] values, int[] slots) {
    this.names = names;
    this.values = values;
    this.slots = slots;
  }

  /**
   * {@code fields} as frozen fields, or {@code fields} itself when they already are; a map with a
   * null name or value comes back as a mutable copy instead, since lookups here assume neither.
   */
  public static Map<String, Object> of(Map<String, Object> fields) {
    if (fields instanceof FrozenFields) {
      return fields;
    }
    return filtered(fields, name -> true);
  }

  /**
   * The fields of {@code fields} whose names {@code keep} accepts, frozen as {@link #of} freezes
   * them; frozen fields that {@code keep} accepts in full come back as they are.
   */
  public static Map<String, Object> filtered(Map<String, Object> fields, Predicate<String> keep) {
    if (fields instanceof FrozenFields frozen) {
      return frozen.filter(keep);
    }
    Builder builder = new Builder(fields.size());
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      String name = field.getKey();
      if (name == null || keep.test(name)) {
        builder.add(name, field.getValue());
      }
    }
    return builder.build();
  }

  private Map<String, Object> filter(Predicate<String> keep) {
    int kept = 0;
    for (String name : names) {
      if (keep.test(name)) {
        kept++;
      }
    }
    if (kept == names.length) {
      return this;
    }
    Builder builder = new Builder(kept);
    for (int i = 0; i < names.length; i++) {
      if (keep.test(names[i])) {
        builder.add(names[i], values[i]);
      }
    }
    return builder.build();
  }

  /** The name of the field at {@code position}, in insertion order, for allocation-free loops. */
  public String name(int position) {
    return names[position];
  }

  /** The value of the field at {@code position}. */
  public Object value(int position) {
    return values[position];
  }

  @Override
  public int size() {
    return names.length;
  }

  @Override
  public Object get(Object name) {
    int i = indexOf(name);
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean containsKey(Object name) {
    return indexOf(name) >= 0;
  }

  private int indexOf(Object name) {
    if (!(name instanceof String)) {
      return -1;
    }
    int mask = slots.length - 1;
    for (int slot = spread(name.hashCode()) & mask; ; slot = (slot + 1) & mask) {
      int position = slots[slot] - 1;
      if (position < 0) {
        return -1;
      }
      if (names[position].equals(name)) {
        return position;
      }
    }
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    for (int i = 0; i < names.length; i++) {
      action.accept(names[i], values[i]);
    }
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return names.length;
      }

      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < names.length;
          }

          @Override
          public Map.Entry<String, Object> next() {
            if (next >= names.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new AbstractMap.SimpleImmutableEntry<>(names[i], values[i]);
          }
        };
      }
    };
  }

  /** Whether these fields share their arrays of names and slots with {@code other}'s (tests). */
  boolean sharesNamesWith(FrozenFields other) {
    return names == other.names && slots == other.slots;
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }

  /** A list as an immutable list, unless it holds a null; any other value as it is. */
  static Object frozen(Object value) {
    if (!(value instanceof List<?> list)) {
      return value;
    }
    for (Object element : list) {
      if (element == null) {
        return value;
      }
    }
    return List.copyOf(list);
  }

  /**
   * Collects fields in order, for a reader that knows how many come (a deserializer). A name given
   * twice keeps its first position and its last value, as a map's put does.
   */
  public static final class Builder {
    private String[] names;
    private Object[] values;
    private int[] slots;
    private int size;
    private boolean nulls;

    /**
     * @param expected how many fields will be added; more only cost a copy
     */
    public Builder(int expected) {
      int capacity = Math.max(expected, 1);
      names = new String[capacity];
      values = new Object[capacity];
      slots = new int[tableSize(capacity)];
    }

    /** Adds a field; a list value is frozen as the class comment says. */
    public Builder add(String name, Object value) {
      if (name == null || value == null) {
        nulls = true;
      }
      value = frozen(value);
      if (name != null) {
        int mask = slots.length - 1;
        int slot = spread(name.hashCode()) & mask;
        for (; slots[slot] != 0; slot = (slot + 1) & mask) {
          int position = slots[slot] - 1;
          if (name.equals(names[position])) {
            values[position] = value;
            return this;
          }
        }
        if (size == names.length) {
          grow(); // the slots were rebuilt: find this name's again
          return add(name, value);
        }
        slots[slot] = size + 1;
      }
      names[size] = name;
      values[size] = value;
      size++;
      return this;
    }

    private void grow() {
      int capacity = names.length * 2;
      names = Arrays.copyOf(names, capacity);
      values = Arrays.copyOf(values, capacity);
      slots = index(names, size, tableSize(capacity));
    }

    /**
     * The fields added: frozen, or a mutable map in their order when one had a null name or value.
     */
    public Map<String, Object> build() {
      return build(null);
    }

    /**
     * As {@link #build()}, but when {@code sameNamesAs} are frozen fields with the same names in
     * the same order, the result shares their arrays of names and slots: events of one source, read
     * one after another, then hold only their values each. The rule stage holds every event of a
     * window, and the names and slots were a third of the objects each held event kept alive.
     */
    public Map<String, Object> build(Map<String, Object> sameNamesAs) {
      if (!nulls && sameNamesAs instanceof FrozenFields shape && hasNamesOf(shape)) {
        return new FrozenFields(
            shape.names, size == values.length ? values : Arrays.copyOf(values, size), shape.slots);
      }
      if (nulls) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
          map.put(names[i], values[i]);
        }
        return map;
      }
      if (size == names.length && slots.length == tableSize(size)) {
        return new FrozenFields(names, values, slots);
      }
      // Fewer fields than expected (repeated names): trim, so a held event costs what it holds.
      return new FrozenFields(
          Arrays.copyOf(names, size),
          Arrays.copyOf(values, size),
          index(names, size, tableSize(size)));
    }

    private boolean hasNamesOf(FrozenFields shape) {
      if (shape.names.length != size) {
        return false;
      }
      for (int i = 0; i < size; i++) {
        // Names read by a deserializer are mostly the very same Strings: equals stops at identity.
        if (!shape.names[i].equals(names[i])) {
          return false;
        }
      }
      return true;
    }

    /** Slots for the first {@code size} names; a null name (see build) gets none. */
    private static int[] index(String[] names, int size, int tableSize) {
      int[] slots = new int[tableSize];
      int mask = tableSize - 1;
      for (int i = 0; i < size; i++) {
        if (names[i] == null) {
          continue;
        }
        int slot = spread(names[i].hashCode()) & mask;
        while (slots[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        slots[slot] = i + 1;
      }
      return slots;
    }

    /** A power of two at least twice {@code fields}: probes stay short. */
    private static int tableSize(int fields) {
      return Integer.highestOneBit(Math.max(fields, 1) * 2 - 1) << 1;
    }
  }
}
