package org.vigil.dashboards;

import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Argon2id password hashing (Spring Security's 5.8 defaults: 16 MiB, 2 iterations). Hashing is
 * deliberately slow, tens of milliseconds: call it off the event loop.
 */
public final class PasswordHasher {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Argon2PasswordEncoder encoder =
      Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();

  /**
   * A hash to compare against when the user does not exist, so that a wrong username costs as long
   * as a wrong password and response times do not reveal which usernames exist.
   */
  private final String decoyHash = encoder.encode(generatePassword());

  /** Long enough to resist guessing offline too; longer than this is a paste accident. */
  public static final int MIN_LENGTH = 12;

  public static final int MAX_LENGTH = 1024;

  /** Refuses a password a user should not be given, with what to do instead. */
  public static void requireAcceptable(String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "a password needs at least " + MIN_LENGTH + " characters: use a passphrase");
    }
    if (password.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a password may have at most " + MAX_LENGTH + " characters");
    }
    if (password.isBlank()) {
      throw new IllegalArgumentException("a password must not be only spaces");
    }
  }

  public String hash(String password) {
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("a password must not be empty");
    }
    return encoder.encode(password);
  }

  /** True when the password matches the hash; false for a null or malformed hash. */
  public boolean matches(String password, String hash) {
    if (password == null || hash == null) {
      return false;
    }
    return encoder.matches(password, hash);
  }

  /** Burns the same time as {@link #matches} for a username that does not exist. */
  public void matchDecoy(String password) {
    encoder.matches(password == null ? "" : password, decoyHash);
  }

  /** A random password with 192 bits of entropy, URL-safe so it can be pasted anywhere. */
  public static String generatePassword() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
