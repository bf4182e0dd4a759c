package org.vigil.dashboards;

import java.util.List;

/**
 * The SOC overview over a time range, within the caller's agencies.
 *
 * @param intervalMillis the width of the time buckets of the two series
 */
public record Overview(
    long intervalMillis,
    List<SourceTypeRate> eventsBySourceType,
    List<SeverityCount> alertsBySeverity,
    List<RuleCount> topRules,
    List<ValueCount> topSources,
    List<Talker> topTalkers,
    List<AgencyCount> agencies) {

  public Overview {
    eventsBySourceType = List.copyOf(eventsBySourceType);
    alertsBySeverity = List.copyOf(alertsBySeverity);
    topRules = List.copyOf(topRules);
    topSources = List.copyOf(topSources);
    topTalkers = List.copyOf(topTalkers);
    agencies = List.copyOf(agencies);
  }

  /** Events per second of one {@code event.dataset} in the bucket starting at {@code time}. */
  public record SourceTypeRate(long time, String type, double perSecond) {}

  public record SeverityCount(long time, String severity, long count) {}

  public record RuleCount(String ruleId, String ruleName, long count) {}

  /** A NetFlow/IPFIX conversation and the bytes it carried. */
  public record Talker(String source, String destination, long bytes) {}

  public record AgencyCount(String id, long events, long alerts) {}
}
