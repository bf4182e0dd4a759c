package org.vigil.dashboards;

/**
 * Which events a search, histogram, top-values list or export covers.
 *
 * @param query Lucene query string over ECS field names; {@code *} for every event
 * @param range the time range on {@code @timestamp}
 * @param scope the caller's agencies: every store call filters {@code organization.id} by it
 */
public record EventFilter(String query, TimeRange range, AgencyScope scope) {

  public static final int MAX_QUERY_LENGTH = 4096;

  public EventFilter {
    query = query == null || query.isBlank() ? "*" : query.trim();
    if (query.length() > MAX_QUERY_LENGTH) {
      throw new IllegalArgumentException(
          "q is too long: at most " + MAX_QUERY_LENGTH + " characters");
    }
    if (range == null || scope == null) {
      throw new IllegalArgumentException("an event filter needs a time range and a scope");
    }
  }
}
