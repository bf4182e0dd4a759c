package org.vigil.correlation.rules;

import java.io.Serializable;
import org.vigil.model.Event;

/**
 * An event on its way to one rule, keyed by that rule and the event's group (e.g. its source
 * address), so that each rule sees, per key, only the events it can correlate.
 */
public final class RoutedEvent implements Serializable {
  private static final long serialVersionUID = 1L;

  public String key;
  public String ruleId;
  public Event event;

  public RoutedEvent() {}

  public RoutedEvent(String key, String ruleId, Event event) {
    this.key = key;
    this.ruleId = ruleId;
    this.event = event;
  }

  public String getKey() {
    return key;
  }

  /** The key of a rule and a group: {@code auth-brute-force|source.ip=203.0.113.9}. */
  public static String keyOf(String ruleId, String groupKey) {
    return ruleId + "|" + groupKey;
  }

  /** The rule id part of a key made by {@link #keyOf}. */
  public static String ruleIdOf(String key) {
    int bar = key.indexOf('|');
    return bar < 0 ? key : key.substring(0, bar);
  }
}
