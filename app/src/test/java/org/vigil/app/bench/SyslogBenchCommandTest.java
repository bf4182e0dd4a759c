package org.vigil.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vigil.app.Vigil;
import picocli.CommandLine;

class SyslogBenchCommandTest {
  private static SyslogBenchCommand parse(String... args) {
    CommandLine.ParseResult parsed = Vigil.commandLine().parseArgs(args);
    return (SyslogBenchCommand) parsed.subcommand().subcommand().commandSpec().userObject();
  }

  @Test
  void runsBothPhasesWithTheIssuesLoadByDefault() {
    SyslogBenchPlan plan = parse("bench", "syslog").plan();
    assertThat(plan.phases())
        .containsExactlyInAnyOrder(SyslogBenchPlan.Phase.COLLECTOR, SyslogBenchPlan.Phase.E2E);
    assertThat(plan.tcpCount()).isEqualTo(2_000_000);
    assertThat(plan.udpRate()).isEqualTo(80_000);
    assertThat(plan.udpSeconds()).isEqualTo(10);
    assertThat(plan.udpReceiveBufferBytes()).isEqualTo(64 << 20);
    assertThat(plan.e2eCount()).isEqualTo(300_000);
    assertThat(plan.peer()).isEqualTo(SyslogBenchPlan.Peer.NONE);
    assertThat(plan.connections()).isEqualTo(1);
    assertThat(plan.dataDir()).isNull();
    assertThat(plan.keep()).isFalse();
  }

  @Test
  void readsEveryOption() {
    SyslogBenchPlan plan =
        parse(
                "bench",
                "syslog",
                "--phases",
                "e2e",
                "--count",
                "1000",
                "--warmup",
                "0",
                "--udp-rate",
                "0",
                "--duration",
                "3",
                "--udp-receive-buffer",
                "128m",
                "--e2e-count",
                "5000",
                "--peer",
                "rsyslog",
                "--connections",
                "4",
                "--parallelism",
                "1",
                "--elasticsearch-heap",
                "512m",
                "--quiet",
                "5",
                "--keep")
            .plan();
    assertThat(plan.phases()).isEqualTo(Set.of(SyslogBenchPlan.Phase.E2E));
    assertThat(plan.peer()).isEqualTo(SyslogBenchPlan.Peer.RSYSLOG);
    assertThat(plan.udpReceiveBufferBytes()).isEqualTo(128 << 20);
    assertThat(plan.e2eCount()).isEqualTo(5000);
    assertThat(plan.connections()).isEqualTo(4);
    assertThat(plan.parallelism()).isEqualTo(1);
    assertThat(plan.elasticsearchHeap()).isEqualTo("512m");
    assertThat(plan.quiet()).isEqualTo(Duration.ofSeconds(5));
    assertThat(plan.keep()).isTrue();
  }

  @Test
  void saysWhatUdpReceiveBufferTheKernelGrantedAndHowToRaiseACappedOne() {
    assertThat(CollectorOnlyStack.receiveBufferLine(64 << 20, OptionalInt.of(64 << 20)))
        .isEqualTo("collector: UDP receive buffer: 67108864 bytes, as asked%n".formatted());
    assertThat(CollectorOnlyStack.receiveBufferLine(64 << 20, OptionalInt.of(4 << 20)))
        .contains("4194304 bytes, not the 67108864 asked for")
        .contains("sysctl -w net.core.rmem_max=67108864");
    assertThat(CollectorOnlyStack.receiveBufferLine(64 << 20, OptionalInt.empty()))
        .contains("granted unknown");
  }

  @Test
  void refusesCountsThatTheConnectionsCannotShareEqually() {
    SyslogBenchCommand command =
        parse("bench", "syslog", "--count", "1000", "--warmup", "999", "--connections", "2");
    assertThatThrownBy(command::plan)
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("must be multiples of --connections (2)");
  }

  @Test
  void keepsAFolderTheUserNamed() {
    assertThat(parse("bench", "syslog", "--data-dir", "/tmp/x").plan().keep()).isTrue();
  }

  @Test
  void refusesAPeerWithoutTheEndToEndPhase() {
    SyslogBenchCommand command =
        parse("bench", "syslog", "--phases", "collector", "--peer", "rsyslog");
    assertThatThrownBy(command::plan)
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("e2e");
  }

  @Test
  void refusesUnknownPhasesAndPeers() {
    assertThatThrownBy(() -> SyslogBenchPlan.Phase.parseList("collector,kafka"))
        .hasMessageContaining("unknown phase 'kafka'");
    assertThatThrownBy(() -> SyslogBenchPlan.Peer.parse("syslog-ng"))
        .hasMessageContaining("unknown peer");
    assertThat(SyslogBenchPlan.Phase.parseList(" E2E , collector "))
        .containsExactlyInAnyOrder(SyslogBenchPlan.Phase.COLLECTOR, SyslogBenchPlan.Phase.E2E);
  }

  @Test
  void aBadOptionIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cl = Vigil.commandLine();
    cl.setErr(new PrintWriter(err));
    assertThat(cl.execute("bench", "syslog", "--count", "0")).isEqualTo(Vigil.EXIT_USAGE);
    assertThat(err.toString()).contains("--count must be at least 1");
  }

  @Test
  void saysHowToGetLoggenWhenItIsMissing() {
    StringWriter err = new StringWriter();
    CommandLine cl = Vigil.commandLine();
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute("bench", "syslog", "--loggen", "/nonexistent/loggen");
    assertThat(exit).isEqualTo(Vigil.EXIT_ERROR);
    assertThat(err.toString())
        .contains("loggen not found at /nonexistent/loggen")
        .contains("bin/fetch-loggen");
  }

  @Test
  void theOldBenchStillRunsWithoutASubcommand() {
    CommandLine.ParseResult parsed = Vigil.commandLine().parseArgs("bench", "--count", "10");
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("bench");
    assertThat(parsed.subcommand().hasSubcommand()).isFalse();
  }
}
