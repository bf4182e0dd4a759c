package org.vigil.correlation.rules;

import java.io.Serializable;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.vigil.correlation.types.EventTypeInfo;
import org.vigil.model.Event;

/**
 * An event on its way to one rule, keyed by the rule's ruleset, the rule and the event's group
 * (e.g. its source address), so that each rule sees, per key, only the events it can correlate.
 *
 * <p>{@link #packVersion} is the release of the ruleset the router used: the rule stage may not
 * have swapped to it yet, and then holds the event until it has (see {@link RuleEvaluator}).
 */
public final class RoutedEvent implements Serializable {
  private static final long serialVersionUID = 2L;

  /**
   * Its type information, spelled out so that a TaskManager's state descriptors serialize the event
   * with {@link org.vigil.correlation.types.EventSerializer} as the client's job graph does,
   * whatever that JVM's type registrations.
   */
  public static final TypeInformation<RoutedEvent> TYPE =
      Types.POJO(
          RoutedEvent.class,
          Map.of(
              "key", Types.STRING,
              "ruleset", Types.STRING,
              "ruleId", Types.STRING,
              "packVersion", Types.INT,
              "event", EventTypeInfo.INSTANCE));

  public String key;
  public String ruleset;
  public String ruleId;
  public int packVersion;
  public Event event;

  public RoutedEvent() {}

  public RoutedEvent(String ruleset, String ruleId, int packVersion, String groupKey, Event event) {
    this.key = keyOf(ruleset, ruleId, groupKey);
    this.ruleset = ruleset;
    this.ruleId = ruleId;
    this.packVersion = packVersion;
    this.event = event;
  }

  public String getKey() {
    return key;
  }

  /** The key of a rule and a group: {@code vigil/auth-brute-force|source.ip=203.0.113.9}. */
  public static String keyOf(String ruleset, String ruleId, String groupKey) {
    return ruleset + "/" + ruleId + "|" + groupKey;
  }

  /** The ruleset part of a key made by {@link #keyOf}. */
  public static String rulesetOf(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }

  /** The rule id part of a key made by {@link #keyOf}. */
  public static String ruleIdOf(String key) {
    int slash = key.indexOf('/');
    int bar = key.indexOf('|', slash + 1);
    return key.substring(slash + 1, bar < 0 ? key.length() : bar);
  }
}
