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
import java.util.List;
import java.util.Map;
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

  /** A pack folder with the shipped auth rules and a copy of one rule's cases. */
  /** The shipped auth.drl with the cases of all its rules, as a pack folder of its own. */
  private Path authPack() throws Exception {
    Path pack = Files.createDirectories(dir.resolve("pack"));
    Files.writeString(pack.resolve("auth.drl"), shipped("rules/packs/auth.drl"));
    try (BuiltInPackFolder shipped = BuiltInPackFolder.open()) {
      for (String rule : authRuleIds()) {
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

  private static List<String> authRuleIds() throws Exception {
    return RulePack.compile("vigil", Map.of("auth.drl", shipped("rules/packs/auth.drl")))
        .rules()
        .stream()
        .map(RuleDefinition::id)
        .toList();
  }

  private static String deadKafka() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Test
  void theShippedPackPassesAllItsCasesAndItsBenignCorpus() {
    int exit = run("rules", "test");

    assertThat(exit).as(out + "\n" + err).isEqualTo(Vigil.EXIT_OK);
    for (RuleDefinition rule : RulePack.builtIn().rules()) {
      assertThat(out.toString()).containsPattern("(?m)^" + rule.id() + " .*pass$");
    }
    assertThat(out.toString()).contains("ok: ").doesNotContain("FAIL");
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
    assertThat(out.toString()).contains("valid: " + authRuleIds().size() + " rules");

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
  void validateWarnsOfAWindowedRuleWhoseTriggerIsNotBoundFromArrivals() throws Exception {
    Path shippedFile = Files.writeString(dir.resolve("auth.drl"), shipped("rules/packs/auth.drl"));
    assertThat(run("rules", "validate", shippedFile.toString())).isEqualTo(Vigil.EXIT_OK);
    assertThat(out.toString()).doesNotContain("warning");

    String drl =
        shipped("rules/packs/auth.drl")
            .replaceFirst(
                "(?s)(\\$trigger : Event\\(.*?\\))\\s+from entry-point \"arrivals\"", "$1");
    Path file = Files.writeString(dir.resolve("mine.drl"), drl);

    assertThat(run("rules", "validate", file.toString())).isEqualTo(Vigil.EXIT_OK);
    assertThat(out.toString())
        .containsPattern(
            "warning: mine\\.drl:\\d+: rule \"Five failed logins from one source within a"
                + " minute\": binds no event from entry-point \"arrivals\"")
        .containsOnlyOnce("warning:");
  }

  @Test
  void deployRefusesForbiddenCodeBeforeAnyKafkaCall() throws Exception {
    Path evil = Files.writeString(dir.resolve("evil.drl"), EVIL);
    int exit = run("rules", "deploy", evil.toString(), "--kafka", deadKafka());

    assertThat(exit).isEqualTo(Vigil.EXIT_ERROR);
    assertThat(err.toString())
        .contains("ruleset vigil not deployed")
        .contains("evil.drl:6: 'Runtime' is not allowed in rules")
        .as("refused before reaching for Kafka, which would name --kafka on failure")
        .doesNotContain("--kafka");
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
