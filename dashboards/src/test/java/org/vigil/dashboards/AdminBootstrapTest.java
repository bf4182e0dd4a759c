package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdminBootstrapTest {
  private static final PasswordHasher HASHER = new PasswordHasher();

  private final InMemoryUserStore users = new InMemoryUserStore();
  private final AdminBootstrap bootstrap = new AdminBootstrap(users, HASHER);

  @Test
  void configuredPasswordCreatesAdmin() {
    assertThat(bootstrap.ensureAdmin("from-env-1")).isEmpty();
    User admin = users.find("admin").orElseThrow();
    assertThat(admin.roles()).containsExactly(Role.ADMIN);
    assertThat(HASHER.matches("from-env-1", admin.passwordHash())).isTrue();
    assertThat(admin.passwordHash()).doesNotContain("from-env-1");
  }

  @Test
  void configuredPasswordResetsAnExistingAdminOnEveryStart() {
    users.save(
        new User("admin", HASHER.hash("old"), Set.of(Role.AUDITOR), List.of("agency-north")));
    bootstrap.ensureAdmin("from-env-2");
    User admin = users.find("admin").orElseThrow();
    assertThat(HASHER.matches("from-env-2", admin.passwordHash())).isTrue();
    assertThat(HASHER.matches("old", admin.passwordHash())).isFalse();
    assertThat(admin.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.AUDITOR);
    assertThat(admin.agencies()).containsExactly("agency-north");
  }

  @Test
  void missingAdminGetsAGeneratedPasswordReturnedOnce() {
    Optional<String> generated = bootstrap.ensureAdmin(null);
    assertThat(generated).isPresent();
    assertThat(generated.get()).hasSizeGreaterThanOrEqualTo(24);
    User admin = users.find("admin").orElseThrow();
    assertThat(HASHER.matches(generated.get(), admin.passwordHash())).isTrue();

    assertThat(bootstrap.ensureAdmin(null)).isEmpty();
    assertThat(users.find("admin").orElseThrow().passwordHash()).isEqualTo(admin.passwordHash());
  }

  @Test
  void existingAdminIsLeftAloneWithoutConfiguredPassword() {
    User existing = new User("admin", HASHER.hash("kept"), Set.of(Role.ADMIN), List.of());
    users.save(existing);
    assertThat(bootstrap.ensureAdmin(null)).isEmpty();
    assertThat(users.find("admin")).contains(existing);
  }

  @Test
  void generatedPasswordsDiffer() {
    assertThat(PasswordHasher.generatePassword()).isNotEqualTo(PasswordHasher.generatePassword());
  }

  @Test
  void blankConfiguredPasswordIsRejected() {
    assertThatThrownBy(() -> bootstrap.ensureAdmin("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(AdminBootstrap.PASSWORD_ENV);
    assertThat(users.find("admin")).isEmpty();
  }
}
