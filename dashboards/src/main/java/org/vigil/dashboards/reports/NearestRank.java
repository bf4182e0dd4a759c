package org.vigil.dashboards.reports;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Nearest-rank percentiles: the value at rank ⌈p/100 × n⌉ of the sorted values. Always a value that
 * occurred (no interpolation), so an auditor can find the alert it came from, and the same on every
 * run, unlike Elasticsearch's approximate percentiles. The median of an even count is the lower of
 * the two middle values.
 */
final class NearestRank {
  private NearestRank() {}

  /**
   * @param values in any order; not changed
   * @param percent more than 0, at most 100
   * @return empty when there are no values
   */
  static OptionalLong percentile(long[] values, int percent) {
    if (percent <= 0 || percent > 100) {
      throw new IllegalArgumentException("a percentile is more than 0 and at most 100: " + percent);
    }
    if (values.length == 0) {
      return OptionalLong.empty();
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return OptionalLong.of(sortedPercentile(sorted, percent));
  }

  /** As {@link #percentile} over values already sorted ascending and not empty. */
  static long sortedPercentile(long[] sorted, int percent) {
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(1, rank) - 1];
  }
}
