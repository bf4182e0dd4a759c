package org.vigil.dashboards.reports;

import java.time.Duration;
import java.time.Instant;

/**
 * How a sender reported over a period {@code [from, to)}: fed its event times in ascending order,
 * it keeps the count, the first and last time and the longest silence, and nothing else, so an
 * asset's million events a week pass through in constant memory.
 *
 * <p>The longest silence is the longest stretch of the period without an event: between two
 * consecutive events, from {@code from} to the first, or from the last to {@code to}. A sender with
 * no event was silent for the whole period.
 */
final class ReportingGaps {
  private final long from;
  private final long to;
  private long count;
  private long first = Long.MIN_VALUE;
  private long last = Long.MIN_VALUE;
  private long longestBetween;

  ReportingGaps(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException(
          "the period must end after it starts: " + from + ", " + to);
    }
    this.from = from.toEpochMilli();
    this.to = to.toEpochMilli();
  }

  /**
   * Takes the next event time.
   *
   * @throws IllegalArgumentException when it lies outside the period or before the previous one:
   *     the gaps would then be wrong, and a report must not print wrong gaps
   */
  void add(long epochMillis) {
    if (epochMillis < from || epochMillis >= to) {
      throw new IllegalArgumentException(
          "event time " + Instant.ofEpochMilli(epochMillis) + " is outside the period");
    }
    if (count == 0) {
      first = epochMillis;
    } else if (epochMillis < last) {
      throw new IllegalArgumentException(
          "event times must come in ascending order: "
              + Instant.ofEpochMilli(epochMillis)
              + " after "
              + Instant.ofEpochMilli(last));
    } else {
      longestBetween = Math.max(longestBetween, epochMillis - last);
    }
    last = epochMillis;
    count++;
  }

  long count() {
    return count;
  }

  /** The first event's time; null when there was none. */
  Instant first() {
    return count == 0 ? null : Instant.ofEpochMilli(first);
  }

  /** The last event's time; null when there was none. */
  Instant last() {
    return count == 0 ? null : Instant.ofEpochMilli(last);
  }

  Duration longestSilence() {
    if (count == 0) {
      return Duration.ofMillis(to - from);
    }
    long longest = Math.max(longestBetween, Math.max(first - from, to - last));
    return Duration.ofMillis(longest);
  }

  /** Whether the sender has been quiet for at least {@code silence} when the period ends. */
  boolean silentAtEnd(Duration silence) {
    return count == 0 || to - last >= silence.toMillis();
  }
}
