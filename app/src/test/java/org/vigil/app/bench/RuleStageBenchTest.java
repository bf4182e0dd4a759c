package org.vigil.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vigil.bench.correlation.CorrelationBenchReport;

/** The stage phase in a real MiniCluster, small: what the warm-up leaves to the measured run. */
class RuleStageBenchTest {

  private static CorrelationBenchPlan plan(long warmupEvents) {
    return new CorrelationBenchPlan(
        Set.of(CorrelationBenchPlan.Phase.STAGE),
        4,
        100,
        3_000,
        warmupEvents,
        20_000,
        2,
        1_000,
        0,
        1,
        1,
        "512m",
        null,
        false);
  }

  @Test
  void theMeasuredEventsCountTheSameWhateverTheWarmUpBeforeThem() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream progress = new PrintStream(printed, true, StandardCharsets.UTF_8);

    CorrelationBenchReport.Stage shorter = RuleStageBench.run(plan(2_000), progress);
    CorrelationBenchReport.Stage longer = RuleStageBench.run(plan(6_000), progress);

    // The same measured load, an hour of event time after each warm-up's windows closed, every
    // event routed under the release: none of the warm-up's events or evaluations is counted.
    // (Findings are not compared: the events of a group reach the stage through both routers in
    // an order that varies from run to run, and an event that arrives out of order completes
    // matches again, which suppression folds into the same alerts.)
    assertThat(longer.events()).isEqualTo(shorter.events()).isEqualTo(3_000);
    assertThat(longer.evaluations()).isEqualTo(shorter.evaluations()).isGreaterThan(3_000);
    assertThat(shorter.findings()).isPositive();
    assertThat(longer.findings()).isPositive();
    assertThat(longer.warmupEvents()).isEqualTo(6_000);
    assertThat(longer.warmupSeconds()).isPositive();
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Evaluate rules");
  }
}
