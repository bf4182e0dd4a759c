package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReportingGapsTest {
  private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant TO = FROM.plus(Duration.ofDays(1));

  private static long at(String hhmm) {
    return Instant.parse("2026-11-01T" + hhmm + ":00Z").toEpochMilli();
  }

  @Test
  void longestSilenceIsBetweenTwoEvents() {
    ReportingGaps gaps = new ReportingGaps(FROM, TO);
    gaps.add(at("00:30"));
    gaps.add(at("01:00"));
    gaps.add(at("01:00"));
    gaps.add(at("06:00"));
    gaps.add(at("23:00"));
    gaps.add(at("23:30"));

    assertThat(gaps.count()).isEqualTo(6);
    assertThat(gaps.first()).isEqualTo(Instant.ofEpochMilli(at("00:30")));
    assertThat(gaps.last()).isEqualTo(Instant.ofEpochMilli(at("23:30")));
    assertThat(gaps.longestSilence()).isEqualTo(Duration.ofHours(17));
    assertThat(gaps.silentAtEnd(Duration.ofHours(1))).isFalse();
    assertThat(gaps.silentAtEnd(Duration.ofMinutes(30))).isTrue();
  }

  @Test
  void countsTheTimeBeforeTheFirstEvent() {
    ReportingGaps gaps = new ReportingGaps(FROM, TO);
    gaps.add(at("10:00"));
    gaps.add(at("23:59"));

    assertThat(gaps.longestSilence()).isEqualTo(Duration.ofHours(13).plusMinutes(59));
  }

  @Test
  void countsTheTimeAfterTheLastEventAndIsSilentAtTheEnd() {
    ReportingGaps gaps = new ReportingGaps(FROM, TO);
    gaps.add(at("00:00"));
    gaps.add(at("02:00"));

    assertThat(gaps.longestSilence()).isEqualTo(Duration.ofHours(22));
    assertThat(gaps.silentAtEnd(Duration.ofHours(1))).isTrue();
  }

  @Test
  void senderWithoutEventsWasSilentTheWholePeriod() {
    ReportingGaps gaps = new ReportingGaps(FROM, TO);

    assertThat(gaps.count()).isZero();
    assertThat(gaps.first()).isNull();
    assertThat(gaps.last()).isNull();
    assertThat(gaps.longestSilence()).isEqualTo(Duration.ofDays(1));
    assertThat(gaps.silentAtEnd(Duration.ofHours(1))).isTrue();
  }

  @Test
  void refusesTimesOutOfOrderOrOutsideThePeriod() {
    ReportingGaps gaps = new ReportingGaps(FROM, TO);
    gaps.add(at("05:00"));

    assertThatThrownBy(() -> gaps.add(at("04:59"))).hasMessageContaining("ascending");
    assertThatThrownBy(() -> gaps.add(TO.toEpochMilli())).hasMessageContaining("outside");
    assertThatThrownBy(() -> gaps.add(FROM.toEpochMilli() - 1)).hasMessageContaining("outside");
  }
}
