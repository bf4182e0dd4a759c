package org.vigil.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Conversions between the flat, dotted field maps used inside Vigil ({@code "source.ip" -> ...})
 * and the nested JSON objects stored in Elasticsearch ({@code {"source": {"ip": ...}}}).
 */
public final class Documents {
  private static final String TIMESTAMP = "@timestamp";
  private static final int CACHED_PATHS = 10_000;
  private static final Map<String, SerializableString[]> PATHS = new ConcurrentHashMap<>();
  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Documents() {}

  /** The shared, thread-safe mapper. Do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Builds a nested object from dotted keys; later keys win on conflicts. A key under another whose
   * value is a map ({@code a} a map, then {@code a.b}) adds to a copy of that map, never to the
   * value itself, which belongs to the event.
   */
  public static Map<String, Object> nest(Map<String, ?> flat) {
    Map<String, Object> root = new Nested();
    for (Map.Entry<String, ?> e : flat.entrySet()) {
      if (e.getValue() != null) {
        put(root, e.getKey(), e.getValue(), true);
      }
    }
    return root;
  }

  /** An event's document: {@code @timestamp}, then the nested fields. */
  public static Map<String, Object> document(long timestamp, Map<String, ?> flat) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(TIMESTAMP, isoTime(timestamp));
    doc.putAll(nest(flat));
    return doc;
  }

  /**
   * {@link #document} as JSON, written straight from the flat map: the same document without the
   * nested maps, which cost more than the rest of an event's way to Elasticsearch. The keys are
   * written in sorted order, so that the keys of one object come together. Where nesting would
   * have to settle a conflict (a key that is also the prefix of another, or a field named {@code
   * @timestamp}), the document is built by {@link #document}, so later keys still win.
   */
  public static byte[] toJsonBytes(long timestamp, Map<String, ?> flat) {
    String[] keys = new String[flat.size()];
    int n = 0;
    for (Map.Entry<String, ?> e : flat.entrySet()) {
      if (e.getValue() != null) {
        keys[n++] = e.getKey();
      }
    }
    Arrays.sort(keys, 0, n);
    if (conflicting(keys, n)) {
      return toJsonBytes(document(timestamp, flat));
    }
    try (ByteArrayBuilder out = new ByteArrayBuilder();
        JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField(TIMESTAMP, isoTime(timestamp));
      writeNested(g, keys, n, flat);
      g.writeEndObject();
      g.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalArgumentException("not serialisable as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Whether nesting the sorted keys would put a value and an object at one name: a key that is a
   * prefix of another up to a dot, or one named {@code @timestamp}. A key's extensions follow it in
   * sorted order, so each key is compared with the keys after it that start with it.
   */
  private static boolean conflicting(String[] keys, int n) {
    for (int i = 0; i < n; i++) {
      String key = keys[i];
      if (key.equals(TIMESTAMP)) {
        return true;
      }
      for (int j = i + 1; j < n && keys[j].startsWith(key); j++) {
        if (keys[j].charAt(key.length()) == '.') {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Writes the sorted, conflict-free dotted keys as nested objects: the objects open on the way to
   * a key stay open while the next key shares them, since sorting keeps the keys under one prefix
   * together.
   */
  private static void writeNested(JsonGenerator g, String[] keys, int n, Map<String, ?> flat)
      throws IOException {
    SerializableString[] open = new SerializableString[8];
    int depth = 0;
    for (int i = 0; i < n; i++) {
      SerializableString[] path = path(keys[i]);
      int last = path.length - 1;
      int shared = 0;
      while (shared < depth && shared < last && path[shared].equals(open[shared])) {
        shared++;
      }
      for (; depth > shared; depth--) {
        g.writeEndObject();
      }
      for (; depth < last; depth++) {
        g.writeFieldName(path[depth]);
        g.writeStartObject();
        if (depth == open.length) {
          open = Arrays.copyOf(open, depth * 2);
        }
        open[depth] = path[depth];
      }
      g.writeFieldName(path[last]);
      writeValue(g, flat.get(keys[i]));
    }
    for (; depth > 0; depth--) {
      g.writeEndObject();
    }
  }

  /**
   * A dotted key's segments, encoded for JSON once: a job sees the same few hundred field names
   * over and over. Keys come from the data too (a Beats event's own fields), so the cache stops
   * growing at {@value #CACHED_PATHS} keys; later keys are split each time.
   */
  private static SerializableString[] path(String key) {
    SerializableString[] path = PATHS.get(key);
    if (path == null) {
      String[] segments = key.split("\\.", -1);
      path = new SerializableString[segments.length];
      for (int i = 0; i < segments.length; i++) {
        path[i] = new SerializedString(segments[i]);
      }
      if (PATHS.size() < CACHED_PATHS) {
        PATHS.putIfAbsent(key, path);
      }
    }
    return path;
  }

  /**
   * The types JSON parsing gives scalars are written directly: handing them to {@code writeObject}
   * looks up a serializer each time, which was a twentieth of a Beats event's parse stage.
   */
  private static void writeValue(JsonGenerator g, Object value) throws IOException {
    if (value instanceof String text) {
      g.writeString(text);
    } else if (value instanceof Long number) {
      g.writeNumber(number);
    } else if (value instanceof Integer number) {
      g.writeNumber(number);
    } else if (value instanceof Boolean flag) {
      g.writeBoolean(flag);
    } else if (value instanceof Double number) {
      g.writeNumber(number);
    } else {
      g.writeObject(value);
    }
  }

  /** Sets {@code value} at a dotted path, creating intermediate objects. */
  public static void put(Map<String, Object> root, String dottedPath, Object value) {
    put(root, dottedPath, value, false);
  }

  /**
   * As {@link #put(Map, String, Object)}; with {@code copyForeign}, a map on the path that this
   * class did not create is copied rather than changed.
   */
  @SuppressWarnings("unchecked")
  private static void put(
      Map<String, Object> root, String dottedPath, Object value, boolean copyForeign) {
    Map<String, Object> node = root;
    int start = 0;
    int dot;
    while ((dot = dottedPath.indexOf('.', start)) >= 0) {
      String part = dottedPath.substring(start, dot);
      Object child = node.get(part);
      if (!(child instanceof Map) || (copyForeign && !(child instanceof Nested))) {
        Map<String, Object> created = new Nested();
        if (child instanceof Map<?, ?> foreign) {
          foreign.forEach((k, v) -> created.put(String.valueOf(k), v));
        }
        child = created;
        node.put(part, child);
      }
      node = (Map<String, Object>) child;
      start = dot + 1;
    }
    node.put(dottedPath.substring(start), value);
  }

  /** An object that {@link #put} created, as opposed to a map that was a field's value. */
  private static final class Nested extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;
  }

  /** Reads the value at a dotted path of a nested object, or null. */
  public static Object get(Map<String, ?> root, String dottedPath) {
    Object node = root;
    int start = 0;
    while (node instanceof Map<?, ?> map) {
      int dot = dottedPath.indexOf('.', start);
      if (dot < 0) {
        return map.get(dottedPath.substring(start));
      }
      Object whole = map.get(dottedPath.substring(start));
      if (whole != null) {
        return whole; // a dotted key stored flat
      }
      node = map.get(dottedPath.substring(start, dot));
      start = dot + 1;
    }
    return null;
  }

  /** Flattens a nested object into dotted keys. Lists stay values. */
  public static Map<String, Object> flatten(Map<String, ?> nested) {
    Map<String, Object> flat = new LinkedHashMap<>();
    flatten("", nested, flat);
    return flat;
  }

  private static void flatten(String prefix, Map<String, ?> node, Map<String, Object> out) {
    for (Map.Entry<String, ?> e : node.entrySet()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue() instanceof Map<?, ?> child) {
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) child;
        flatten(key, typed, out);
      } else {
        out.put(key, e.getValue());
      }
    }
  }

  /** ISO-8601 in UTC with millisecond precision, as Elasticsearch's {@code date} expects. */
  public static String isoTime(long epochMillis) {
    return IsoInstant.format(epochMillis);
  }

  public static String toJson(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serialisable as JSON: " + e.getMessage(), e);
    }
  }

  public static byte[] toJsonBytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serialisable as JSON: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(byte[] json) throws IOException {
    return MAPPER.readValue(json, LinkedHashMap.class);
  }

  /**
   * {@link #flatten} of {@link #parseObject}, read in one pass without building the nested maps,
   * which with the flattening took a quarter of a Beats event's parse stage. Arrays stay values, as
   * in {@link #flatten}. Where the two steps would decide differently (a name repeated within one
   * object drops the whole earlier value there) and for anything that is not a JSON object, the two
   * steps decide: the result and the errors are always theirs.
   *
   * @return the dotted fields, or null for the JSON literal {@code null}
   */
  public static Map<String, Object> parseFlatObject(byte[] json) throws IOException {
    try (JsonParser p = MAPPER.getFactory().createParser(json)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        Map<String, Object> flat = new LinkedHashMap<>();
        if (readFlat(p, null, flat, new Names())) {
          return flat;
        }
      }
    } catch (JsonProcessingException malformed) {
      // decided below
    }
    Map<String, Object> nested = parseObject(json);
    return nested == null ? null : flatten(nested);
  }

  /**
   * Reads the fields of the object the parser is in, up to its end, under {@code prefix}.
   *
   * @return false, with the object read only in part, when a name repeats within one object
   */
  private static boolean readFlat(JsonParser p, String prefix, Map<String, Object> out, Names names)
      throws IOException {
    int siblings = names.size;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (!names.add(siblings, name)) {
        return false;
      }
      String key = prefix == null ? name : prefix + "." + name;
      JsonToken token = p.nextToken();
      switch (token) {
        case START_OBJECT -> {
          if (!readFlat(p, key, out, names)) {
            return false;
          }
        }
        case START_ARRAY -> out.put(key, MAPPER.readValue(p, ArrayList.class));
        case VALUE_STRING -> out.put(key, p.getText());
        case VALUE_NUMBER_INT -> out.put(key, p.getNumberValue());
        case VALUE_NUMBER_FLOAT -> out.put(key, p.getDoubleValue());
        case VALUE_TRUE -> out.put(key, Boolean.TRUE);
        case VALUE_FALSE -> out.put(key, Boolean.FALSE);
        case VALUE_NULL -> out.put(key, null);
        default -> throw new JsonParseException(p, "unexpected " + token + " in an object");
      }
    }
    names.size = siblings;
    return true;
  }

  /**
   * The names of the objects open while reading, each object's after its parent's: a repeat is
   * found by comparing with the few siblings before it. The parser hands out one String per name it
   * has seen, so most comparisons are by identity; the parser's own check, a set per object, cost a
   * fifth of the reading.
   */
  private static final class Names {
    private String[] names = new String[32];
    private int size;

    /** Adds {@code name} unless one of the names from {@code siblings} on is equal to it. */
    boolean add(int siblings, String name) {
      for (int i = siblings; i < size; i++) {
        if (names[i].equals(name)) {
          return false;
        }
      }
      if (size == names.length) {
        names = Arrays.copyOf(names, size * 2);
      }
      names[size++] = name;
      return true;
    }
  }
}
