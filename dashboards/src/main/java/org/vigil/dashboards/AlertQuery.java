package org.vigil.dashboards;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.vigil.model.AlertStatus;
import org.vigil.model.Severity;

/**
 * A page of the alert queue. Null or empty filters match everything.
 *
 * @param statuses any of these statuses
 * @param severities any of these severities
 * @param organizationId one agency; the scope still applies, so an agency outside it matches none
 * @param assignee a username, or {@link #UNASSIGNED} for alerts nobody has taken
 * @param text free text matched against the alert's {@code message}
 * @param eventId alerts whose evidence holds this event document id (the pivot back from search)
 * @param from earliest {@code @timestamp}: ISO-8601 or Elasticsearch date math ({@code now-24h})
 * @param to latest {@code @timestamp}, same forms as {@code from}
 * @param scope the agencies the caller may see; applied by every store
 */
public record AlertQuery(
    Set<AlertStatus> statuses,
    Set<Severity> severities,
    String ruleId,
    String organizationId,
    String assignee,
    String sourceIp,
    String text,
    String eventId,
    String from,
    String to,
    AlertSort sort,
    boolean ascending,
    int offset,
    int size,
    AgencyScope scope) {

  public static final int DEFAULT_SIZE = 100;
  public static final int MAX_SIZE = 500;

  /** The {@code assignee} value that selects alerts without an assignee. */
  public static final String UNASSIGNED = "none";

  /** Elasticsearch's default {@code index.max_result_window}: deeper paging fails there. */
  public static final int MAX_WINDOW = 10_000;

  /** Shape only: Elasticsearch's ip field does the real parsing, this keeps junk out of it. */
  private static final Pattern IP_OR_CIDR = Pattern.compile("[0-9A-Fa-f:.]{2,45}(/[0-9]{1,3})?");

  /** ISO-8601 dates and times, or date math anchored at now; Elasticsearch parses them fully. */
  private static final Pattern TIME_BOUND =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})?)?"
              + "|now([+-]\\d{1,9}[yMwdhHms])*(/[yMwdhHms])?");

  public AlertQuery {
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size must be between 1 and " + MAX_SIZE + ": " + size);
    }
    if (offset < 0 || offset + size > MAX_WINDOW) {
      throw new IllegalArgumentException(
          "offset must be at least 0 and offset + size at most "
              + MAX_WINDOW
              + ": "
              + offset
              + "; narrow the filters or the time range to reach older alerts");
    }
    if (scope == null) {
      throw new IllegalArgumentException("an alert query needs an agency scope");
    }
    statuses =
        statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
    severities =
        severities == null || severities.isEmpty()
            ? Set.of()
            : Set.copyOf(EnumSet.copyOf(severities));
    ruleId = blankToNull(ruleId);
    organizationId = blankToNull(organizationId);
    assignee = blankToNull(assignee);
    sourceIp = blankToNull(sourceIp);
    if (sourceIp != null && !IP_OR_CIDR.matcher(sourceIp).matches()) {
      throw new IllegalArgumentException(
          "source.ip must be an IPv4 or IPv6 address or CIDR range: " + sourceIp);
    }
    text = blankToNull(text);
    eventId = blankToNull(eventId);
    from = timeBound("from", from);
    to = timeBound("to", to);
    sort = sort == null ? AlertSort.TIMESTAMP : sort;
  }

  /** The newest alerts the scope allows, no filters. */
  public static AlertQuery latest(AgencyScope scope) {
    return new AlertQuery(
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        0,
        DEFAULT_SIZE,
        scope);
  }

  private static String timeBound(String name, String value) {
    String v = blankToNull(value);
    if (v != null && !TIME_BOUND.matcher(v).matches()) {
      throw new IllegalArgumentException(
          name
              + " must be an ISO-8601 time (2026-11-26T10:00:00Z) or date math such as now-24h: "
              + v);
    }
    return v;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
