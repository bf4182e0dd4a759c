package org.vigil.dashboards;

import java.util.regex.Pattern;
import org.vigil.model.AlertStatus;
import org.vigil.model.Severity;

/**
 * A page of the alert list, newest first. Null filters match everything.
 *
 * @param text free text matched against the alert's {@code message}
 * @param scope the agencies the caller may see; applied by every store
 */
public record AlertQuery(
    AlertStatus status,
    Severity severity,
    String ruleId,
    String sourceIp,
    String text,
    int from,
    int size,
    AgencyScope scope) {

  public static final int DEFAULT_SIZE = 100;
  public static final int MAX_SIZE = 500;

  /** Elasticsearch's default {@code index.max_result_window}: deeper paging fails there. */
  public static final int MAX_WINDOW = 10_000;

  /** Shape only: Elasticsearch's ip field does the real parsing, this keeps junk out of it. */
  private static final Pattern IP_OR_CIDR = Pattern.compile("[0-9A-Fa-f:.]{2,45}(/[0-9]{1,3})?");

  public AlertQuery {
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size must be between 1 and " + MAX_SIZE + ": " + size);
    }
    if (from < 0 || from + size > MAX_WINDOW) {
      throw new IllegalArgumentException(
          "from must be at least 0 and from + size at most " + MAX_WINDOW + ": " + from);
    }
    if (scope == null) {
      throw new IllegalArgumentException("an alert query needs an agency scope");
    }
    ruleId = blankToNull(ruleId);
    sourceIp = blankToNull(sourceIp);
    if (sourceIp != null && !IP_OR_CIDR.matcher(sourceIp).matches()) {
      throw new IllegalArgumentException(
          "source.ip must be an IPv4 or IPv6 address or CIDR range: " + sourceIp);
    }
    text = blankToNull(text);
  }

  /** The newest alerts the scope allows, no filters. */
  public static AlertQuery latest(AgencyScope scope) {
    return new AlertQuery(null, null, null, null, null, 0, DEFAULT_SIZE, scope);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
