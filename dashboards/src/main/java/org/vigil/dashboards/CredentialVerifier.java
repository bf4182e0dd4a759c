package org.vigil.dashboards;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;

/** Checks a username and password against the user store, off the event loop. */
final class CredentialVerifier {
  private final Vertx vertx;
  private final UserStore users;
  private final PasswordHasher hasher;

  CredentialVerifier(Vertx vertx, UserStore users, PasswordHasher hasher) {
    this.vertx = vertx;
    this.users = users;
    this.hasher = hasher;
  }

  /**
   * The user when the password is right and the user is enabled; empty for a wrong password, an
   * unknown user or a disabled one (all look alike to the caller).
   */
  Future<Optional<User>> verify(String username, String password) {
    // Unordered: logins must not queue behind each other's Argon2 work.
    return vertx.executeBlocking(() -> check(username, password), false);
  }

  /** The current record of a logged-in user, which may since have been deleted. */
  Future<Optional<User>> lookup(String username) {
    return vertx.executeBlocking(() -> users.find(username), false);
  }

  /** The user's current record; blocking, for callers already off the event loop. */
  Optional<User> find(String username) {
    return users.find(username);
  }

  private Optional<User> check(String username, String password) {
    Optional<User> user;
    try {
      user = users.find(username);
    } catch (IllegalArgumentException e) {
      user = Optional.empty(); // not even a valid username
    }
    if (user.isEmpty()) {
      hasher.matchDecoy(password);
      return Optional.empty();
    }
    boolean matches = hasher.matches(password, user.get().passwordHash());
    return matches && !user.get().disabled() ? user : Optional.empty();
  }
}
