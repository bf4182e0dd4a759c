package org.vigil.collectors.netflow;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * One decoded flow record, or one options record (exporter metadata such as sampling settings,
 * {@code options == true}). Its fields are dotted ECS names ({@code source.ip}, {@code
 * network.bytes}, {@code event.start}, ...) and every decoded element under {@code netflow.<IANA
 * name>}; they can be put into an {@code org.vigil.model.Event} as they are. The values sit in an
 * array laid out by the template ({@link RecordLayout}), so a record costs one small array rather
 * than a map.
 */
public final class FlowRecord {
  private final int templateId;
  private final boolean options;
  private final RecordLayout layout;
  private final Object[] values;
  private final long endMillis;

  FlowRecord(
      int templateId, boolean options, RecordLayout layout, Object[] values, long endMillis) {
    this.templateId = templateId;
    this.options = options;
    this.layout = layout;
    this.values = values;
    this.endMillis = endMillis;
  }

  /** A record with the given fields (null values are left out). */
  public static FlowRecord of(int templateId, boolean options, Map<String, ?> fields) {
    RecordLayout layout = RecordLayout.ofKeys(fields.keySet());
    Object[] values = new Object[layout.size()];
    fields.forEach((k, v) -> values[layout.slot(k)] = v);
    long end =
        fields.get("event.end") instanceof String s
            ? Instant.parse(s).toEpochMilli()
            : Long.MIN_VALUE;
    return new FlowRecord(templateId, options, layout, values, end);
  }

  public int templateId() {
    return templateId;
  }

  public boolean options() {
    return options;
  }

  /**
   * The flow's end ({@code event.end}) in epoch milliseconds, {@link Long#MIN_VALUE} when the
   * record has none; the same instant as the text, without parsing it back.
   */
  public long endMillis() {
    return endMillis;
  }

  /** The value of {@code field}, null when the record has none. */
  public Object get(String field) {
    int slot = layout.slot(field);
    return slot < 0 ? null : values[slot];
  }

  /** Hands every field that has a value to {@code action}, in layout order. */
  public void forEach(BiConsumer<String, Object> action) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        action.accept(layout.key(i), values[i]);
      }
    }
  }

  /** The fields as a read-only map view. */
  public Map<String, Object> fields() {
    return new AbstractMap<>() {
      @Override
      public Object get(Object key) {
        int slot = layout.slot(key);
        return slot < 0 ? null : values[slot];
      }

      @Override
      public boolean containsKey(Object key) {
        return get(key) != null;
      }

      @Override
      public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
          @Override
          public Iterator<Entry<String, Object>> iterator() {
            return new Iterator<>() {
              private int next = advance(0);

              private int advance(int from) {
                int i = from;
                while (i < values.length && values[i] == null) {
                  i++;
                }
                return i;
              }

              @Override
              public boolean hasNext() {
                return next < values.length;
              }

              @Override
              public Entry<String, Object> next() {
                if (next >= values.length) {
                  throw new NoSuchElementException();
                }
                Entry<String, Object> e =
                    new SimpleImmutableEntry<>(layout.key(next), values[next]);
                next = advance(next + 1);
                return e;
              }
            };
          }

          @Override
          public int size() {
            int n = 0;
            for (Object v : values) {
              n += v == null ? 0 : 1;
            }
            return n;
          }
        };
      }
    };
  }

  @Override
  public String toString() {
    return "FlowRecord[templateId=" + templateId + ", options=" + options + ", " + fields() + "]";
  }
}
