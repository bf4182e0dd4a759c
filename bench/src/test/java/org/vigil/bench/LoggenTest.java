package org.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoggenTest {
  @TempDir Path tmp;

  private final Loggen loggen = new Loggen(Path.of("/opt/loggen/usr/bin/loggen"));

  @Test
  void sendsACountOverTcpAsFastAsTakenWithoutTheDefaultTenSecondLimit() {
    assertThat(loggen.command(Loggen.Load.tcp("127.0.0.1", 5514, 500_000)))
        .containsExactly(
            "/opt/loggen/usr/bin/loggen",
            "--inet",
            "--stream",
            "--rate=" + Loggen.UNLIMITED_RATE,
            "--number=500000",
            "--interval=" + Loggen.COUNT_INTERVAL_SECONDS,
            "127.0.0.1",
            "5514");
  }

  @Test
  void sendsUdpAtAFixedRateForAFixedTime() {
    assertThat(loggen.command(Loggen.Load.udp("::1", 5514, 80_000, 10)))
        .containsExactly(
            "/opt/loggen/usr/bin/loggen",
            "--inet",
            "--dgram",
            "--rate=80000",
            "--interval=10",
            "::1",
            "5514");
  }

  @Test
  void sendsTheLinesOfAFileUnparsedInALoopOverSeveralConnections() {
    Path file = Path.of("/tmp/sshd.log");
    assertThat(
            loggen.command(
                Loggen.Load.tcp("127.0.0.1", 6000, 300_000).withConnections(4).withFile(file)))
        .contains(
            "--active-connections=4",
            "--number=75000",
            "--read-file=/tmp/sshd.log",
            "--dont-parse",
            "--loop-reading")
        .doesNotContain("--size=0");
  }

  @Test
  void setsTheMessageSizeOfGeneratedMessages() {
    assertThat(loggen.command(Loggen.Load.tcp("127.0.0.1", 6000, 10).withSize(512)))
        .contains("--size=512");
  }

  @Test
  void refusesLoadsItCannotSend() {
    assertThatThrownBy(() -> Loggen.Load.tcp("127.0.0.1", 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port 0");
    assertThatThrownBy(() -> Loggen.Load.udp("127.0.0.1", 5514, 1000, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration");
    assertThatThrownBy(() -> Loggen.Load.tcp("127.0.0.1", 5514, 1001).withConnections(2))
        .hasMessageContaining("1001 is not a multiple of 2 connections");
    assertThatThrownBy(() -> Loggen.Load.udp("127.0.0.1", 5514, 1000, 5).withConnections(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UDP");
  }

  @Test
  void readsTheClosingAverageLine() {
    String out =
        "count=174481, rate = 151991.12 msg/sec\n"
            + "count=200000, rate = 51015.55 msg/sec\n"
            + "average rate = 133293.26 msg/sec, count=200000, time=1.50045, (average) msg"
            + " size=256, bandwidth=33323.31 kB/sec\n";
    assertThat(Loggen.parseSummary(out)).contains(new Loggen.Summary(200_000, 1.50045, 133_293.26));
  }

  @Test
  void failsWithLoggensOwnErrorWhenItCouldNotConnect() {
    String out =
        "error [loggen_helper.c:connect_to_server:79] error connecting socket: Connection refused\n"
            + "error [socket_plugin.c:active_thread_func:332] can not connect to 127.0.0.1:15999"
            + " (0x55da3b718180)\n"
            + "Total runtime = 0.500111, count = 0\n";
    // loggen exits 0 here: only the output tells.
    assertThatThrownBy(() -> Loggen.interpret(0, out))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Connection refused")
        .hasMessageContaining("can not connect to 127.0.0.1:15999");
  }

  @Test
  void acceptsARunThatReportsAnErrorAfterSending() throws IOException {
    String out =
        "average rate = 20.00 msg/sec, count=10, time=0.500106, (average) msg size=34,"
            + " bandwidth=0.66 kB/sec\n";
    assertThat(Loggen.interpret(0, out).count()).isEqualTo(10);
  }

  @Test
  void locatesLoggenByOptionThenEnvironmentThenHome() throws IOException {
    Path fromOption = executable(tmp.resolve("a/loggen"));
    Path fromEnv = executable(tmp.resolve("b/loggen"));
    Path home = tmp.resolve("home");
    Path fromHome = executable(home.resolve(Loggen.DEFAULT_RELATIVE).resolve("loggen"));
    Map<String, String> env = Map.of(Loggen.ENV, fromEnv.toString());

    assertThat(Loggen.locate(fromOption.toString(), env, home).binary()).isEqualTo(fromOption);
    assertThat(Loggen.locate(null, env, home).binary()).isEqualTo(fromEnv);
    assertThat(Loggen.locate(null, Map.of(), home).binary()).isEqualTo(fromHome);
  }

  @Test
  void saysHowToGetLoggenWhenItIsMissing() {
    assertThatThrownBy(() -> Loggen.locate(null, Map.of(), tmp))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("loggen not found at " + tmp.resolve(".cache/vigil/loggen"))
        .hasMessageContaining("bin/fetch-loggen")
        .hasMessageContaining("--loggen PATH");
  }

  @Test
  void pointsAnUnpackedLoggenAtItsOwnPluginsAndLibraries() throws IOException {
    Path prefix = tmp.resolve("loggen/usr");
    Files.createDirectories(prefix.resolve("lib/syslog-ng"));
    Loggen unpacked = new Loggen(executable(prefix.resolve("bin/loggen")));
    assertThat(unpacked.environment())
        .containsEntry("SYSLOGNG_PREFIX", prefix.toString())
        .containsEntry("LD_LIBRARY_PATH", prefix.resolve("lib/syslog-ng").toString());
    assertThat(new Loggen(executable(tmp.resolve("sys/bin/loggen"))).environment()).isEmpty();
  }

  private static Path executable(Path path) throws IOException {
    Files.createDirectories(path.getParent());
    Files.writeString(path, "#!/bin/sh\n");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    return path;
  }
}
