package org.vigil.correlation.rules;

import org.vigil.model.Documents;
import org.vigil.model.Event;

/** Authentication events as the sshd normaliser makes them, for the rule stage tests. */
final class AuthEvents {
  static final long T0 = 1_764_000_000_000L;

  private AuthEvents() {}

  static Event failure(String id, String sourceIp, long timestamp) {
    return auth(id, sourceIp, timestamp, "failure");
  }

  static Event success(String id, String sourceIp, long timestamp) {
    return auth(id, sourceIp, timestamp, "success");
  }

  private static Event auth(String id, String sourceIp, long timestamp, String outcome) {
    return new Event(id, timestamp)
        .put("event.kind", "event")
        .put("event.category", "authentication")
        .put("event.type", new java.util.ArrayList<>(java.util.List.of("start")))
        .put("event.outcome", outcome)
        .put("event.dataset", "syslog.sshd")
        .put("event.ingested", Documents.isoTime(timestamp + 100))
        .put("source.ip", sourceIp)
        .put("user.name", "root");
  }

  /** The event as the router sends it to the built-in brute-force rule. */
  static RoutedEvent routed(Event e) {
    return routed(e, 0);
  }

  /** The event as a router running release {@code packVersion} of ruleset vigil sends it. */
  static RoutedEvent routed(Event e, int packVersion) {
    return new RoutedEvent(
        "vigil", "auth-brute-force", packVersion, "source.ip=" + e.getSourceIp(), e);
  }
}
