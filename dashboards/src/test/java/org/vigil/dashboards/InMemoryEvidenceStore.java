package org.vigil.dashboards;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.vigil.model.Documents;
import org.vigil.model.Event;

/** Event documents in a map, keyed by id. */
final class InMemoryEvidenceStore implements EvidenceStore {
  private final Map<String, EvidenceEvent> events = new ConcurrentHashMap<>();

  void add(Event event) {
    events.put(
        event.getId(),
        new EvidenceEvent(
            event.getId(), "vigil-events-test", event.getTimestamp(), event.toDocument()));
  }

  @Override
  public List<EvidenceEvent> events(List<String> ids, AgencyScope scope) {
    return ids.stream()
        .map(events::get)
        .filter(e -> e != null)
        .filter(
            e -> {
              Object org = Documents.get(e.source(), "organization.id");
              return scope.permits(org == null ? null : org.toString());
            })
        .sorted(Comparator.comparingLong(EvidenceEvent::timestamp))
        .toList();
  }
}
