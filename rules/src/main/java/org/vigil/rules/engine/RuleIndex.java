package org.vigil.rules.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vigil.model.Event;

/**
 * Finds the rules of a pack that accept an event without asking every rule: each rule is filed
 * under the values it requires, those of its first {@code @match} condition (else its categories),
 * and an event looks up its own values of the few fields filed under. A pack of fifty rules over
 * twenty-five datasets asked fifty rules for every event, and about two said yes. Immutable and
 * thread-safe.
 */
final class RuleIndex {
  private final List<RuleDefinition> rules;

  /** Field, then required value, then the positions in {@link #rules} of the rules filed there. */
  private final Map<String, Map<String, int[]>> byValue;

  /** Positions of the rules that require no value: asked for every event. */
  private final int[] unfiled;

  RuleIndex(List<RuleDefinition> rules) {
    this.rules = List.copyOf(rules);
    Map<String, Map<String, List<Integer>>> filed = new LinkedHashMap<>();
    List<Integer> rest = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      RuleDefinition rule = rules.get(i);
      if (!rule.match().isEmpty()) {
        Map.Entry<String, Set<String>> first = rule.match().entrySet().iterator().next();
        for (String value : first.getValue()) {
          file(filed, first.getKey(), value, i);
        }
      } else if (!rule.categories().isEmpty()) {
        for (String category : rule.categories()) {
          file(filed, "event.category", category, i);
        }
      } else {
        rest.add(i);
      }
    }
    Map<String, Map<String, int[]>> index = new HashMap<>();
    for (Map.Entry<String, Map<String, List<Integer>>> field : filed.entrySet()) {
      Map<String, int[]> values = new HashMap<>();
      for (Map.Entry<String, List<Integer>> value : field.getValue().entrySet()) {
        values.put(value.getKey(), positions(value.getValue()));
      }
      index.put(field.getKey(), values);
    }
    this.byValue = index;
    this.unfiled = positions(rest);
  }

  private static void file(
      Map<String, Map<String, List<Integer>>> filed, String field, String value, int position) {
    filed
        .computeIfAbsent(field, f -> new LinkedHashMap<>())
        .computeIfAbsent(value, v -> new ArrayList<>())
        .add(position);
  }

  private static int[] positions(List<Integer> list) {
    int[] array = new int[list.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = list.get(i);
    }
    return array;
  }

  /** The rules that {@link RuleDefinition#accepts accept} the event, in the pack's order. */
  List<RuleDefinition> accepting(Event e) {
    boolean[] candidate = new boolean[rules.size()];
    for (int position : unfiled) {
      candidate[position] = true;
    }
    for (Map.Entry<String, Map<String, int[]>> field : byValue.entrySet()) {
      Object value = e.get(field.getKey());
      if (value instanceof Collection<?> values) {
        for (Object v : values) {
          if (v instanceof String s) { // Event.has compares list elements with equals
            mark(field.getValue().get(s), candidate);
          }
        }
      } else if (value != null) {
        mark(field.getValue().get(value.toString()), candidate);
      }
    }
    List<RuleDefinition> accepting = new ArrayList<>(2);
    for (int i = 0; i < candidate.length; i++) {
      if (candidate[i] && rules.get(i).accepts(e)) {
        accepting.add(rules.get(i));
      }
    }
    return accepting;
  }

  private static void mark(int[] positions, boolean[] candidate) {
    if (positions != null) {
      for (int position : positions) {
        candidate[position] = true;
      }
    }
  }
}
