package org.vigil.bench.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CorrelationBenchReportTest {
  private static final CorrelationBenchReport.Stage STAGE =
      new CorrelationBenchReport.Stage(
          50, 100_000, 2, 300_000, 491_583, 984, 984, 30.0, 60.0, 17.2, 200_000, 25.5);

  @Test
  void theTableShowsTheCompileTimeAndTheWarmUpApartFromTheMeasuredRates() {
    String table = new CorrelationBenchReport(STAGE, null).table();

    assertThat(table)
        .contains("rules compiled before the clock started")
        .contains("17.2 s")
        .contains("warm-up")
        .contains("200,000 events in 25.5 s")
        .contains("10,000") // 300,000 events in 30 s: the compile is not in it
        .contains("5,000"); // per CPU-second
  }

  @Test
  void theJsonCarriesTheCompileTimeAndTheWarmUp() {
    String json = new CorrelationBenchReport(STAGE, null).json();

    assertThat(json)
        .contains("\"compileSeconds\" : 17.2")
        .contains("\"warmupEvents\" : 200000")
        .contains("\"eventsPerSecond\" : 10000");
  }

  @Test
  void aColdStartSaysSo() {
    CorrelationBenchReport.Stage cold =
        new CorrelationBenchReport.Stage(
            50, 100_000, 2, 300_000, 491_583, 984, 984, 30.0, 60.0, 17.2, 0, 0);

    assertThat(new CorrelationBenchReport(cold, null).table()).contains("no warm-up: a cold start");
  }
}
