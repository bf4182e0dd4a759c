package org.vigil.dashboards;

/** How many events have {@code value} in a field. */
public record ValueCount(String value, long count) {}
