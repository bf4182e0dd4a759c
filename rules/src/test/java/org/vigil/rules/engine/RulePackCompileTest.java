package org.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;
import org.vigil.model.Severity;

class RulePackCompileTest {
  private static final String HEADER =
      "package test.rules;\n"
          + "import org.vigil.model.Event;\n"
          + "global org.vigil.rules.engine.Detections detections;\n";

  private static String rule(String name, String metadata, String when, String then) {
    return "rule \""
        + name
        + "\" "
        + metadata
        + "\nwhen\n  "
        + when
        + "\nthen\n  "
        + then
        + "\nend\n";
  }

  private static final String SINGLE_FAILURE =
      rule(
          "A failed login",
          "@id(\"one-failure\") @severity(\"low\") @groupBy(\"user.name, source.ip\")",
          "$e : Event( outcome == \"failure\" )",
          "detections.raise( $e );");

  private static final String SILENT_SOURCE =
      rule(
          "A source silent for ten minutes",
          "@id(\"silent\") @severity(\"medium\") @groupBy(\"observer.ip\") @window(\"10m\")"
              + " @absence(\"10m\")",
          "$last : Event( $ip : text(\"observer.ip\") != null )\n"
              + "  not Event( this after[1ms, 10m] $last )",
          "detections.raise( $last );");

  private static Event fromObserver(String id, long at) {
    return new Event(id, at).put("observer.ip", "192.0.2.9");
  }

  @Test
  void anAbsenceRuleRaisesOnceTheClockPassesTheSilenceAfterTheNewestEvent() throws Exception {
    RulePack pack = RulePack.compile("t", Map.of("silent.drl", HEADER + SILENT_SOURCE));
    List<Event> facts = List.of(fromObserver("a", 0), fromObserver("b", 60_000));

    assertThat(pack.rule("silent").isAbsence()).isTrue();
    assertThat(pack.evaluateAt("silent", facts, 60_000 + 599_000)).isEmpty();
    List<Detection> detections = pack.evaluateAt("silent", facts, 60_000 + 600_001);
    assertThat(detections).extracting(Detection::triggerEventId).containsExactly("b");
    assertThat(detections.get(0).group()).containsExactly(Map.entry("observer.ip", "192.0.2.9"));
  }

  @Test
  void anAbsenceRuleWhoseWindowIsShorterThanTheSilenceIsRefused() {
    String drl = HEADER + SILENT_SOURCE.replace("@window(\"10m\")", "@window(\"5m\")");

    RuleCompilationException e =
        catchThrowableOfType(
            RuleCompilationException.class, () -> RulePack.compile("t", Map.of("s.drl", drl)));

    assertThat(e.getMessage()).contains("must be at least its @absence");
  }

  @Test
  void syntaxErrorNamesFileAndLine() {
    String drl =
        HEADER
            + "rule \"Broken\" @id(\"b\") @severity(\"low\") @groupBy(\"source.ip\")\n"
            + "when\n  Event( outcome == )\nthen\nend\n";

    RuleCompilationException e =
        catchThrowableOfType(
            RuleCompilationException.class, () -> RulePack.compile("t", Map.of("broken.drl", drl)));

    assertThat(e).isNotNull();
    assertThat(e.problems()).isNotEmpty().allMatch(p -> p.startsWith("broken.drl:"));
    assertThat(e.getMessage()).contains("broken.drl:6");
  }

  @Test
  void typeErrorNamesFileAndLine() {
    String drl =
        HEADER
            + rule(
                "Unknown field",
                "@id(\"u\") @severity(\"low\") @groupBy(\"source.ip\")",
                "$e : Event( noSuchField == \"x\" )",
                "detections.raise( $e );");

    RuleCompilationException e =
        catchThrowableOfType(
            RuleCompilationException.class, () -> RulePack.compile("t", Map.of("typo.drl", drl)));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("typo.drl:").contains("noSuchField");
  }

