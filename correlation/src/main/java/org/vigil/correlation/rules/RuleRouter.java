package org.vigil.correlation.rules;

import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;
import org.vigil.model.Alert;
import org.vigil.model.Event;
import org.vigil.rules.engine.RuleDefinition;
import org.vigil.rules.engine.RulePack;

/**
 * Sends each event only to the rules that can use it, once per rule, keyed by that rule's group-by
 * fields. Most events interest no rule and stop here.
 */
public final class RuleRouter extends RichFlatMapFunction<Event, RoutedEvent> {
  private static final long serialVersionUID = 1L;

  private transient RulePack pack;

  @Override
  public void open(OpenContext openContext) {
    pack = RulePack.builtIn();
  }

  @Override
  public void flatMap(Event event, Collector<RoutedEvent> out) {
    for (RuleDefinition rule : pack.rules()) {
      if (!rule.accepts(event)) {
        continue;
      }
      Map<String, String> group = rule.groupOf(event);
      if (group != null) {
        out.collect(
            new RoutedEvent(RoutedEvent.keyOf(rule.id(), Alert.groupKey(group)), rule.id(), event));
      }
    }
  }
}
