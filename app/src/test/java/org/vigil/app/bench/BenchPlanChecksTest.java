package org.vigil.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchPlanChecksTest {
  @Test
  void readsPhasesInAnyCaseWithSpaces() {
    assertThat(NetflowBenchPlan.Phase.parseList(" JMH , collector"))
        .containsExactlyInAnyOrder(NetflowBenchPlan.Phase.JMH, NetflowBenchPlan.Phase.COLLECTOR);
  }

  @Test
  void namesEveryPhaseWhenNoneIsGiven() {
    assertThatThrownBy(() -> NetflowBenchPlan.Phase.parseList(" "))
        .hasMessage("--phases needs at least one of: collector, e2e, jmh");
    assertThatThrownBy(() -> SyslogBenchPlan.Phase.parseList(null))
        .hasMessage("--phases needs at least one of: collector, e2e");
  }

  @Test
  void saysWhatEachBenchExpectsForAnUnknownPhase() {
    assertThatThrownBy(() -> SyslogBenchPlan.Phase.parseList("collector,jmh"))
        .hasMessage("unknown phase 'jmh': expected collector, e2e or both");
    assertThatThrownBy(() -> NetflowBenchPlan.Phase.parseList("collector,,e2e"))
        .hasMessage("unknown phase '': expected collector, e2e, jmh");
  }

  @Test
  void refusesTheSharedSettingsOutOfRange() {
    assertThatThrownBy(() -> BenchPlanChecks.warmup(-1)).hasMessageContaining("--warmup");
    assertThatThrownBy(() -> BenchPlanChecks.system(0, "1g")).hasMessageContaining("--parallelism");
    assertThatThrownBy(() -> BenchPlanChecks.system(1, "lots"))
        .hasMessageContaining("--elasticsearch-heap");
    assertThatThrownBy(() -> BenchPlanChecks.quiet(Duration.ZERO)).hasMessageContaining("--quiet");
  }

  @Test
  void acceptsTheSharedSettingsInRange() {
    BenchPlanChecks.warmup(0);
    BenchPlanChecks.system(1, "512m");
    BenchPlanChecks.quiet(Duration.ofMillis(1));
  }
}
