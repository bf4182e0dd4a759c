package org.vigil.model;

import java.util.Locale;

/** How a closed alert was judged. */
public enum Resolution {
  TRUE_POSITIVE,
  FALSE_POSITIVE,
  BENIGN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Resolution fromWireName(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
