package org.vigil.dashboards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Where the next page of a search starts: the sort values of the last hit, for Elasticsearch's
 * {@code search_after}. Opaque to clients (URL-safe base64 of a JSON array) so that the sort can
 * change without breaking the API; unlike {@code from}, it pages past 10,000 hits.
 *
 * @param sortValues strings, whole numbers or decimals, in sort order
 */
public record EventCursor(List<Object> sortValues) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ENCODED_LENGTH = 2048;

  public EventCursor {
    if (sortValues == null || sortValues.isEmpty()) {
      throw new IllegalArgumentException("a cursor needs sort values");
    }
    for (Object v : sortValues) {
      if (!(v instanceof String || v instanceof Long || v instanceof Double)) {
        throw new IllegalArgumentException("cursor sort values are strings or numbers: " + v);
      }
    }
    sortValues = List.copyOf(sortValues);
  }

  public String encode() {
    ArrayNode array = JSON.createArrayNode();
    for (Object v : sortValues) {
      if (v instanceof String s) {
        array.add(s);
      } else if (v instanceof Long l) {
        array.add(l);
      } else {
        array.add((Double) v);
      }
    }
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(array));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a cursor", e);
    }
  }

  /** Reads a cursor from a client; anything it did not get from us is a clear 400. */
  public static EventCursor decode(String token) {
    String invalid = "cursor is not one this server returned: start the search again without it";
    if (token == null || token.isBlank() || token.length() > MAX_ENCODED_LENGTH) {
      throw new IllegalArgumentException(invalid);
    }
    try {
      JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(token.trim()));
      if (node == null || !node.isArray() || node.isEmpty()) {
        throw new IllegalArgumentException(invalid);
      }
      List<Object> values = new ArrayList<>();
      for (JsonNode v : node) {
        if (v.isTextual()) {
          values.add(v.asText());
        } else if (v.isIntegralNumber() && v.canConvertToLong()) {
          values.add(v.asLong());
        } else if (v.isFloatingPointNumber()) {
          values.add(v.asDouble());
        } else {
          throw new IllegalArgumentException(invalid);
        }
      }
      return new EventCursor(values);
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new IllegalArgumentException(invalid, e);
    }
  }
}
