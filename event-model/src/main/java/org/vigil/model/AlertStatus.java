package org.vigil.model;

import java.util.Locale;

/** Where an alert is in the analysts' triage workflow. */
public enum AlertStatus {
  NEW,
  ACKNOWLEDGED,
  IN_PROGRESS,
  CLOSED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AlertStatus fromWireName(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
