package org.vigil.dashboards;

import java.util.Locale;
import java.util.Set;

/** What a dashboard user may do. The wire names are what the user store and the API carry. */
public enum Role {
  ANALYST,
  RULE_ADMIN,
  AUDITOR,
  ADMIN;

  /** Roles that may read alerts: everyone with a dashboard role. */
  public static final Set<Role> ALERT_READERS = Set.of(ANALYST, RULE_ADMIN, AUDITOR, ADMIN);

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code analyst|rule_admin|auditor|admin}, case-insensitive. */
  public static Role fromWireName(String name) {
    if (name != null) {
      for (Role role : values()) {
        if (role.wireName().equalsIgnoreCase(name.trim())) {
          return role;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown role '" + name + "': use analyst, rule_admin, auditor or admin");
  }
}
