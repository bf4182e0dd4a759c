package org.vigil.dashboards.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vigil.rules.engine.RuleDefinition;

/**
 * How the rules that ran differ between two moments, by rule id.
 *
 * @param added running afterwards only
 * @param changed running at both moments with a different definition (version, severity, any
 *     metadata) or a different DRL text
 * @param disabled running before only
 */
record RuleChanges(List<String> added, List<String> changed, List<String> disabled) {

  RuleChanges {
    added = List.copyOf(added);
    changed = List.copyOf(changed);
    disabled = List.copyOf(disabled);
  }

  /**
   * @param before the rules running first, by id
   * @param textsBefore their DRL texts by rule id; a rule without one is compared by definition
   * @param after the rules running afterwards, by id
   * @param textsAfter their DRL texts by rule id
   */
  static RuleChanges between(
      Map<String, RuleDefinition> before,
      Map<String, String> textsBefore,
      Map<String, RuleDefinition> after,
      Map<String, String> textsAfter) {
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> disabled = new ArrayList<>();
    for (Map.Entry<String, RuleDefinition> rule : after.entrySet()) {
      RuleDefinition earlier = before.get(rule.getKey());
      if (earlier == null) {
        added.add(rule.getKey());
      } else if (!earlier.equals(rule.getValue())
          || !Objects.equals(textsBefore.get(rule.getKey()), textsAfter.get(rule.getKey()))) {
        changed.add(rule.getKey());
      }
    }
    for (String id : before.keySet()) {
      if (!after.containsKey(id)) {
        disabled.add(id);
      }
    }
    return new RuleChanges(added, changed, disabled);
  }

  boolean isEmpty() {
    return added.isEmpty() && changed.isEmpty() && disabled.isEmpty();
  }
}
