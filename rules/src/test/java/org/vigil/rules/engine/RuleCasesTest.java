package org.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every rule's case folder under {@code src/main/resources/rules/packs/cases}, shipped in the
 * jar beside the packs. Raw {@code .log} cases need the job's syslog parser, which this module
 * cannot depend on: {@code SyslogCaseDecoderTest} in the correlation module runs them.
 */
class RuleCasesTest {
  private final RuleCaseRunner runner = new RuleCaseRunner(RulePack.builtIn());

  @Test
  void everyShippedRuleHasCasesAndAllPass() throws Exception {
    Path root = Path.of(getClass().getClassLoader().getResource("rules/packs/cases").toURI());

    List<RuleCaseRunner.CaseResult> results = runner.runAll(root);

    assertThat(results).isNotEmpty();
    assertThat(results)
        .filteredOn(r -> !r.caseName().endsWith(".log"))
        .allSatisfy(r -> assertThat(r.passed()).as(r.toString()).isTrue());
    assertThat(results)
        .extracting(RuleCaseRunner.CaseResult::ruleId)
        .containsAll(RulePack.builtIn().rules().stream().map(RuleDefinition::id).toList());
  }

  @Test
  void wrongExpectationFails(@TempDir Path root) throws Exception {
    Path folder = Files.createDirectories(root.resolve("auth-brute-force"));
    Files.writeString(folder.resolve("expected.yaml"), "burst.jsonl: 2\nquiet.jsonl: 0\n");
    StringBuilder burst = new StringBuilder();
    for (int s = 0; s < 5; s++) {
      burst.append(
          "{\"_id\":\"x"
              + s
              + "\",\"@timestamp\":\"2026-01-01T00:00:0"
              + s
              + "Z\",\"event.category\":\"authentication\",\"event.type\":[\"start\"],"
              + "\"event.outcome\":\"failure\","
              + "\"source.ip\":\"192.0.2.1\"}\n");
    }
    Files.writeString(folder.resolve("burst.jsonl"), burst);
    Files.writeString(folder.resolve("quiet.jsonl"), "");

    List<RuleCaseRunner.CaseResult> results = runner.run("auth-brute-force", folder);

    assertThat(results).hasSize(2);
    assertThat(results.get(0).passed()).isFalse();
    assertThat(results.get(0).actual()).isEqualTo(1);
    assertThat(results.get(0).toString()).contains("expected 2 detections, got 1");
    assertThat(results.get(1).passed()).isTrue();
  }

  @Test
  void ruleWithoutCasesAndCasesWithoutRuleAreReported(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("no-such-rule"));

    List<RuleCaseRunner.CaseResult> results = runner.runAll(root);

    assertThat(results)
        .extracting(RuleCaseRunner.CaseResult::toString)
        .anySatisfy(s -> assertThat(s).startsWith("auth-brute-force/*: no test cases"))
        .anySatisfy(s -> assertThat(s).startsWith("no-such-rule/*: the pack 'vigil' has no rule"));
  }

  @Test
  void malformedEventIsReportedWithFileAndLine(@TempDir Path root) throws Exception {
    Path folder = Files.createDirectories(root.resolve("auth-brute-force"));
    Files.writeString(folder.resolve("expected.yaml"), "bad.jsonl: 1\nok.jsonl: 0\n");
    Files.writeString(folder.resolve("bad.jsonl"), "\n{\"event.category\":\"authentication\"}\n");
    Files.writeString(folder.resolve("ok.jsonl"), "");

    List<RuleCaseRunner.CaseResult> results = runner.run("auth-brute-force", folder);

    assertThat(results.get(0).problem()).isEqualTo("bad.jsonl:2: the event has no @timestamp");
  }

  private static String burst(String ip) {
    StringBuilder burst = new StringBuilder();
    for (int s = 0; s < 5; s++) {
      burst.append(
          "{\"@timestamp\":\"2026-01-01T00:00:0"
              + s
              + "Z\",\"event.category\":\"authentication\",\"event.type\":[\"start\"],"
              + "\"event.outcome\":\"failure\",\"source.ip\":\""
              + ip
              + "\"}\n");
    }
    return burst.toString();
  }

  @Test
  void richExpectationsPassWhenGroupsAndSeverityMatch(@TempDir Path root) throws Exception {
    Path folder = Files.createDirectories(root.resolve("auth-brute-force"));
    Files.writeString(
        folder.resolve("expected.yaml"),
        "burst.jsonl:\n  count: 1\n  groups: [\"192.0.2.1\"]\n  severity: high\n"
            + "quiet.jsonl: 0\n");
    Files.writeString(folder.resolve("burst.jsonl"), burst("192.0.2.1"));
    Files.writeString(folder.resolve("quiet.jsonl"), "");

    List<RuleCaseRunner.CaseResult> results = runner.run("auth-brute-force", folder);

    assertThat(results).allSatisfy(r -> assertThat(r.passed()).as(r.toString()).isTrue());
  }

  @Test
  void wrongGroupsAndSeverityArePrintedAsTheDifference(@TempDir Path root) throws Exception {
    Path folder = Files.createDirectories(root.resolve("auth-brute-force"));
    Files.writeString(
        folder.resolve("expected.yaml"),
        "burst.jsonl:\n  count: 1\n  groups: [\"198.51.100.9\"]\n  severity: low\n"
            + "quiet.jsonl: 0\n");
    Files.writeString(folder.resolve("burst.jsonl"), burst("192.0.2.1"));
    Files.writeString(folder.resolve("quiet.jsonl"), "");

    List<RuleCaseRunner.CaseResult> results = runner.run("auth-brute-force", folder);

    assertThat(results.get(0).passed()).isFalse();
    assertThat(results.get(0).detail())
        .isEqualTo(
            "missing groups [\"198.51.100.9\"]; unexpected groups [\"192.0.2.1\"];"
                + " severity: expected low, the rule has high");
  }

  @Test
  void malformedExpectationsAndUnlistedCaseFilesAreReported(@TempDir Path root) throws Exception {
    Path folder = Files.createDirectories(root.resolve("auth-brute-force"));
    Files.writeString(
        folder.resolve("expected.yaml"),
        "burst.jsonl:\n  count: 1\n  groups: [[\"a\", \"b\"]]\nquiet.jsonl: {cnt: 0}\n");
    Files.writeString(folder.resolve("burst.jsonl"), burst("192.0.2.1"));
    Files.writeString(folder.resolve("quiet.jsonl"), "");
    Files.writeString(folder.resolve("extra.jsonl"), "");

    List<String> results =
        runner.run("auth-brute-force", folder).stream().map(Object::toString).toList();

    assertThat(results)
        .contains(
            "auth-brute-force/burst.jsonl: expected.yaml: groups entry [a, b] must hold 1 value"
                + " (source.ip)",
            "auth-brute-force/quiet.jsonl: expected.yaml: unknown key 'cnt': use count, groups,"
                + " severity",
            "auth-brute-force/extra.jsonl: case file not listed in expected.yaml: add it");
  }
}
