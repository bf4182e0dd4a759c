package org.vigil.dashboards;

import java.util.Locale;

/** A component's state, as Elasticsearch names cluster health: worse states sort later. */
public enum HealthStatus {
  GREEN,
  YELLOW,
  RED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public HealthStatus worst(HealthStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
