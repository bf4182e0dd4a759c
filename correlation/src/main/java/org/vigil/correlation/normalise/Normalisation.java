package org.vigil.correlation.normalise;

import java.util.List;
import java.util.Map;

/**
 * What a normaliser made of one message.
 *
 * @param normaliser the normaliser's name
 * @param pattern the id of the pattern that matched, or null when the normaliser applies to the
 *     program but none of its patterns matched (then only its common fields are set)
 * @param fields ECS fields under dotted names, in order: common fields, key-value fields, the
 *     pattern's constant fields, captures, then derived fields
 * @param rejectedFields fields whose captured text did not convert to their type and were left out
 */
public record Normalisation(
    String normaliser, String pattern, Map<String, Object> fields, List<String> rejectedFields) {

  public boolean matched() {
    return pattern != null;
  }
}
