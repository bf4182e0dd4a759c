package org.vigil.elasticsearch;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Index names of the document contract.
 *
 * <p>Events go to one index per UTC day, so retention deletes whole indices (the minimal
 * distribution has neither ILM nor {@code _delete_by_query}). An event's day comes from its own
 * {@code @timestamp}, so a replayed event lands in the same index and overwrites itself.
 *
 * <p>Alerts go to one concrete index, {@value #ALERTS}, never to a date- or rollover-based one: an
 * alert is updated again and again (count, last_seen) for as long as its window is open, and
 * analysts update its triage fields later still. If two writes of the same alert could land in
 * different indices, its {@code _id} would no longer be unique across {@code vigil-alerts*} and the
 * triage of one copy would hide behind the other. Readers use the alias {@value #ALERTS_ALIAS}; a
 * future {@code vigil-alerts-v2} (e.g. after a mapping change) is filled by a reindex and takes
 * over the alias, and the job is switched to it at the same time.
 */
public final class Indices {
  /** Pattern of the daily event indices (templates, searches, retention). */
  public static final String EVENTS_PATTERN = "vigil-events-*";

  /** Read alias over all daily event indices. */
  public static final String EVENTS_ALIAS = "vigil-events";

  /** The concrete index every alert is written to. */
  public static final String ALERTS = "vigil-alerts-v1";

  /** Alias over {@link #ALERTS}, for readers. */
  public static final String ALERTS_ALIAS = "vigil-alerts";

  /** Pattern of the alert indices (templates, searches). */
  public static final String ALERTS_PATTERN = "vigil-alerts*";

  private static final String EVENTS_PREFIX = "vigil-events-";
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("uuuu.MM.dd").withZone(ZoneOffset.UTC);

  private static final long DAY_MILLIS = 86_400_000L;

  /**
   * The last day asked for and its index name: nearly every event of a stream falls on the day of
   * the one before it, and formatting the date took 3 % of the parse stage.
   */
  private static volatile EventsDay lastDay = new EventsDay(0, format(0));

  private record EventsDay(long day, String index) {}

  private Indices() {}

  /** The daily events index for an event time: {@code vigil-events-2025.01.31} (UTC). */
  public static String events(long epochMillis) {
    long day = Math.floorDiv(epochMillis, DAY_MILLIS);
    EventsDay last = lastDay;
    if (last.day() == day) {
      return last.index();
    }
    String index = format(epochMillis);
    lastDay = new EventsDay(day, index);
    return index;
  }

  private static String format(long epochMillis) {
    return EVENTS_PREFIX + DAY.format(Instant.ofEpochMilli(epochMillis));
  }
}
