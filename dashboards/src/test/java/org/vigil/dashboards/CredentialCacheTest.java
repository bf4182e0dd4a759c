package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CredentialCacheTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final CredentialCache cache = new CredentialCache(Duration.ofSeconds(60), now::get);
  private final User ana = new User("ana", "hash", Set.of(Role.ANALYST), List.of());

  @Test
  void hitsOnlyForTheSamePassword() {
    cache.put("ana", "right", ana);
    assertThat(cache.get("ana", "right")).contains(ana);
    assertThat(cache.get("ana", "wrong")).isEmpty();
    assertThat(cache.get("bob", "right")).isEmpty();
  }

  @Test
  void entriesExpireAfterTheTtl() {
    cache.put("ana", "right", ana);
    now.addAndGet(Duration.ofSeconds(59).toNanos());
    assertThat(cache.get("ana", "right")).isPresent();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(cache.get("ana", "right")).isEmpty();
  }

  @Test
  void zeroTtlDisablesCaching() {
    CredentialCache off = new CredentialCache(Duration.ZERO, now::get);
    off.put("ana", "right", ana);
    assertThat(off.get("ana", "right")).isEmpty();
  }
}
