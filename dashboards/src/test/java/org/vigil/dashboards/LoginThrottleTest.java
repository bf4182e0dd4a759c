package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private Instant now = Instant.parse("2026-11-26T10:00:00Z");
  private final LoginThrottle throttle =
      new LoginThrottle(
          new Clock() {
            @Override
            public ZoneOffset getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }

            @Override
            public Instant instant() {
              return now;
            }
          });

  @Test
  void fifthConsecutiveFailureLocksTheUsernameForFifteenMinutes() {
    for (int i = 1; i < LoginThrottle.MAX_FAILURES; i++) {
      assertThat(throttle.attempt("ana", "10.0.0." + i).allowed()).isTrue();
      assertThat(throttle.failed("ana")).isFalse();
    }
    assertThat(throttle.failed("ana")).isTrue();
    LoginThrottle.Decision refused = throttle.attempt("ana", "10.0.0.99");
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(15 * 60);
    assertThat(refused.reason()).contains("locked");
    assertThat(throttle.attempt("bob", "10.0.0.99").allowed()).isTrue();

    now = now.plus(LoginThrottle.LOCK);
    assertThat(throttle.attempt("ana", "10.0.0.99").allowed()).isTrue();
    assertThat(throttle.failed("ana")).as("count starts again after a lock").isFalse();
  }

  @Test
  void successEndsTheRunOfFailures() {
    for (int i = 1; i < LoginThrottle.MAX_FAILURES; i++) {
      throttle.failed("ana");
    }
    throttle.succeeded("ana");
    assertThat(throttle.failed("ana")).isFalse();
    assertThat(throttle.lockedUntil("ana")).isEmpty();
  }

  @Test
  void oneAddressGetsThirtyAttemptsAMinuteAcrossUsernames() {
    for (int i = 0; i < LoginThrottle.MAX_ATTEMPTS_PER_ADDRESS; i++) {
      assertThat(throttle.attempt("user" + i, "192.0.2.1").allowed()).isTrue();
    }
    LoginThrottle.Decision refused = throttle.attempt("another", "192.0.2.1");
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterSeconds()).isBetween(1L, 60L);
    assertThat(throttle.attempt("another", "192.0.2.2").allowed()).isTrue();
    now = now.plus(Duration.ofMinutes(1));
    assertThat(throttle.attempt("another", "192.0.2.1").allowed()).isTrue();
  }

  @Test
  void unlockLiftsALock() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
      throttle.failed("ana");
    }
    assertThat(throttle.lockedUntil("ana")).contains(now.plus(LoginThrottle.LOCK));
    throttle.unlock("ana");
    assertThat(throttle.attempt("ana", "10.0.0.1").allowed()).isTrue();
  }
}
