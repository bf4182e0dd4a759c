package org.vigil.bench.beats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BeatsBenchReportTest {
  private static final BeatsLoad.Result LOAD =
      new BeatsLoad.Result(4, 2048, 1, 1_000_000, 1_000_000, 492, 0, 0, 5.0, 16_000_000);

  @Test
  void judgesTheIndexedRateByWhenElasticsearchHadIndexedNotByTheNextRefresh() {
    BeatsBenchReport report =
        new BeatsBenchReport(
            null, -1, LOAD, new BeatsBenchReport.Indexed(1_000_000, 24.0, 28.5, true));

    assertThat(report.indexed().eventsPerSecond()).isEqualTo(1_000_000 / 24.0);
    assertThat(report.table())
        .contains("indexed                   1000000    1000000    24.00       41,667")
        .contains(" met")
        .contains("searchable: 1000000 of them after 28.50 s, the index's last refresh included");
    assertThat(report.json())
        .contains("\"seconds\" : 24.0")
        .contains("\"searchableSeconds\" : 28.5")
        .contains("\"eventsPerSecond\" : 41667");
  }

  @Test
  void aRunShortOfItsGoalIsMissedAndAnIncompleteOneSaysPart() {
    BeatsBenchReport report =
        new BeatsBenchReport(
            null, -1, LOAD, new BeatsBenchReport.Indexed(999_000, 40.0, 42.0, false));

    assertThat(report.table()).contains("indexed (part)").contains("missed");
  }
}
