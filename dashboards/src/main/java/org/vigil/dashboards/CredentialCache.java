package org.vigil.dashboards;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Remembers recently verified HTTP Basic credentials, so a script polling the API pays the Argon2
 * cost once per TTL instead of on every request. Keys are SHA-256 digests of username and password
 * together: the cache never holds a password, and only the exact same credentials hit.
 */
final class CredentialCache {
  /** Bounds memory if many distinct credentials are tried; far above any real set of scripts. */
  private static final int MAX_ENTRIES = 10_000;

  private record Entry(User user, long expiresAtNanos) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final long ttlNanos;
  private final LongSupplier nanoTime;

  CredentialCache(Duration ttl, LongSupplier nanoTime) {
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
  }

  Optional<User> get(String username, String password) {
    if (ttlNanos == 0) {
      return Optional.empty();
    }
    String key = key(username, password);
    Entry entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (nanoTime.getAsLong() - entry.expiresAtNanos() >= 0) {
      entries.remove(key, entry);
      return Optional.empty();
    }
    return Optional.of(entry.user());
  }

  void put(String username, String password, User user) {
    if (ttlNanos == 0) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (entries.size() >= MAX_ENTRIES) {
      entries.values().removeIf(e -> now - e.expiresAtNanos() >= 0);
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
    }
    entries.put(key(username, password), new Entry(user, now + ttlNanos));
  }

  /** Drops the user's entries, so a disable, role or password change applies at once. */
  void forget(String username) {
    entries.values().removeIf(e -> e.user().username().equals(username));
  }

  private static String key(String username, String password) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(username.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0); // no username or password can make another pair's bytes
      sha256.update(password.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  }
}
