package org.vigil.model;

/** How a raw record reached the collector. */
public enum Transport {
  UDP,
  TCP,
  TLS;

  /** Lower-case name, as written in envelope headers and in {@code network.transport}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Transport fromWireName(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }
}
