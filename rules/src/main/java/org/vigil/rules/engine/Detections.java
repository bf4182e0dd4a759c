package org.vigil.rules.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vigil.model.Event;

/**
 * The DRL global through which a rule reports a match: {@code detections.raise($events)}. A rule's
 * consequence only names the events it matched; this class turns them into a {@link Detection}
 * (group, evidence ids in event-time order, first and last seen, trigger = newest), so no rule
 * builds alerts, does I/O or knows about Flink.
 *
 * <p>Declare it in every DRL file that holds detection rules:
 *
 * <pre>global org.vigil.rules.engine.Detections detections;</pre>
 *
 * <p>One instance lives as long as its {@link RuleSession}. Between two drains (one insert) an
 * event triggers at most one detection: when a rule raises again for the same newest event, the
 * first, fullest, raise stands.
 */
public final class Detections {
  /** Evidence order: event time, then the order in which the engine inserted the facts. */
  private static final Comparator<Event> EVENT_TIME = Comparator.comparingLong(Event::getTimestamp);

  private final RuleDefinition rule;
  private final Map<String, Detection> byTrigger = new LinkedHashMap<>();

  Detections(RuleDefinition rule) {
    this.rule = rule;
  }

  /** Reports a match on these events; non-event elements (derived facts) are ignored. */
  public void raise(Collection<?> evidence) {
    List<Event> events = new ArrayList<>(evidence.size());
    Set<Event> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Object o : evidence) {
      if (o instanceof Event e && seen.add(e)) {
        events.add(e);
      }
    }
    if (events.isEmpty()) {
      throw new IllegalArgumentException(
          "rule '" + rule.id() + "' raised a detection without any event as evidence");
    }
    events.sort(EVENT_TIME);
    Event trigger = events.get(events.size() - 1);
    if (byTrigger.containsKey(trigger.getId())) {
      return;
    }
    Map<String, String> group = rule.groupOf(trigger);
    if (group == null) {
      throw new IllegalArgumentException(
          "rule '"
              + rule.id()
              + "' matched event "
              + trigger.getId()
              + " without its group-by fields");
    }
    List<String> ids = new ArrayList<>(events.size());
    for (Event e : events) {
      ids.add(e.getId());
    }
    byTrigger.put(
        trigger.getId(),
        new Detection(
            rule.id(),
            group,
            ids,
            events.get(0).getTimestamp(),
            trigger.getTimestamp(),
            trigger.getId()));
  }

  /** Reports a match on these events, e.g. {@code detections.raise($e)} for a single-event rule. */
  public void raise(Event... evidence) {
    raise(List.of(evidence));
  }

  /** The detections raised since the last drain, which starts the next round empty. */
  List<Detection> drain() {
    if (byTrigger.isEmpty()) {
      return List.of();
    }
    List<Detection> raised = List.copyOf(byTrigger.values());
    byTrigger.clear();
    return raised;
  }
}
