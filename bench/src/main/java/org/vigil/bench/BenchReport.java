package org.vigil.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The figures of one {@code vigil bench} run, printed as a table for a person or as JSON for a
 * script. The static methods hold the formatting every bench's report shares, so that the drops
 * column, the goal verdicts and the JSON read the same in each.
 */
public interface BenchReport {

  /** A fixed-width table for a terminal. */
  String table();

  /** The same figures as JSON, for scripts. */
  String json();

  /** Whether a result reached its goal, as a table's goal column says it. */
  static String verdict(boolean met) {
    return met ? "met" : "missed";
  }

  /**
   * The drops column, {@code app/kernel}: the collector's own drops ({@code -} when not measured)
   * and the kernel's ({@code ?} when unreadable); a plain {@code -} when neither is known.
   */
  static String drops(long collectorDrops, long kernelDrops) {
    if (collectorDrops < 0 && kernelDrops < 0) {
      return "-";
    }
    return (collectorDrops < 0 ? "-" : String.valueOf(collectorDrops))
        + "/"
        + (kernelDrops < 0 ? "?" : String.valueOf(kernelDrops));
  }

  /** Adds the drop counters that are known (not negative) to a result's JSON object. */
  static void putDrops(ObjectNode result, long collectorDrops, long kernelDrops) {
    if (collectorDrops >= 0) {
      result.put("collectorDrops", collectorDrops);
    }
    if (kernelDrops >= 0) {
      result.put("kernelDrops", kernelDrops);
    }
  }

  /** A new, empty JSON object for a report's root. */
  static ObjectNode jsonRoot() {
    return JsonWriter.MAPPER.createObjectNode();
  }

  /** {@code root} indented, with a line end, as {@link #json()} returns it. */
  static String write(ObjectNode root) {
    try {
      return JsonWriter.MAPPER.writeValueAsString(root) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report as JSON", e);
    }
  }

  /** Holds the mapper out of the interface's public constants. */
  final class JsonWriter {
    private static final ObjectMapper MAPPER =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonWriter() {}
  }
}
