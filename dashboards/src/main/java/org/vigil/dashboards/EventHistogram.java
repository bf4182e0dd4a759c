package org.vigil.dashboards;

import java.util.List;

/**
 * Event counts over time.
 *
 * @param intervalMillis the width of every bucket
 * @param buckets in time order, empty buckets included
 */
public record EventHistogram(long intervalMillis, List<Bucket> buckets) {
  public EventHistogram {
    buckets = List.copyOf(buckets);
  }

  /** Events from {@code time} (epoch milliseconds) to the next bucket. */
  public record Bucket(long time, long count) {}

  /**
   * A readable interval that gives about {@code buckets} buckets over {@code spanMillis}: one of 1
   * s, 5 s, 10 s, 30 s, 1 min, 5 min, 10 min, 30 min, 1 h, 3 h, 6 h, 12 h, 1 d, 7 d, 30 d.
   */
  public static long interval(long spanMillis, int buckets) {
    long[] steps = {
      1_000L,
      5_000L,
      10_000L,
      30_000L,
      60_000L,
      300_000L,
      600_000L,
      1_800_000L,
      3_600_000L,
      10_800_000L,
      21_600_000L,
      43_200_000L,
      86_400_000L,
      604_800_000L,
      2_592_000_000L
    };
    long wanted = Math.max(1, spanMillis / Math.max(1, buckets));
    for (long step : steps) {
      if (step >= wanted) {
        return step;
      }
    }
    return steps[steps.length - 1];
  }
}
