package org.vigil.dashboards;

/**
 * A search of the audit trail, newest first. Null filters match everything.
 *
 * @param from lower bound on {@code @timestamp}: ISO-8601 or Elasticsearch date math ({@code
 *     now-24h})
 * @param to upper bound on {@code @timestamp}, same forms
 */
public record AuditQuery(
    String actor, String action, String target, String from, String to, int offset, int size) {
  public static final int MAX_SIZE = 1000;

  /** Elasticsearch pages no deeper than this without a scroll. */
  public static final int MAX_WINDOW = 10_000;

  public AuditQuery {
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size must be 1.." + MAX_SIZE + ": " + size);
    }
    if (offset < 0 || offset + size > MAX_WINDOW) {
      throw new IllegalArgumentException(
          "offset must be 0 or more and offset + size at most "
              + MAX_WINDOW
              + ": narrow the time range instead of paging further");
    }
  }
}
