package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventCursorTest {

  @Test
  void roundTripsSortValuesThroughAnUrlSafeToken() {
    EventCursor cursor =
        new EventCursor(List.of(1_767_225_600_000L, "vigil-events-2026.01.01", 42L));
    String token = cursor.encode();
    assertThat(token).matches("[A-Za-z0-9_-]+");
    assertThat(EventCursor.decode(token)).isEqualTo(cursor);
  }

  @Test
  void refusesTokensItDidNotMake() {
    for (String bad : List.of("", "%%%", "bm90IGpzb24", "e30", "W10", "W3t9XQ")) {
      assertThatThrownBy(() -> EventCursor.decode(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cursor");
    }
  }
}
