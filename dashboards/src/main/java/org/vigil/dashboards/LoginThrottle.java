package org.vigil.dashboards;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing. A username is locked for {@link #LOCK} after {@link #MAX_FAILURES}
 * consecutive failures (whether or not it exists, so a lock reveals nothing), and one client
 * address may try at most {@link #MAX_ATTEMPTS_PER_ADDRESS} passwords a minute across all
 * usernames. State is kept in memory, per dashboard process: a restart forgets it, and behind a
 * load balancer each process counts on its own.
 */
final class LoginThrottle {
  static final int MAX_FAILURES = 5;
  static final Duration LOCK = Duration.ofMinutes(15);
  static final int MAX_ATTEMPTS_PER_ADDRESS = 30;
  static final Duration ADDRESS_WINDOW = Duration.ofMinutes(1);

  /** Bounds memory when many usernames or addresses are tried. */
  private static final int MAX_ENTRIES = 100_000;

  /** Whether an attempt may go ahead and, if not, for how long the caller should wait. */
  record Decision(boolean allowed, Duration retryAfter, String reason) {
    static final Decision ALLOW = new Decision(true, Duration.ZERO, "");

    /** Whole seconds for the {@code Retry-After} header, at least 1. */
    long retryAfterSeconds() {
      return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
  }

  private record Failures(int count, Instant lockedUntil) {}

  private record Window(Instant start, int attempts) {}

  private final Clock clock;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /**
   * Counts a password attempt from {@code clientAddress} for {@code username} and says whether it
   * may be checked. Refused attempts count against the address too.
   */
  Decision attempt(String username, String clientAddress) {
    Instant now = clock.instant();
    prune(now);
    Window window =
        windows.compute(
            clientAddress == null ? "" : clientAddress,
            (k, w) ->
                w == null || !now.isBefore(w.start().plus(ADDRESS_WINDOW))
                    ? new Window(now, 1)
                    : new Window(w.start(), w.attempts() + 1));
    if (window.attempts() > MAX_ATTEMPTS_PER_ADDRESS) {
      return new Decision(
          false,
          Duration.between(now, window.start().plus(ADDRESS_WINDOW)),
          "too many login attempts from this address: wait before trying again");
    }
    Optional<Instant> locked = lockedUntil(username);
    if (locked.isPresent()) {
      return new Decision(
          false,
          Duration.between(now, locked.get()),
          "user "
              + username
              + " is locked after "
              + MAX_FAILURES
              + " failed logins: wait or ask an admin to reset the password");
    }
    return Decision.ALLOW;
  }

  /** Records a wrong password; returns true when this failure locked the username. */
  boolean failed(String username) {
    Instant now = clock.instant();
    Failures after =
        failures.compute(
            username,
            (k, f) -> {
              int count = f == null || expired(f, now) ? 1 : f.count() + 1;
              return new Failures(count, count >= MAX_FAILURES ? now.plus(LOCK) : null);
            });
    return after.count() == MAX_FAILURES;
  }

  /** A correct password ends the run of failures. */
  void succeeded(String username) {
    failures.remove(username);
  }

  /** An admin's fresh password for the user lifts the lock. */
  void unlock(String username) {
    failures.remove(username);
  }

  Optional<Instant> lockedUntil(String username) {
    Failures f = failures.get(username);
    Instant now = clock.instant();
    return f != null && f.lockedUntil() != null && now.isBefore(f.lockedUntil())
        ? Optional.of(f.lockedUntil())
        : Optional.empty();
  }

  /** A lock that ran out starts the count again. */
  private static boolean expired(Failures f, Instant now) {
    return f.lockedUntil() != null && !now.isBefore(f.lockedUntil());
  }

  private void prune(Instant now) {
    if (windows.size() > MAX_ENTRIES) {
      windows.values().removeIf(w -> !now.isBefore(w.start().plus(ADDRESS_WINDOW)));
    }
    if (failures.size() > MAX_ENTRIES) {
      failures.values().removeIf(f -> f.lockedUntil() == null || expired(f, now));
    }
  }
}
