package org.vigil.dashboards.reports;

/**
 * A headline number of a section, e.g. "Assets reporting: 41 of 44".
 *
 * @param key a stable name for machines (other sections and tests refer to it), e.g. {@code
 *     assets.reporting}
 * @param label what it is, for people
 * @param value the number or short text as printed
 */
public record ReportFigure(String key, String label, String value) {}
