package org.vigil.correlation.enrich;

import java.util.Locale;
import org.vigil.model.Severity;

/**
 * How much an asset matters to its agency, from the asset inventory. Weighs an alert's risk score
 * the way Elastic Security's asset criticality does, so that the same rule firing for a domain
 * controller outranks it firing for a kiosk.
 */
public enum AssetCriticality {
  LOW(0.5),
  MEDIUM(1.0),
  HIGH(1.5),
  CRITICAL(2.0);

  private final double multiplier;

  AssetCriticality(double multiplier) {
    this.multiplier = multiplier;
  }

  /** The factor on the severity score; an asset of unknown criticality counts 1.0. */
  public double multiplier() {
    return multiplier;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code low|medium|high|critical}, case-insensitive.
   *
   * @throws IllegalArgumentException naming the wrong value and the right ones
   */
  public static AssetCriticality fromWireName(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown criticality '" + name + "': use low, medium, high or critical", e);
    }
  }

  /** The wire name's criticality, or null for null or an unknown name (a hand-edited event). */
  public static AssetCriticality fromWireNameOrNull(String name) {
    if (name == null) {
      return null;
    }
    try {
      return fromWireName(name);
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }

  /**
   * An alert's risk score, 0-100: the rule's severity score (low 21, medium 47, high 73, critical
   * 99) times the asset's multiplier (low 0.5, medium 1.0, high 1.5, critical 2.0, unknown 1.0),
   * rounded and capped at 100.
   *
   * @param criticality of the asset at stake, or null when none is known
   */
  public static int riskScore(Severity severity, AssetCriticality criticality) {
    double factor = criticality == null ? 1.0 : criticality.multiplier;
    return (int) Math.min(100, Math.round(severity.score() * factor));
  }

  /** The more critical of two, either may be null. */
  public static AssetCriticality higher(AssetCriticality a, AssetCriticality b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.compareTo(b) >= 0 ? a : b;
  }
}
