package org.vigil.correlation.enrich;

/**
 * An event value found in a threat-intel feed.
 *
 * @param atomic the event's value that matched, as the event has it
 * @param field the ECS field it is in, e.g. {@code destination.ip}
 * @param type the indicator's type
 * @param provider the feed's file name
 */
public record ThreatMatch(String atomic, String field, IndicatorType type, String provider) {}
