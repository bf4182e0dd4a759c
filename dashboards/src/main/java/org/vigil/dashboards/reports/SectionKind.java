package org.vigil.dashboards.reports;

import java.util.Locale;

/** The sections a report can have, in the order they are printed. */
public enum SectionKind {
  COVERAGE("Monitoring coverage"),
  DETECTION("Detection"),
  RESPONSE("Response"),
  ACCESS("Access"),
  CONTROLS("Control mapping");

  private final String title;

  SectionKind(String title) {
    this.title = title;
  }

  /** The heading printed for the section. */
  public String title() {
    return title;
  }

  /** The name used in definition files and URLs, e.g. {@code coverage}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads a wire name; the error lists the names there are. */
  public static SectionKind fromWire(String name) {
    for (SectionKind kind : values()) {
      if (kind.wireName().equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown report section '"
            + name
            + "': use coverage, detection, response, access or controls");
  }
}
