package org.vigil.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CorrelationBenchCommandTest {

  private static CorrelationBenchPlan parse(String... args) {
    CorrelationBenchCommand command = new CorrelationBenchCommand();
    new CommandLine(command).parseArgs(args);
    return command.plan();
  }

  @Test
  void theStageWarmsUpWithAsManyEventsAsItMeasures() {
    CorrelationBenchPlan plan = parse();

    assertThat(plan.events()).isEqualTo(300_000);
    assertThat(plan.warmupEvents()).isEqualTo(300_000);
    assertThat(plan.rules()).isEqualTo(50);
    assertThat(plan.groupKeys()).isEqualTo(100_000);
  }

  @Test
  void noWarmUpMeasuresAColdStart() {
    assertThat(parse("--warmup-events", "0").warmupEvents()).isZero();
  }

  @Test
  void aNegativeWarmUpIsAUsageError() {
    assertThatThrownBy(() -> parse("--warmup-events", "-1"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--warmup-events must be between 0");
  }
}
