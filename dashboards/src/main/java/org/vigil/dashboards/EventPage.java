package org.vigil.dashboards;

import java.util.List;

/**
 * One page of events.
 *
 * @param total matching events, counted up to {@link EventStore#TOTAL_HITS_BOUND}
 * @param totalIsLowerBound true when there are more than {@code total}
 * @param next the cursor of the following page; null on the last page
 */
public record EventPage(
    long total, boolean totalIsLowerBound, List<StoredEvent> events, EventCursor next) {
  public EventPage {
    events = List.copyOf(events);
  }
}
