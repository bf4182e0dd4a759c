package org.vigil.dashboards;

import java.util.Map;

/**
 * An event document an alert cites as evidence.
 *
 * @param timestamp the event's {@code @timestamp}, epoch milliseconds (0 when missing)
 * @param source the document as stored: nested ECS objects
 */
public record EvidenceEvent(String id, String index, long timestamp, Map<String, Object> source) {
  public EvidenceEvent {
    source = source == null ? Map.of() : source;
  }
}
