package org.vigil.correlation.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.model.Event;
import org.vigil.rules.engine.BuiltInPackFolder;
import org.vigil.rules.engine.RuleCaseRunner;
import org.vigil.rules.engine.RuleCaseRunner.CaseResult;
import org.vigil.rules.engine.RulePack;

/**
 * Raw syslog case files go through the job's parser and normalisers, and the shipped pack passes
 * all its cases, raw ones included, and raises nothing on the shared benign corpus.
 */
class SyslogCaseDecoderTest {
  private final RuleCaseRunner runner =
      new RuleCaseRunner(RulePack.builtIn(), new SyslogCaseDecoder());

  @TempDir Path dir;

  private static String failedPassword(int second, String ip) {
    return "<38>Mar  3 04:05:0"
        + second
        + " bastion sshd[4242]: Failed password for root from "
        + ip
        + " port 5"
        + second
        + "022 ssh2";
  }

  @Test
  void shippedPackPassesEveryCaseAndStaysQuietOnTheBenignCorpus() throws Exception {
    List<CaseResult> results;
    try (BuiltInPackFolder pack = BuiltInPackFolder.open()) {
      results = runner.runPack(pack.path());
    }

    assertThat(results).isNotEmpty();
    assertThat(results).allSatisfy(r -> assertThat(r.passed()).as(r.toString()).isTrue());
    assertThat(results).anySatisfy(r -> assertThat(r.caseName()).startsWith("benign/"));
  }

  @Test
  void rfc3164LinesTakeTheYearAndZoneOfTheCaseHeader() throws Exception {
    Path log = dir.resolve("burst.log");
    Files.writeString(
        log,
        "# year: 2024 zone: Europe/Berlin peer: 10.9.8.7\n" + failedPassword(1, "203.0.113.7"));

    List<Event> events = runner.readCase(log);

    assertThat(events).hasSize(1);
    assertThat(Instant.ofEpochMilli(events.get(0).getTimestamp()))
        .isEqualTo(Instant.parse("2024-03-03T03:05:01Z"));
    assertThat(events.get(0).get("observer.ip")).isEqualTo("10.9.8.7");
    assertThat(events.get(0).getId()).isEqualTo("burst.log:2");
  }

  @Test
  void rawSshdLinesRaiseTheBruteForceRuleForTheirSource() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("auth-brute-force"));
    StringBuilder burst = new StringBuilder("# year: 2026 zone: UTC\n");
    for (int s = 1; s <= 5; s++) {
      burst.append(failedPassword(s, "203.0.113.7")).append('\n');
    }
    Files.writeString(folder.resolve("burst.log"), burst);
    Files.writeString(folder.resolve("one.log"), failedPassword(1, "198.51.100.2") + "\n");
    Files.writeString(
        folder.resolve("expected.yaml"),
        "burst.log:\n  count: 1\n  groups: [\"203.0.113.7\"]\n  severity: high\none.log: 0\n");

    List<CaseResult> results = runner.run("auth-brute-force", folder);

    assertThat(results).allSatisfy(r -> assertThat(r.passed()).as(r.toString()).isTrue());
    assertThat(results).extracting(CaseResult::actual).containsExactly(1, 0);
  }

  @Test
  void aLineThatIsNotSyslogIsReportedWithFileAndLine() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("auth-brute-force"));
    Files.writeString(folder.resolve("bad.log"), "# header\n\n<999>garbage\n");
    Files.writeString(folder.resolve("quiet.log"), "");
    Files.writeString(folder.resolve("expected.yaml"), "bad.log: 1\nquiet.log: 0\n");

    List<CaseResult> results = runner.run("auth-brute-force", folder);

    assertThat(results.get(0).problem()).startsWith("bad.log:3: not a syslog message");
  }
}
