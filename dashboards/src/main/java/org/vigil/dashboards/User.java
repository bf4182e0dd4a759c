package org.vigil.dashboards;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A dashboard user.
 *
 * @param passwordHash an encoded Argon2 hash from {@link PasswordHasher}, never the password
 * @param agencies the organisation ids ({@code organization.id}) whose alerts the user sees; empty
 *     means every agency, which is what the central SOC staff and {@code admin} have
 * @param disabled the user can no longer log in, and their sessions and API tokens stop working;
 *     the record stays so the audit trail's names keep meaning someone
 */
public record User(
    String username,
    String passwordHash,
    Set<Role> roles,
    List<String> agencies,
    boolean disabled) {

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  public User {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw new IllegalArgumentException(
          "invalid username '" + username + "': use 1 to 64 letters, digits, '.', '_', '@' or '-'");
    }
    if (passwordHash == null || passwordHash.isBlank()) {
      throw new IllegalArgumentException("user " + username + " has no password hash");
    }
    roles = roles == null || roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    agencies = agencies == null ? List.of() : List.copyOf(agencies);
  }

  /** An enabled user. */
  public User(String username, String passwordHash, Set<Role> roles, List<String> agencies) {
    this(username, passwordHash, roles, agencies, false);
  }

  public boolean hasAnyRole(Collection<Role> wanted) {
    return wanted.stream().anyMatch(roles::contains);
  }

  /** The alerts this user may see: admins and users without agencies see every agency. */
  public AgencyScope scope() {
    return roles.contains(Role.ADMIN) || agencies.isEmpty()
        ? AgencyScope.all()
        : AgencyScope.only(agencies);
  }

  public User withPasswordHash(String newHash) {
    return new User(username, newHash, roles, agencies, disabled);
  }

  public User withRoles(Set<Role> newRoles) {
    return new User(username, passwordHash, newRoles, agencies, disabled);
  }

  public User withAgencies(List<String> newAgencies) {
    return new User(username, passwordHash, roles, newAgencies, disabled);
  }

  public User withDisabled(boolean newDisabled) {
    return new User(username, passwordHash, roles, agencies, newDisabled);
  }

  /** Leaves the hash out so a logged user never leaks it. */
  @Override
  public String toString() {
    return "User[username="
        + username
        + ", roles="
        + roles
        + ", agencies="
        + agencies
        + ", disabled="
        + disabled
        + "]";
  }
}
