package org.vigil.dashboards;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.vigil.model.Documents;

/**
 * Events in a list. Understands {@code *} and {@code field:value} queries joined by {@code AND};
 * anything else is a bad query, as Elasticsearch would say. Remembers the scopes it was asked with,
 * so tests can check the API passes the caller's.
 */
final class InMemoryEventStore implements EventStore {
  private final List<StoredEvent> events = new CopyOnWriteArrayList<>();
  final List<AgencyScope> scopesSeen = new CopyOnWriteArrayList<>();
  volatile RuntimeException failure;

  void add(StoredEvent event) {
    events.add(event);
  }

  @Override
  public EventPage search(EventQuery query) {
    List<StoredEvent> matching = matching(query.filter());
    Comparator<StoredEvent> order =
        Comparator.comparingLong(StoredEvent::timestamp).thenComparing(StoredEvent::id);
    matching.sort(query.ascending() ? order : order.reversed());
    if (query.cursor() != null) {
      long ts = (Long) query.cursor().sortValues().get(0);
      String id = (String) query.cursor().sortValues().get(1);
      StoredEvent after = new StoredEvent(id, "", ts, Map.of());
      matching.removeIf(
          e -> query.ascending() ? order.compare(e, after) <= 0 : order.compare(e, after) >= 0);
    }
    List<StoredEvent> page = matching.subList(0, Math.min(query.size(), matching.size()));
    EventCursor next = null;
    if (page.size() == query.size() && matching.size() > page.size()) {
      StoredEvent last = page.get(page.size() - 1);
      next = new EventCursor(List.of(last.timestamp(), last.id()));
    }
    return new EventPage(matching.size(), false, page, next);
  }

  @Override
  public Optional<StoredEvent> get(String id, AgencyScope scope) {
    check(scope);
    return events.stream()
        .filter(e -> e.id().equals(id) && scope.permits(e.organizationId()))
        .findFirst();
  }

  @Override
  public long count(EventFilter filter) {
    return matching(filter).size();
  }

  @Override
  public EventHistogram histogram(EventFilter filter, long intervalMillis) {
    Map<Long, Long> counts = new HashMap<>();
    for (StoredEvent e : matching(filter)) {
      counts.merge(Math.floorDiv(e.timestamp(), intervalMillis) * intervalMillis, 1L, Long::sum);
    }
    List<EventHistogram.Bucket> buckets = new ArrayList<>();
    for (long t = Math.floorDiv(filter.range().from(), intervalMillis) * intervalMillis;
        t <= filter.range().to();
        t += intervalMillis) {
      buckets.add(new EventHistogram.Bucket(t, counts.getOrDefault(t, 0L)));
    }
    return new EventHistogram(intervalMillis, buckets);
  }

  @Override
  public List<ValueCount> top(EventFilter filter, String field, int size) {
    if (field.equals("message")) {
      throw new IllegalArgumentException(
          "field 'message' is text (full text) and cannot be counted");
    }
    Map<String, Long> counts = new HashMap<>();
    for (StoredEvent e : matching(filter)) {
      Object v = Documents.get(e.source(), field);
      if (v != null) {
        counts.merge(v.toString(), 1L, Long::sum);
      }
    }
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(size)
        .map(e -> new ValueCount(e.getKey(), e.getValue()))
        .toList();
  }

  @Override
  public Overview overview(TimeRange range, AgencyScope scope, long intervalMillis) {
    Map<String, Long> perAgency = new HashMap<>();
    for (StoredEvent e : matching(new EventFilter("*", range, scope))) {
      perAgency.merge(String.valueOf(e.organizationId()), 1L, Long::sum);
    }
    return new Overview(
        intervalMillis,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        perAgency.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> new Overview.AgencyCount(e.getKey(), e.getValue(), 0))
            .toList());
  }

  private List<StoredEvent> matching(EventFilter filter) {
    check(filter.scope());
    Predicate<StoredEvent> query = query(filter.query());
    List<StoredEvent> out = new ArrayList<>();
    for (StoredEvent e : events) {
      if (e.timestamp() >= filter.range().from()
          && e.timestamp() <= filter.range().to()
          && filter.scope().permits(e.organizationId())
          && query.test(e)) {
        out.add(e);
      }
    }
    return out;
  }

  private void check(AgencyScope scope) {
    scopesSeen.add(scope);
    if (failure != null) {
      throw failure;
    }
  }

  private static Predicate<StoredEvent> query(String q) {
    Predicate<StoredEvent> all = e -> true;
    if (q.equals("*")) {
      return all;
    }
    for (String term : q.split(" AND ")) {
      int colon = term.indexOf(':');
      if (colon <= 0 || term.contains("(") || term.contains(")")) {
        throw new IllegalArgumentException("invalid query: Cannot parse '" + q + "'");
      }
      String field = term.substring(0, colon).trim();
      String value = term.substring(colon + 1).trim();
      all = all.and(e -> value.equals(String.valueOf(Documents.get(e.source(), field))));
    }
    return all;
  }
}
