package org.vigil.dashboards;

/**
 * One page of an event search.
 *
 * @param cursor where the page starts; null for the first page
 * @param ascending oldest first; the default is newest first
 */
public record EventQuery(EventFilter filter, int size, EventCursor cursor, boolean ascending) {
  public static final int DEFAULT_SIZE = 50;
  public static final int MAX_SIZE = 500;

  public EventQuery {
    if (filter == null) {
      throw new IllegalArgumentException("an event query needs a filter");
    }
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size must be 1.." + MAX_SIZE + ": " + size);
    }
  }
}
