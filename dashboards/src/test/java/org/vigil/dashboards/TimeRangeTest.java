package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeRangeTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:17:42.5Z");

  @Test
  void missingBoundsMeanTheLastDay() {
    TimeRange r = TimeRange.parse(null, "", NOW);
    assertThat(r.to()).isEqualTo(NOW.toEpochMilli());
    assertThat(r.spanMillis()).isEqualTo(TimeRange.DEFAULT_SPAN.toMillis());
  }

  @Test
  void readsDateMathWithRounding() {
    assertThat(Instant.ofEpochMilli(TimeRange.parse("now-24h", "now", NOW).from()))
        .isEqualTo(Instant.parse("2026-11-25T10:17:42.5Z"));
    assertThat(Instant.ofEpochMilli(TimeRange.parse("now-7d/d", "now", NOW).from()))
        .isEqualTo(Instant.parse("2026-11-19T00:00:00Z"));
    assertThat(Instant.ofEpochMilli(TimeRange.parse("now-1h+15m", "now/h", NOW).from()))
        .isEqualTo(Instant.parse("2026-11-26T09:32:42.5Z"));
    assertThat(Instant.ofEpochMilli(TimeRange.parse(null, "now/h", NOW).to()))
        .isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
  }

  @Test
  void readsIsoTimesWithAZone() {
    TimeRange r = TimeRange.parse("2026-11-26T07:00:00+07:00", "2026-11-26T01:00:00Z", NOW);
    assertThat(r.from()).isEqualTo(Instant.parse("2026-11-26T00:00:00Z").toEpochMilli());
  }

  @Test
  void refusesWhatItCannotRead() {
    assertThatThrownBy(() -> TimeRange.parse("yesterday", null, NOW))
        .hasMessageContaining("from must be");
    assertThatThrownBy(() -> TimeRange.parse("2026-11-26T10:00:00", null, NOW))
        .hasMessageContaining("ISO-8601");
    assertThatThrownBy(() -> TimeRange.parse("now", "now-1h", NOW))
        .hasMessageContaining("starts after it ends");
  }
}
