package org.vigil.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces a sender to a number of permits per second. Tokens accrue continuously up to a burst of one
 * tenth of a second's worth, so the sender waits only when the bucket is empty and a high rate is
 * not capped by the resolution of sleeping once per message.
 */
public final class TokenBucket {
  private final double perNano;
  private final double capacity;
  private double tokens;
  private long last;

  /**
   * @param permitsPerSecond the long-run rate; must be positive
   */
  public TokenBucket(double permitsPerSecond) {
    if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
      throw new IllegalArgumentException("rate must be a positive number: " + permitsPerSecond);
    }
    this.perNano = permitsPerSecond / TimeUnit.SECONDS.toNanos(1);
    this.capacity = Math.max(1.0, permitsPerSecond / 10.0);
    this.tokens = 1.0;
    this.last = System.nanoTime();
  }

  /** Takes one permit, waiting until one has accrued. */
  public void acquire() throws InterruptedException {
    while (true) {
      long now = System.nanoTime();
      tokens = Math.min(capacity, tokens + (now - last) * perNano);
      last = now;
      if (tokens >= 1.0) {
        tokens -= 1.0;
        return;
      }
      long wait = (long) Math.ceil((1.0 - tokens) / perNano);
      LockSupport.parkNanos(this, wait);
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while pacing");
      }
    }
  }
}
