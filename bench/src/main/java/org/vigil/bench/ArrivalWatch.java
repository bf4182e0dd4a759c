package org.vigil.bench;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Watches a count at the far end of a pipeline (Kafka's end offsets, documents in an index) while a
 * sender runs, and remembers when it last rose: the end of a throughput run is the moment the last
 * message arrived, not the moment someone looked. A poll that fails counts as no change.
 */
public final class ArrivalWatch {
  /**
   * What the watch saw.
   *
   * @param arrived the count's rise since the watch began
   * @param lastRiseNanos when it last rose, on {@link System#nanoTime()}'s clock; the start when it
   *     never rose
   * @param complete true when it reached the expected count, false when it stopped at the timeout
   * @param failedPolls polls that threw
   */
  public record Outcome(long arrived, long lastRiseNanos, boolean complete, long failedPolls) {}

  /** Reads the count; may throw, the watch then keeps the last value. */
  @FunctionalInterface
  public interface Count {
    long read() throws Exception;
  }

  private final Count count;
  private final Duration pollInterval;
  private final LongSupplier clock;

  /**
   * @param count the far end's count, absolute; the watch subtracts the value it starts from
   * @param pollInterval how often to read it; the precision of the measured time
   * @param clock nanoseconds, {@code System::nanoTime} outside tests
   */
  public ArrivalWatch(Count count, Duration pollInterval, LongSupplier clock) {
    this.count = Objects.requireNonNull(count, "count");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("poll interval must be positive: " + pollInterval);
    }
  }

  public static ArrivalWatch every(Count count, Duration pollInterval) {
    return new ArrivalWatch(count, pollInterval, System::nanoTime);
  }

  /** The count now, to start a watch from; a failing read here is an error. */
  public long baseline() throws Exception {
    return count.read();
  }

  /**
   * Polls until {@code expected} arrivals are counted, or the sender is done and nothing arrived
   * for {@code quiet}.
   *
   * @param baseline the count before sending began
   * @param startNanos when sending began; the last rise is never earlier
   * @param senderDone true once the sender has finished
   * @param expected arrivals that complete the run; {@link Long#MAX_VALUE} while not yet known is
   *     read again on every poll
   * @param quiet how long after the sender finished, and after the last rise, to keep waiting
   */
  public Outcome await(
      long baseline,
      long startNanos,
      BooleanSupplier senderDone,
      LongSupplier expected,
      Duration quiet)
      throws InterruptedException {
    long last = baseline;
    long lastRise = startNanos;
    long failed = 0;
    long doneAt = -1;
    while (true) {
      try {
        long now = count.read();
        if (now > last) {
          last = now;
          lastRise = clock.getAsLong();
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        failed++;
      }
      long arrived = last - baseline;
      if (arrived >= expected.getAsLong()) {
        return new Outcome(arrived, lastRise, true, failed);
      }
      long now = clock.getAsLong();
      if (senderDone.getAsBoolean()) {
        if (doneAt < 0) {
          doneAt = now;
        }
        if (now - Math.max(doneAt, lastRise) >= quiet.toNanos()) {
          return new Outcome(arrived, lastRise, false, failed);
        }
      }
      Thread.sleep(pollInterval.toMillis(), pollInterval.toNanosPart() % 1_000_000);
    }
  }
}
