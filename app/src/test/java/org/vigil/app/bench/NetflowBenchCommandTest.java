package org.vigil.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.vigil.app.Vigil;
import picocli.CommandLine;

class NetflowBenchCommandTest {
  private static NetflowBenchCommand parse(String... args) {
    CommandLine.ParseResult parsed = Vigil.commandLine().parseArgs(args);
    return (NetflowBenchCommand) parsed.subcommand().subcommand().commandSpec().userObject();
  }

  @Test
  void runsEveryPhaseAtTheIssuesGoalRateByDefault() {
    NetflowBenchPlan plan = parse("bench", "netflow").plan();
    assertThat(plan.phases())
        .containsExactlyInAnyOrder(
            NetflowBenchPlan.Phase.COLLECTOR,
            NetflowBenchPlan.Phase.E2E,
            NetflowBenchPlan.Phase.JMH);
    assertThat(plan.rate()).isEqualTo(100_000);
    assertThat(plan.flows()).isEqualTo(2_000_000);
    assertThat(plan.duration()).isEqualTo(Duration.ZERO);
    assertThat(plan.exporters()).isEqualTo(8);
    assertThat(plan.templateInterval()).isEqualTo(20);
    assertThat(plan.e2eWarmup()).isEqualTo(100_000);
    assertThat(plan.forkJmh()).isTrue();
    assertThat(plan.keep()).isFalse();
  }

  @Test
  void skipJmhLeavesTheOtherPhases() {
    NetflowBenchPlan plan =
        parse("bench", "netflow", "--skip-jmh", "--duration", "5", "--rate", "0").plan();
    assertThat(plan.phases())
        .containsExactlyInAnyOrder(NetflowBenchPlan.Phase.COLLECTOR, NetflowBenchPlan.Phase.E2E);
    assertThat(plan.duration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(plan.rate()).isZero();
  }

  @Test
  void refusesNothingToRun() {
    assertThatThrownBy(() -> parse("bench", "netflow", "--phases", "jmh", "--skip-jmh").plan())
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("no phase");
  }

  @Test
  void refusesAnEndToEndRunWithoutWarmUp() {
    assertThatThrownBy(() -> parse("bench", "netflow", "--e2e-warmup", "0").plan())
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--e2e-warmup must be at least 1");
  }

  @Test
  void refusesACapturesFolderThatIsNotThere() {
    assertThatThrownBy(() -> parse("bench", "netflow", "--captures", "/no/such/dir").plan())
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("/no/such/dir");
  }

  @Test
  void refusesAnUnknownPhase() {
    assertThatThrownBy(() -> parse("bench", "netflow", "--phases", "collector,kafka").plan())
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("kafka");
  }

  @Test
  void readsTheNetflowDropsFromThePrometheusText() {
    String text =
        "vigil_collector_dropped_total{input=\"netflow_udp\",reason=\"kafka_refused\"} 2.0\n"
            + "vigil_collector_dropped_total{input=\"ipfix_udp\",reason=\"kafka_refused\"} 1.0\n"
            + "vigil_collector_dropped_total{input=\"ipfix_udp\",reason=\"kernel_receive_buffer\"}"
            + " 7.0\n"
            + "vigil_collector_dropped_total{input=\"syslog_udp\",reason=\"kafka_refused\"} 50.0\n";
    assertThat(NetflowBenchRun.dropsIn(text)).containsExactly(3, 7);
    assertThat(NetflowBenchRun.dropsIn("")).containsExactly(-1, -1);
  }
}
