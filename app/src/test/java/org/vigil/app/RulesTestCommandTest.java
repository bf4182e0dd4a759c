package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vigil.rules.engine.BuiltInPackFolder;
import org.vigil.rules.engine.RuleDefinition;
import org.vigil.rules.engine.RulePack;
import picocli.CommandLine;

/**
 * {@code vigil rules test} and {@code validate} through the command line, and what {@code deploy}
 * refuses because of them. The first test is the CI run of the shipped pack's cases.
 */
class RulesTestCommandTest {
  /** The acceptance check's rule, verbatim. */
  private static final String EVIL =
      "package vigil.evil\n"
          + "rule \"Runs a shell\"\n"
          + "when\n"
          + "    $e : Object()\n"
          + "then\n"
          + "    Runtime.getRuntime().exec(\"id\");\n"
          + "end\n";

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path dir;

  private int run(String... args) {
    CommandLine cl = Vigil.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static String shipped(String path) throws IOException {
    try (InputStream in = RulesTestCommandTest.class.getClassLoader().getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The ids of the rules a shipped DRL file declares. */
  private static List<String> ruleIds(String drl) {
    return Pattern.compile("@id\\(\"([^\"]+)\"\\)")
        .matcher(drl)
        .results()
        .map(m -> m.group(1))
        .toList();
  }

  /** A pack folder with the shipped auth rules and a copy of their case folders. */
  private Path authPack() throws IOException {
    Path pack = Files.createDirectories(dir.resolve("pack"));
    String drl = shipped("rules/packs/auth.drl");
    Files.writeString(pack.resolve("auth.drl"), drl);
    try (BuiltInPackFolder shipped = BuiltInPackFolder.open()) {
      for (String rule : ruleIds(drl)) {
        Path cases = Files.createDirectories(pack.resolve("cases").resolve(rule));
        try (Stream<Path> files = Files.list(shipped.path().resolve("cases").resolve(rule))) {
          for (Path file : files.toList()) {
            Files.copy(file, cases.resolve(file.getFileName().toString()));
          }
        }
      }
    }
    return pack;
  }

  private static String deadKafka() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Test
  void theShippedPackPassesAllItsCasesAndItsBenignCorpusInSeconds() {
    long start = System.nanoTime();

    int exit = run("rules", "test");

    assertThat(exit).as(out + "\n" + err).isEqualTo(Vigil.EXIT_OK);
    for (RuleDefinition rule : RulePack.builtIn().rules()) {
      assertThat(out.toString()).containsPattern("(?m)^" + rule.id() + " .*pass$");
    }
    assertThat(out.toString()).contains("ok: ").doesNotContain("FAIL");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
  }

  @Test
  void oneRuleOfTheShippedPackCanBeTestedAlone() {
    assertThat(run("rules", "test", "auth-brute-force")).isEqualTo(Vigil.EXIT_OK);
    assertThat(out.toString()).contains("auth-brute-force").doesNotContain("net-port-scan");

    assertThat(run("rules", "test", "no-such-rule")).isEqualTo(Vigil.EXIT_USAGE);
    assertThat(err.toString()).contains("has no rule 'no-such-rule'");
  }

  @Test
  void aFailingCaseFailsTheRunAndPrintsTheDifference() throws Exception {
    Path pack = authPack();
    Files.writeString(
        pack.resolve("cases/auth-brute-force/expected.yaml"),
        "positive.jsonl:\n  count: 1\n  groups: [\"192.0.2.99\"]\nbenign.jsonl: 0\n");

    int exit = run("rules", "test", pack.toString());

    assertThat(exit).isEqualTo(Vigil.EXIT_ERROR);
    assertThat(out.toString())
        .containsPattern("(?m)^auth-brute-force .*FAIL$")
        .containsPattern("(?m)^auth-password-spray .*pass$")
        .contains("auth-brute-force/positive.jsonl: missing groups [\"192.0.2.99\"]")
        .contains("FAILED: ");
  }

  @Test
  void aRuleWithoutCasesFailsTheRun() throws Exception {
    Path pack = authPack();
    Files.delete(pack.resolve("cases/auth-password-spray/benign.jsonl"));
    Files.delete(pack.resolve("cases/auth-password-spray/positive.jsonl"));
    Files.delete(pack.resolve("cases/auth-password-spray/expected.yaml"));
    Files.delete(pack.resolve("cases/auth-password-spray"));

    assertThat(run("rules", "test", pack.toString())).isEqualTo(Vigil.EXIT_ERROR);
    assertThat(out.toString()).contains("auth-password-spray/*: no test cases");
  }

  @Test
  void validateRefusesTheAcceptanceChecksShellRule() throws Exception {
    Path evil = Files.writeString(dir.resolve("evil.drl"), EVIL);

    assertThat(run("rules", "validate", evil.toString())).isEqualTo(Vigil.EXIT_ERROR);
    assertThat(err.toString()).contains("evil.drl:6: 'Runtime' is not allowed in rules");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "java.lang.Runtime.getRuntime().exec(\"id\");",
        "Class.forName(\"java.lang.Runtime\");",
        "new java.io.File(\"/tmp/x\").delete();",
        "new Thread().start();",
      })
  void validateRefusesForbiddenCodeInAnOtherwiseValidRule(String code) throws Exception {
    String drl = shipped("rules/packs/auth.drl").replace("detections.raise( $failures );", code);
    Path file = Files.writeString(dir.resolve("auth.drl"), drl);

    assertThat(run("rules", "validate", file.toString())).isEqualTo(Vigil.EXIT_ERROR);
    assertThat(err.toString()).containsPattern("auth\\.drl:\\d+: '.*' is not allowed in rules");
  }

  @Test
  void validateAcceptsTheShippedRulesAndReportsMissingMetadataAndCases() throws Exception {
    Path file = Files.writeString(dir.resolve("auth.drl"), shipped("rules/packs/auth.drl"));
    assertThat(run("rules", "validate", file.toString())).isEqualTo(Vigil.EXIT_OK);
    assertThat(out.toString())
        .contains("valid: " + ruleIds(shipped("rules/packs/auth.drl")).size() + " rules");

    Path pack = Files.createDirectories(dir.resolve("bare"));
    Files.writeString(
        pack.resolve("auth.drl"),
        shipped("rules/packs/auth.drl").replace("@technique(\"T1110.003\")", ""));
    assertThat(run("rules", "validate", pack.toString())).isEqualTo(Vigil.EXIT_ERROR);
    assertThat(err.toString())
        .containsPattern("auth\\.drl:\\d+: rule \"[^\"]+\": missing @technique")
        .contains("no test cases: create");
  }

  @Test
  void deployRefusesForbiddenCodeBeforeAnyKafkaCall() throws Exception {
    Path evil = Files.writeString(dir.resolve("evil.drl"), EVIL);
    long start = System.nanoTime();

    int exit = run("rules", "deploy", evil.toString(), "--kafka", deadKafka());

    assertThat(exit).isEqualTo(Vigil.EXIT_ERROR);
    assertThat(err.toString())
        .contains("ruleset vigil not deployed")
        .contains("evil.drl:6: 'Runtime' is not allowed in rules");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
  }

  @Test
  void deployRefusesAFolderWhoseCasesFail() throws Exception {
    Path pack = authPack();
    Files.writeString(
        pack.resolve("cases/auth-brute-force/expected.yaml"),
        "positive.jsonl: 2\nbenign.jsonl: 0\n");

    int exit = run("rules", "deploy", pack.toString(), "--kafka", deadKafka());

    assertThat(exit).isEqualTo(Vigil.EXIT_ERROR);
    assertThat(err.toString())
        .contains("ruleset vigil not deployed")
        .contains("test case auth-brute-force/positive.jsonl: expected 2 detections, got 1")
        .doesNotContain("--kafka");
  }
}
