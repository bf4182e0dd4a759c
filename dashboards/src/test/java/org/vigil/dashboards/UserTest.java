package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserTest {

  @Test
  void toStringNeverShowsTheHash() {
    User user = new User("ana", "$argon2id$secret-hash", Set.of(Role.ANALYST), List.of());
    assertThat(user.toString()).contains("ana").doesNotContain("secret-hash");
  }

  @Test
  void agenciesScopeNonAdminsButNotAdmins() {
    User north = new User("n", "h", Set.of(Role.ANALYST), List.of("agency-north"));
    assertThat(north.scope().permits("agency-north")).isTrue();
    assertThat(north.scope().permits("agency-south")).isFalse();
    assertThat(north.scope().permits(null)).isFalse();
    User admin = new User("a", "h", Set.of(Role.ADMIN), List.of("agency-north"));
    assertThat(admin.scope().unrestricted()).isTrue();
    User central = new User("c", "h", Set.of(Role.ANALYST), List.of());
    assertThat(central.scope().unrestricted()).isTrue();
  }

  @Test
  void rejectsUnsafeUsernames() {
    assertThatThrownBy(() -> new User("a:b", "h", Set.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new User("", "h", Set.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rolesParseFromWireNames() {
    assertThat(Role.fromWireName("rule_admin")).isEqualTo(Role.RULE_ADMIN);
    assertThatThrownBy(() -> Role.fromWireName("root"))
        .hasMessageContaining("analyst, rule_admin, auditor or admin");
  }
}
