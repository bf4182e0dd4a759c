package org.vigil.dashboards;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the {@code admin} user exists, so a fresh installation can be logged into. Blocking:
 * run it at start-up, before the server takes requests.
 */
public final class AdminBootstrap {
  public static final String ADMIN = "admin";

  /** The environment variable whose value {@link #ensureAdmin} is given. */
  public static final String PASSWORD_ENV = "VIGIL_ADMIN_PASSWORD";

  private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

  private final UserStore users;
  private final PasswordHasher hasher;

  public AdminBootstrap(UserStore users, PasswordHasher hasher) {
    this.users = users;
    this.hasher = hasher;
  }

  /**
   * Ensures {@code admin} exists.
   *
   * <ul>
   *   <li>With a configured password (the value of {@value #PASSWORD_ENV}, null when unset) admin
   *       is created, or its password reset, to it on every start: the operator's way back in.
   *   <li>Without one, a missing admin is created with a generated password, which is returned so
   *       the caller can show it once; it is stored only as a hash.
   *   <li>Without one and with admin present, nothing changes and the result is empty.
   * </ul>
   *
   * @throws IllegalArgumentException when the configured password is set but blank
   */
  public Optional<String> ensureAdmin(String configuredPassword) {
    Optional<User> existing = users.find(ADMIN);
    if (configuredPassword != null) {
      if (configuredPassword.isBlank()) {
        throw new IllegalArgumentException(
            PASSWORD_ENV + " is set but blank: give admin a real password or unset it");
      }
      users.save(withAdminRole(existing, hasher.hash(configuredPassword)));
      LOG.info(
          "{} user {} from {}",
          existing.isPresent() ? "reset the password of" : "created",
          ADMIN,
          PASSWORD_ENV);
      return Optional.empty();
    }
    if (existing.isPresent()) {
      return Optional.empty();
    }
    String generated = PasswordHasher.generatePassword();
    users.save(withAdminRole(Optional.empty(), hasher.hash(generated)));
    LOG.info("created user {} with a generated password", ADMIN);
    return Optional.of(generated);
  }

  /** Keeps whatever else an existing admin was given, but never lets it lose the admin role. */
  private static User withAdminRole(Optional<User> existing, String hash) {
    Set<Role> roles = EnumSet.of(Role.ADMIN);
    List<String> agencies = List.of();
    if (existing.isPresent()) {
      roles.addAll(existing.get().roles());
      agencies = existing.get().agencies();
    }
    return new User(ADMIN, hash, roles, agencies);
  }
}
