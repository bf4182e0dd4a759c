package org.vigil.dashboards;

import java.util.List;
import java.util.Optional;

/**
 * Events as the correlation job indexed them, always read within a caller's {@link AgencyScope}.
 * Calls block (network): keep them off the event loop. Bad input from the caller (a query that does
 * not parse, a field that cannot be counted) is an {@link IllegalArgumentException} whose message
 * says what to fix.
 */
public interface EventStore {

  /** Totals are counted exactly up to this many hits, then reported as "at least". */
  int TOTAL_HITS_BOUND = 100_000;

  /** One page, newest first unless the query asks for oldest first. */
  EventPage search(EventQuery query);

  /** The event with this document id, or empty when there is none in the scope. */
  Optional<StoredEvent> get(String id, AgencyScope scope);

  /** How many events match, exactly. */
  long count(EventFilter filter);

  /** Event counts per time bucket of {@code intervalMillis}, empty buckets included. */
  EventHistogram histogram(EventFilter filter, long intervalMillis);

  /**
   * The most frequent values of a field.
   *
   * @throws IllegalArgumentException when the field is unknown or is full text (not countable)
   */
  List<ValueCount> top(EventFilter filter, String field, int size);

  /** The overview over events and alerts in the filter's range and scope. */
  Overview overview(TimeRange range, AgencyScope scope, long intervalMillis);
}
