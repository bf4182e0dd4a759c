package org.vigil.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Conversions between the flat, dotted field maps used inside Vigil ({@code "source.ip" -> ...})
 * and the nested JSON objects stored in Elasticsearch ({@code {"source": {"ip": ...}}}).
 */
public final class Documents {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Documents() {}

  /** The shared, thread-safe mapper. Do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Builds a nested object from dotted keys; later keys win on conflicts. */
  public static Map<String, Object> nest(Map<String, ?> flat) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : flat.entrySet()) {
      if (e.getValue() != null) {
        put(root, e.getKey(), e.getValue());
      }
    }
    return root;
  }

  /** Sets {@code value} at a dotted path, creating intermediate objects. */
  @SuppressWarnings("unchecked")
  public static void put(Map<String, Object> root, String dottedPath, Object value) {
    Map<String, Object> node = root;
    int start = 0;
    int dot;
    while ((dot = dottedPath.indexOf('.', start)) >= 0) {
      String part = dottedPath.substring(start, dot);
      Object child = node.get(part);
      if (!(child instanceof Map)) {
        child = new LinkedHashMap<String, Object>();
        node.put(part, child);
      }
      node = (Map<String, Object>) child;
      start = dot + 1;
    }
    node.put(dottedPath.substring(start), value);
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
    return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis));
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
}
