package org.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleReleaseTest {
  private static final Instant AT = Instant.parse("2026-11-26T07:00:00Z");
  private static final String DRL =
      "package test.rules;\n"
          + "import org.vigil.model.Event;\n"
          + "global org.vigil.rules.engine.Detections detections;\n"
          + "rule \"A failed login\" @id(\"one-failure\") @severity(\"low\")"
          + " @groupBy(\"source.ip\")\n"
          + "when\n  $e : Event( outcome == \"failure\" )\nthen\n  detections.raise( $e );\nend\n";

  @Test
  void survivesItsWireForm() {
    RuleRelease release = RuleRelease.of("vigil", 3, "alice", AT, Map.of("a.drl", DRL));

    RuleRelease read = RuleRelease.fromJson(release.toJson());

    assertThat(read).isEqualTo(release);
    assertThat(read.contentHash()).startsWith("sha256:");
  }

  @Test
  void hashIgnoresFileOrderVersionAndDeployer() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a.drl", "x");
    ab.put("b.drl", "y");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b.drl", "y");
    ba.put("a.drl", "x");

    assertThat(RuleRelease.of("vigil", 1, "alice", AT, ab).contentHash())
        .isEqualTo(RuleRelease.of("vigil", 2, "bob", AT.plusSeconds(5), ba).contentHash())
        .isNotEqualTo(RuleRelease.of("other", 1, "alice", AT, ab).contentHash());
  }

  @Test
  void refusesAReleaseWhoseFilesDoNotMatchItsHash() {
    String json =
        new String(
                RuleRelease.of("vigil", 1, "alice", AT, Map.of("a.drl", DRL)).toJson(),
                StandardCharsets.UTF_8)
            .replace("failure", "success");

    assertThatThrownBy(() -> RuleRelease.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("corrupt");
  }

  @Test
  void acceptsAHandWrittenReleaseWithoutHash() {
    RuleRelease read =
        RuleRelease.fromJson(
            "{\"ruleset\":\"vigil\",\"version\":2,\"deployedBy\":\"ops\","
                + "\"deployedAt\":\"2026-11-26T07:00:00Z\",\"files\":{\"a.drl\":\"x\"}}");

    assertThat(read.version()).isEqualTo(2);
    assertThat(read.contentHash()).isEqualTo(RuleRelease.hashOf("vigil", Map.of("a.drl", "x")));
  }

  @Test
  void namesWhatIsWrongWithMalformedInput() {
    assertThatThrownBy(() -> RuleRelease.fromJson("not json")).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> RuleRelease.fromJson("{\"ruleset\":\"vigil\",\"files\":{}}"))
        .hasMessageContaining("version");
    assertThatThrownBy(
            () ->
                RuleRelease.fromJson(
                    "{\"ruleset\":\"Bad Id\",\"version\":1,\"deployedBy\":\"a\","
                        + "\"deployedAt\":\"2026-11-26T07:00:00Z\",\"files\":{\"a\":\"x\"}}"))
        .hasMessageContaining("ruleset id 'Bad Id'");
  }

  @Test
  void compilesEachContentOncePerJvm() throws Exception {
    RulePack first = RuleRelease.of("cache-test", 1, "a", AT, Map.of("a.drl", DRL)).compile();
    RulePack second = RuleRelease.of("cache-test", 2, "b", AT, Map.of("a.drl", DRL)).compile();

    assertThat(second).isSameAs(first);
    assertThat(first.id()).isEqualTo("cache-test");
    assertThat(first.rule("one-failure")).isNotNull();
  }

  @Test
  void aBrokenReleaseFailsWithFileAndLineEveryTime() {
    RuleRelease broken =
        RuleRelease.of("cache-test", 1, "a", AT, Map.of("broken.drl", DRL.replace("==", "== ==")));

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(broken::compile)
          .isInstanceOf(RuleCompilationException.class)
          .hasMessageContaining("broken.drl:");
    }
  }

  @Test
  void aReleaseArrivingWithForbiddenCodeDoesNotCompile() {
    String evil =
        DRL.replace(
            "detections.raise(",
            "java.lang.Runtime.getRuntime().exec(\"id\");\n  detections.raise(");
    assertThat(evil).isNotEqualTo(DRL);
    RuleRelease release = RuleRelease.of("vigil", 4, "mallory", AT, Map.of("evil.drl", evil));

    assertThatThrownBy(release::compile)
        .isInstanceOf(RuleCompilationException.class)
        .hasMessageContaining("evil.drl:")
        .hasMessageContaining("'java.lang.Runtime' is not allowed in rules");
  }

  @Test
  void theNoteTravelsInTheWireFormAndIsNotPartOfTheContentHash() {
    RuleRelease plain = RuleRelease.of("vigil", 2, "alice", AT, Map.of("a.drl", DRL));
    RuleRelease noted =
        RuleRelease.of("vigil", 3, "carol", AT, Map.of("a.drl", DRL), "rollback to version 2");

    assertThat(RuleRelease.fromJson(noted.toJson()).note()).isEqualTo("rollback to version 2");
    assertThat(RuleRelease.fromJson(plain.toJson()).note()).isEmpty();
    assertThat(noted.contentHash()).isEqualTo(plain.contentHash());
    assertThat(noted.ruleCount()).isEqualTo(1);
  }
}
