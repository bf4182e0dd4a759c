package org.vigil.dashboards;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An API token for scripts, as stored: the secret itself is shown once at creation and only its
 * SHA-256 is kept, so a copy of the store lets nobody act. The token acts as its owner, with the
 * owner's roles and agencies at the time of each request.
 *
 * @param id a short public handle for listing and revoking; not a secret
 * @param tokenHash lowercase hex SHA-256 of the token's UTF-8 text
 * @param lastUsed when a request last used it, to the minute; null when never used
 */
public record ApiToken(
    String id,
    String name,
    String owner,
    String tokenHash,
    Instant created,
    Instant expires,
    Instant lastUsed) {
  public static final String PREFIX = "vgl_";
  private static final SecureRandom RANDOM = new SecureRandom();

  public ApiToken {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a token needs an id");
    }
    if (name == null || name.isBlank() || name.length() > 100) {
      throw new IllegalArgumentException("a token needs a name of 1 to 100 characters");
    }
    if (owner == null || owner.isBlank()) {
      throw new IllegalArgumentException("a token needs an owner");
    }
    if (tokenHash == null || tokenHash.length() != 64) {
      throw new IllegalArgumentException("a token hash is 64 hex digits");
    }
    if (created == null || expires == null || !expires.isAfter(created)) {
      throw new IllegalArgumentException("a token expires after it is created");
    }
  }

  public boolean expiredAt(Instant now) {
    return !now.isBefore(expires);
  }

  public ApiToken withLastUsed(Instant when) {
    return new ApiToken(id, name, owner, tokenHash, created, expires, when);
  }

  /** A new secret: {@value #PREFIX} and 32 random bytes, base64url without padding. */
  public static String generateSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A public id: 8 random bytes as hex. */
  public static String generateId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The stored form of a secret. */
  public static String hash(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM lacks SHA-256", e);
    }
  }

  /** Leaves the hash out of logs. */
  @Override
  public String toString() {
    return "ApiToken[id="
        + id
        + ", name="
        + name
        + ", owner="
        + owner
        + ", expires="
        + expires
        + "]";
  }
}
