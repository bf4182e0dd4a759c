package org.vigil.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BeatsBenchCommandTest {

  private static BeatsBenchPlan parse(String... args) {
    BeatsBenchCommand command = new BeatsBenchCommand();
    new CommandLine(command).parseArgs(args);
    return command.plan();
  }

  @Test
  void defaultsToAMillionEventsFromFourClientsInFilebeatWindows() {
    BeatsBenchPlan plan = parse();

    assertThat(plan.events()).isEqualTo(1_000_000);
    assertThat(plan.clients()).isEqualTo(4);
    assertThat(plan.window()).isEqualTo(2_048);
    assertThat(plan.inFlight()).isEqualTo(1);
    assertThat(plan.warmup()).isEqualTo(600_000);
    assertThat(plan.phases())
        .containsExactlyInAnyOrder(BeatsBenchPlan.Phase.COLLECTOR, BeatsBenchPlan.Phase.E2E);
    assertThat(plan.dataDir()).isNull();
    assertThat(plan.keep()).isFalse();
  }

  @Test
  void takesTheLoadFromItsOptions() {
    BeatsBenchPlan plan =
        parse("--events", "5000", "--clients", "8", "--window", "512", "--in-flight", "2");

    assertThat(plan.events()).isEqualTo(5_000);
    assertThat(plan.clients()).isEqualTo(8);
    assertThat(plan.window()).isEqualTo(512);
    assertThat(plan.inFlight()).isEqualTo(2);
  }

  @Test
  void aWindowLargerThanTheCollectorTakesIsAUsageError() {
    assertThatThrownBy(() -> parse("--window", "20000"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--window must be between 1 and 10000");
  }

  @Test
  void runsOnlyThePhasesAskedFor() {
    assertThat(parse("--phases", "collector").phases())
        .containsExactly(BeatsBenchPlan.Phase.COLLECTOR);
    assertThatThrownBy(() -> parse("--phases", "kafka"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--phases takes collector and e2e");
  }

  @Test
  void noClientsIsAUsageError() {
    assertThatThrownBy(() -> parse("--clients", "0"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--clients");
  }
}
