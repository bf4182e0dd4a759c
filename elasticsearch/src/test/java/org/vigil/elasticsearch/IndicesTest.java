package org.vigil.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class IndicesTest {

  @Test
  void namesTheDailyEventsIndexByUtcDay() {
    long lastMilliOfDay = Instant.parse("2025-01-31T23:59:59.999Z").toEpochMilli();
    assertThat(Indices.events(lastMilliOfDay)).isEqualTo("vigil-events-2025.01.31");
    assertThat(Indices.events(lastMilliOfDay + 1)).isEqualTo("vigil-events-2025.02.01");
  }

  @Test
  void eventsIndexMatchesTheTemplatePatternAndAlertsIndexIsBehindItsAlias() {
    assertThat(Indices.events(0)).isEqualTo("vigil-events-1970.01.01").startsWith("vigil-events-");
    assertThat(Indices.ALERTS).startsWith(Indices.ALERTS_ALIAS).isNotEqualTo(Indices.ALERTS_ALIAS);
  }

  @Test
  void theRememberedDayNeverNamesAnotherDaysIndex() {
    long jan31 = Instant.parse("2025-01-31T12:00:00Z").toEpochMilli();
    long beforeEpoch = Instant.parse("1969-12-31T23:59:59.999Z").toEpochMilli();
    for (int i = 0; i < 3; i++) {
      assertThat(Indices.events(jan31)).isEqualTo("vigil-events-2025.01.31");
      assertThat(Indices.events(jan31 + 43_200_000L)).isEqualTo("vigil-events-2025.02.01");
      assertThat(Indices.events(beforeEpoch)).isEqualTo("vigil-events-1969.12.31");
      assertThat(Indices.events(0)).isEqualTo("vigil-events-1970.01.01");
    }
  }
}
