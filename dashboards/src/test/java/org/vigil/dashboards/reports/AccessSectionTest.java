package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vigil.dashboards.Role;
import org.vigil.dashboards.User;
import org.vigil.dashboards.UserStore;

class AccessSectionTest {
  private static final UserStore USERS =
      new UserStore() {
        private final List<User> users =
            List.of(
                new User("soc", "h", Set.of(Role.ANALYST), List.of()),
                new User("ana-a", "h", Set.of(Role.ANALYST), List.of("agency-a")),
                new User("ana-b", "h", Set.of(Role.ANALYST), List.of("agency-b")),
                new User("both", "h", Set.of(Role.AUDITOR), List.of("agency-a", "agency-b")),
                new User("admin-a", "h", Set.of(Role.ADMIN), List.of("agency-a")));

        @Override
        public Optional<User> find(String username) {
          return users.stream().filter(u -> u.username().equals(username)).findFirst();
        }

        @Override
        public void save(User user) {}

        @Override
        public boolean delete(String username) {
          return false;
        }

        @Override
        public List<User> list() {
          return users;
        }
      };

  @Test
  void aReportOfEveryAgencyCountsEveryActor() {
    assertThat(new AccessSection(USERS).scopedActors(List.of())).isNull();
  }

  @Test
  void anAgencyReportCountsOnlyUsersWhoSeeNothingElse() {
    // soc and admin-a see every agency, both also sees agency-b: their actions stay out
    assertThat(new AccessSection(USERS).scopedActors(List.of("agency-a"))).containsExactly("ana-a");
    assertThat(new AccessSection(USERS).scopedActors(List.of("agency-a", "agency-b")))
        .containsExactlyInAnyOrder("ana-a", "ana-b", "both");
  }

  @Test
  void failedLoginsAreWrongPasswordsAndFailedLoginRecords() {
    assertThat(AccessSection.isFailedLogin("user.login_failed", "failure")).isTrue();
    assertThat(AccessSection.isFailedLogin("user.login", "failure")).isTrue();
    assertThat(AccessSection.isFailedLogin("user.login", "success")).isFalse();
    assertThat(AccessSection.isFailedLogin("user.locked", "failure")).isFalse();
  }

  @Test
  void leadersRankByCountThenByName() {
    List<Map.Entry<String, Long>> entries =
        new ArrayList<>(List.of(Map.entry("b", 3L), Map.entry("c", 5L), Map.entry("a", 3L)));
    entries.sort(AccessSection.leaderOrder());
    assertThat(entries).extracting(Map.Entry::getKey).containsExactly("c", "a", "b");
  }
}
