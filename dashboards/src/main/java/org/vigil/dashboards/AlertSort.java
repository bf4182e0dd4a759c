package org.vigil.dashboards;

import java.util.Locale;

/** What the alert queue can be ordered by, and the indexed field behind each choice. */
public enum AlertSort {
  TIMESTAMP("timestamp", "@timestamp", true),
  SEVERITY("severity", "event.severity", false),
  RISK_SCORE("riskScore", "vigil.alert.risk_score", false),
  COUNT("count", "vigil.alert.count", false),
  LAST_SEEN("lastSeen", "vigil.alert.last_seen", true);

  private final String wireName;
  private final String field;
  private final boolean date;

  AlertSort(String wireName, String field, boolean date) {
    this.wireName = wireName;
    this.field = field;
    this.date = date;
  }

  public String wireName() {
    return wireName;
  }

  /** The alert document field sorted on. */
  public String field() {
    return field;
  }

  /** Whether {@link #field()} is a date (else a number): the type to assume when unmapped. */
  public boolean date() {
    return date;
  }

  /** Parses {@code timestamp|severity|riskScore|count|lastSeen}, case-insensitive. */
  public static AlertSort fromWireName(String name) {
    for (AlertSort sort : values()) {
      if (sort.wireName.toLowerCase(Locale.ROOT).equals(name.trim().toLowerCase(Locale.ROOT))) {
        return sort;
      }
    }
    throw new IllegalArgumentException(
        "unknown sort '" + name + "': use timestamp, severity, riskScore, count or lastSeen");
  }
}
