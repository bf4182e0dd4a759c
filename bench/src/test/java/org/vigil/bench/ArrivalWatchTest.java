package org.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ArrivalWatchTest {
  private final AtomicLong clock = new AtomicLong();

  @Test
  void endsAtTheLastRiseOnceEverythingArrived() throws Exception {
    long[] counts = {100, 150, 150, 220, 300};
    int[] poll = {0};
    ArrivalWatch watch =
        new ArrivalWatch(
            () -> {
              clock.addAndGet(1_000);
              return counts[Math.min(poll[0]++, counts.length - 1)];
            },
            Duration.ofMillis(1),
            clock::get);
    long baseline = watch.baseline();
    ArrivalWatch.Outcome outcome =
        watch.await(baseline, 0, () -> false, () -> 200, Duration.ofSeconds(1));
    assertThat(outcome.complete()).isTrue();
    assertThat(outcome.arrived()).isEqualTo(200);
    assertThat(outcome.lastRiseNanos()).isEqualTo(5_000);
  }

  @Test
  void givesUpAQuietPeriodAfterTheSenderFinished() throws Exception {
    ArrivalWatch watch =
        new ArrivalWatch(
            () -> {
              clock.addAndGet(Duration.ofMillis(100).toNanos());
              return 7;
            },
            Duration.ofMillis(1),
            clock::get);
    ArrivalWatch.Outcome outcome = watch.await(5, 0, () -> true, () -> 10, Duration.ofSeconds(2));
    assertThat(outcome.complete()).isFalse();
    assertThat(outcome.arrived()).isEqualTo(2);
    assertThat(clock.get()).isGreaterThanOrEqualTo(Duration.ofSeconds(2).toNanos());
  }

  @Test
  void countsFailedPollsAndKeepsTheLastValue() throws Exception {
    int[] poll = {0};
    ArrivalWatch watch =
        new ArrivalWatch(
            () -> {
              clock.addAndGet(1_000);
              if (poll[0]++ % 2 == 0) {
                throw new IllegalStateException("index not there yet");
              }
              return poll[0] * 10L;
            },
            Duration.ofMillis(1),
            clock::get);
    ArrivalWatch.Outcome outcome = watch.await(0, 0, () -> false, () -> 40, Duration.ofSeconds(1));
    assertThat(outcome.complete()).isTrue();
    assertThat(outcome.failedPolls()).isEqualTo(2);
  }
}