  @Test
  void everyProblemOfEveryFileIsListed() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "a.drl",
        HEADER + rule("No id", "@severity(\"low\") @groupBy(\"source.ip\")", "Event()", ""));
    files.put(
        "b.drl", HEADER + rule("No severity", "@id(\"b\") @groupBy(\"source.ip\")", "Event()", ""));
    files.put("c.drl", HEADER + rule("No group", "@id(\"c\") @severity(\"low\")", "Event()", ""));
    files.put(
        "d.drl",
        HEADER
            + rule(
                "Bad window",
                "@id(\"d\") @severity(\"low\") @groupBy(\"source.ip\") @window(\"soon\")",
                "Event()",
                ""));

    RuleCompilationException e =
        catchThrowableOfType(RuleCompilationException.class, () -> RulePack.compile("t", files));

    assertThat(e).isNotNull();
    assertThat(e.problems()).hasSize(4);
    assertThat(e.problems().get(0)).startsWith("a.drl:4: rule \"No id\"").contains("missing @id");
    assertThat(e.problems().get(1)).startsWith("b.drl:4:").contains("missing @severity");
    assertThat(e.problems().get(2)).startsWith("c.drl:4:").contains("missing @groupBy");
    assertThat(e.problems().get(3))
        .startsWith("d.drl:4:")
        .contains("@window(\"soon\") is not a duration");
  }

  @Test
  void unknownSeverityIsRejected() {
    String drl =
        HEADER
            + rule("S", "@id(\"s\") @severity(\"urgent\") @groupBy(\"source.ip\")", "Event()", "");

    assertThatThrownBy(() -> RulePack.compile("t", Map.of("s.drl", drl)))
        .isInstanceOf(RuleCompilationException.class)
        .hasMessageContaining("unknown severity 'urgent'");
  }

  @Test
  void duplicateIdIsRejected() {
    String meta = "@id(\"same\") @severity(\"low\") @groupBy(\"source.ip\")";
    String drl = HEADER + rule("First", meta, "Event()", "") + rule("Second", meta, "Event()", "");

    assertThatThrownBy(() -> RulePack.compile("t", Map.of("dup.drl", drl)))
        .isInstanceOf(RuleCompilationException.class)
        .hasMessageContaining("rule \"Second\"")
        .hasMessageContaining("used by another rule");
  }

  @Test
  void detectionRuleWithoutTheGlobalIsRejected() {
    String drl =
        "package test.rules;\nimport org.vigil.model.Event;\n"
            + rule("R", "@id(\"r\") @severity(\"low\") @groupBy(\"source.ip\")", "Event()", "");

    assertThatThrownBy(() -> RulePack.compile("t", Map.of("g.drl", drl)))
        .isInstanceOf(RuleCompilationException.class)
        .hasMessageContaining("global org.vigil.rules.engine.Detections detections");
  }

  @Test
  void agendaGroupSetByTheAuthorIsRejected() {
    String drl =
        HEADER
            + "rule \"R\" @id(\"r\") @severity(\"low\") @groupBy(\"source.ip\")\n"
            + "  agenda-group \"mine\"\nwhen\n  Event()\nthen\nend\n";

    assertThatThrownBy(() -> RulePack.compile("t", Map.of("a.drl", drl)))
        .isInstanceOf(RuleCompilationException.class)
        .hasMessageContaining("agenda-group is set by the rule engine");
  }

  @Test
  void aPatternFromAnEntryPointTheStageDoesNotFeedIsRejected() {
    String meta = "@id(\"r\") @severity(\"low\") @groupBy(\"source.ip\") @window(\"1m\")";
    String drl =
        HEADER
            + rule(
                "R",
                meta,
                "$t : Event( $ip : sourceIp ) from entry-point \"arrivals\"\n"
                    + "  $s : Set() from collect( Event( sourceIp == $ip, this before $t )"
                    + " from entry-point \"arrival\" )",
                "");

    assertThatThrownBy(() -> RulePack.compile("t", Map.of("e.drl", drl)))
        .isInstanceOf(RuleCompilationException.class)
        .hasMessageContaining("e.drl:")
        .hasMessageContaining("entry-point \"arrival\" receives no events")
        .hasMessageNotContaining("entry-point \"arrivals\" receives");
  }

  @Test
  void emptyPackIsRejected() {
    assertThatThrownBy(() -> RulePack.compile("t", Map.of()))
        .isInstanceOf(RuleCompilationException.class)
        .hasMessageContaining("no DRL file");
  }

  @Test
  void readsMetadataWithDefaultsAndLists() throws Exception {
    RulePack pack = RulePack.compile("custom", Map.of("one.drl", HEADER + SINGLE_FAILURE));

    RuleDefinition r = pack.rule("one-failure");
    assertThat(r.name()).isEqualTo("A failed login");
    assertThat(r.ruleset()).isEqualTo("custom");
    assertThat(r.version()).isEqualTo(1);
    assertThat(r.severity()).isEqualTo(Severity.LOW);
    assertThat(r.techniqueId()).isNull();
    assertThat(r.groupBy()).containsExactly("user.name", "source.ip");
    assertThat(r.window()).isEqualTo(Duration.ZERO);
    assertThat(r.suppression()).isEqualTo(Duration.ZERO);
    assertThat(r.categories()).isEmpty();
    assertThat(r.description()).isEmpty();
  }

  @Test
  void parsesDurations() {
    assertThat(RuleDefinition.parseDuration("w", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(RuleDefinition.parseDuration("w", "60s")).isEqualTo(Duration.ofSeconds(60));
    assertThat(RuleDefinition.parseDuration("w", "10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(RuleDefinition.parseDuration("w", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(RuleDefinition.parseDuration("w", "2d")).isEqualTo(Duration.ofDays(2));
    assertThat(RuleDefinition.parseDuration("w", "PT90S")).isEqualTo(Duration.ofSeconds(90));
    for (String bad :
        List.of("", "10", "-5s", "5 weeks", "1.5h", "99999999999999999999s", "PT-1S")) {
      assertThatThrownBy(() -> RuleDefinition.parseDuration("window", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("@window(\"" + bad + "\") is not a duration");
    }
  }

  @Test
  void singleEventRuleRaisesOneDetectionPerMatchingEvent() throws Exception {
    RulePack pack = RulePack.compile("custom", Map.of("one.drl", HEADER + SINGLE_FAILURE));
    List<Event> facts =
        List.of(
            RulePackTest.login("a", "198.51.100.1", 0, "failure"),
            RulePackTest.login("b", "198.51.100.1", 1, "success"),
            RulePackTest.login("c", "198.51.100.1", 2, "failure"));

    List<Detection> detections = pack.evaluate("one-failure", facts);

    assertThat(detections).extracting(Detection::triggerEventId).containsExactly("a", "c");
    assertThat(detections.get(0).group())
        .containsExactly(Map.entry("user.name", "root"), Map.entry("source.ip", "198.51.100.1"));
  }

  @Test
  void evaluateFiresOnlyTheNamedRule() throws Exception {
    String other =
        rule(
            "Any login",
            "@id(\"any-login\") @severity(\"low\") @groupBy(\"source.ip\")",
            "$e : Event()",
            "detections.raise( $e );");
    RulePack pack = RulePack.compile("custom", Map.of("two.drl", HEADER + SINGLE_FAILURE + other));
    List<Event> facts = List.of(RulePackTest.login("s", "198.51.100.1", 0, "success"));

    assertThat(pack.evaluate("one-failure", facts)).isEmpty();
    assertThat(pack.evaluate("any-login", facts)).hasSize(1);
  }

  @Test
  void indicatorRulesDeriveFactsBeforeTheDetectionRuleDecides() throws Exception {
    String drl =
        HEADER
            + "declare Suspicious\n  event : Event\nend\n"
            + rule(
                "A login as root is suspicious",
                "@indicator",
                "$e : Event( userName == \"root\" )",
                "insertLogical( new Suspicious( $e ) );")
            + rule(
                "Two suspicious logins",
                "@id(\"two-suspicious\") @severity(\"medium\") @groupBy(\"source.ip\")",
                "$l : java.util.List( size >= 2 ) from accumulate( Suspicious( $e : event ), collectList( $e ) )",
                "detections.raise( $l );");
    RulePack pack = RulePack.compile("custom", Map.of("derive.drl", drl));
    List<Event> facts =
        List.of(
            RulePackTest.login("r1", "198.51.100.1", 0, "success"),
            RulePackTest.login("u1", "198.51.100.1", 1, "success").put("user.name", "alice"),
            RulePackTest.login("r2", "198.51.100.1", 2, "failure"));

    List<Detection> detections = pack.evaluate("two-suspicious", facts);

    assertThat(pack.rules()).extracting(RuleDefinition::id).containsExactly("two-suspicious");
    assertThat(detections).hasSize(1);
    assertThat(detections.get(0).evidenceIds()).containsExactly("r1", "r2");
  }

  @Test
  void loopingRuleIsStoppedWithAClearError() throws Exception {
    String drl =
        HEADER
            + rule(
                "Loops",
                "@id(\"loops\") @severity(\"low\") @groupBy(\"source.ip\")",
                "$e : Event()",
                "update( $e );");
    RulePack pack = RulePack.compile("custom", Map.of("loop.drl", drl));

    assertThatThrownBy(
            () ->
                pack.evaluate(
                    "loops", List.of(RulePackTest.login("x", "198.51.100.1", 0, "failure"))))
        .isInstanceOf(RuleFailureException.class)
        .hasMessageContaining("loops on its own conclusions");
  }

  @Test
  void twoThreadsCompileAtOnce() throws Exception {
    Map<String, String> files = RulePack.builtInSources();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<RulePack>> packs = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        Callable<RulePack> task = () -> RulePack.compile("concurrent", files);
        packs.add(pool.submit(task));
        packs.add(pool.submit(task));
      }
      for (Future<RulePack> f : packs) {
        RulePack pack = f.get(120, TimeUnit.SECONDS);
        assertThat(
                pack.evaluate(
                    "auth-brute-force", RulePackTest.failures("192.0.2.1", 0, 1, 2, 3, 4)))
            .hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void onePackEvaluatesFromManyThreads() throws Exception {
    RulePack pack = RulePack.builtIn();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String ip = "192.0.2." + i;
        int[] seconds = i % 2 == 0 ? new int[] {0, 1, 2, 3, 4} : new int[] {0, 1, 2, 3};
        results.add(
            pool.submit(
                () ->
                    pack.evaluate("auth-brute-force", RulePackTest.failures(ip, seconds)).size()));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get(60, TimeUnit.SECONDS))
            .as("group " + i)
            .isEqualTo(i % 2 == 0 ? 1 : 0);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
