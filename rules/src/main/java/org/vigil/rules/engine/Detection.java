package org.vigil.rules.engine;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a rule concluded: evidence = ids of the events it matched, in event-time order.
 *
 * @param ruleId the rule's {@code @id}
 * @param group the rule's group-by field values, in group-by order
 * @param evidenceIds ids of the matched events, oldest first
 * @param firstSeen event time of the oldest evidence, epoch milliseconds
 * @param lastSeen event time of the newest evidence, epoch milliseconds
 * @param triggerEventId id of the newest evidence, the event that completed the match
 */
public record Detection(
    String ruleId,
    Map<String, String> group,
    List<String> evidenceIds,
    long firstSeen,
    long lastSeen,
    String triggerEventId)
    implements Serializable {

  public Detection {
    Objects.requireNonNull(ruleId, "ruleId");
    group = Collections.unmodifiableMap(new LinkedHashMap<>(group));
    evidenceIds = List.copyOf(evidenceIds);
    if (evidenceIds.isEmpty()) {
      throw new IllegalArgumentException("a detection needs at least one evidence event");
    }
    if (firstSeen > lastSeen) {
      throw new IllegalArgumentException("firstSeen " + firstSeen + " after lastSeen " + lastSeen);
    }
  }
}
