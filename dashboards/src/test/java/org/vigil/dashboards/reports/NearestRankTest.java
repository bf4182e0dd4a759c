package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NearestRankTest {

  @Test
  void hasNoPercentileOfNoValues() {
    assertThat(NearestRank.percentile(new long[0], 50)).isEmpty();
  }

  @Test
  void takesTheValueAtTheCeilingRank() {
    // 10 values: p90 is rank 9, p50 rank 5, p95 rank ceil(9.5) = 10
    long[] values = {100, 10, 90, 20, 80, 30, 70, 40, 60, 50};
    assertThat(NearestRank.percentile(values, 90)).hasValue(90);
    assertThat(NearestRank.percentile(values, 50)).hasValue(50);
    assertThat(NearestRank.percentile(values, 95)).hasValue(100);
    assertThat(NearestRank.percentile(values, 100)).hasValue(100);
    assertThat(NearestRank.percentile(values, 1)).hasValue(10);
  }

  @Test
  void medianOfAnEvenCountIsTheLowerMiddleValue() {
    assertThat(NearestRank.percentile(new long[] {4, 1, 3, 2}, 50)).hasValue(2);
  }

  @Test
  void medianOfAnOddCountIsTheMiddleValue() {
    assertThat(NearestRank.percentile(new long[] {5, 1, 3}, 50)).hasValue(3);
  }

  @Test
  void oneValueIsEveryPercentile() {
    assertThat(NearestRank.percentile(new long[] {7}, 1)).hasValue(7);
    assertThat(NearestRank.percentile(new long[] {7}, 90)).hasValue(7);
  }

  @Test
  void leavesTheCallersArrayUnsorted() {
    long[] values = {3, 1, 2};
    NearestRank.percentile(values, 50);
    assertThat(values).containsExactly(3, 1, 2);
  }

  @Test
  void refusesPercentilesOutsideOneToHundred() {
    assertThatThrownBy(() -> NearestRank.percentile(new long[] {1}, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NearestRank.percentile(new long[] {1}, 101))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
