package org.vigil.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vigil.app.Vigil;
import picocli.CommandLine;

class DashboardBenchCommandTest {
  private static DashboardBenchCommand parse(String... args) {
    CommandLine.ParseResult parsed = Vigil.commandLine().parseArgs(args);
    return (DashboardBenchCommand) parsed.subcommand().subcommand().commandSpec().userObject();
  }

  @Test
  void measuresTheIssuesVolumesByDefault() {
    DashboardBenchPlan plan = parse("bench", "dashboard").plan();
    assertThat(plan.events()).isEqualTo(1_000_000);
    assertThat(plan.alerts()).isEqualTo(10_000);
    assertThat(plan.agencies()).isEqualTo(8);
    assertThat(plan.keep()).isFalse();
  }

  @Test
  void refusesASingleAgencyBecauseScopedAndSocWideUsersWouldSeeTheSame() {
    assertThatThrownBy(() -> parse("bench", "dashboard", "--agencies", "1").plan())
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--agencies");
  }

  @Test
  void refusesNoRequests() {
    assertThatThrownBy(() -> parse("bench", "dashboard", "--requests", "0").plan())
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--requests");
  }
}
