package org.vigil.model;

import java.util.Locale;

/**
 * Alert severity. The numeric score goes to {@code event.severity}; it follows the risk scores
 * Elastic Security's detection rules use for the same four levels, so cross-tool reports line up.
 */
public enum Severity {
  LOW(21),
  MEDIUM(47),
  HIGH(73),
  CRITICAL(99);

  private final int score;

  Severity(int score) {
    this.score = score;
  }

  public int score() {
    return score;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code low|medium|high|critical}, case-insensitive. */
  public static Severity fromWireName(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown severity '" + name + "': use low, medium, high or critical", e);
    }
  }
}
