package org.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The shipped compliance mappings (resources {@code compliance/}) against the shipped rule pack: a
 * control a rule's {@code @compliance} names but no framework lists would vanish from every control
 * mapping report, so the auditor would never see that the rule gives evidence for it.
 */
class ComplianceFilesTest {
  private static final String FOLDER = "compliance/";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void everyControlNamedByAShippedRuleIsInAShippedFramework() throws IOException {
    Set<String> listed = new HashSet<>();
    for (JsonNode framework : frameworks().values()) {
      framework.get("controls").forEach(c -> listed.add(c.get("id").asText()));
    }
    Set<String> missing = new TreeSet<>();
    for (RuleDefinition rule : RulePack.builtIn().rules()) {
      for (String control : rule.compliance()) {
        if (!listed.contains(control)) {
          missing.add(control + " (rule " + rule.id() + ")");
        }
      }
    }

    assertThat(missing).as("controls named by @compliance but in no framework").isEmpty();
  }

  @Test
  void shippedRulesNameControlsOfBothFrameworks() throws IOException {
    Set<String> named = new HashSet<>();
    RulePack.builtIn().rules().forEach(r -> named.addAll(r.compliance()));

    assertThat(named).contains("SI-4", "AC-7", "A.8.16", "A.8.5");
    assertThat(frameworks()).containsOnlyKeys("nist-800-53", "iso-27001");
  }

  @Test
  void isoAnnexAListsAllNinetyThreeControlsInItsFourThemes() throws IOException {
    JsonNode iso = frameworks().get("iso-27001");
    Map<String, Integer> perTheme = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    iso.get("controls")
        .forEach(
            c -> {
              ids.add(c.get("id").asText());
              perTheme.merge(c.get("family").asText(), 1, Integer::sum);
            });

    assertThat(ids).hasSize(93).doesNotHaveDuplicates().startsWith("A.5.1").endsWith("A.8.34");
    assertThat(perTheme)
        .containsExactly(
            Map.entry("Organizational controls", 37),
            Map.entry("People controls", 8),
            Map.entry("Physical controls", 14),
            Map.entry("Technological controls", 34));
  }

  @Test
  void nistListsBaseControlsOnlyOfTheSocFamiliesWithoutRepeats() throws IOException {
    JsonNode nist = frameworks().get("nist-800-53");
    List<String> ids = new ArrayList<>();
    Set<String> families = new TreeSet<>();
    nist.get("controls")
        .forEach(
            c -> {
              ids.add(c.get("id").asText());
              families.add(c.get("id").asText().substring(0, 2));
            });

    assertThat(ids)
        .doesNotHaveDuplicates()
        .allMatch(id -> id.matches("[A-Z]{2}-[0-9]{1,2}"), "base control ids, no enhancements")
        .contains("AC-2", "AC-7", "AU-6", "AU-9", "AU-12", "CA-7", "IR-4", "RA-5", "SI-4");
    assertThat(families).containsExactly("AC", "AU", "CA", "CM", "IA", "IR", "RA", "SC", "SI");
  }

  @Test
  void everyControlHasATitleAFamilyAndOnlyKnownSectionsAsEvidence() throws IOException {
    Set<String> sections = Set.of("coverage", "detection", "response", "access");
    for (JsonNode framework : frameworks().values()) {
      for (JsonNode control : framework.get("controls")) {
        String id = control.get("id").asText();
        assertThat(control.path("title").asText()).as(id + " title").isNotBlank();
        assertThat(control.path("family").asText()).as(id + " family").isNotBlank();
        control
            .path("evidence")
            .forEach(e -> assertThat(sections).as(id + " evidence").contains(e.asText()));
      }
    }
  }

  /** The files index.txt names, parsed, by their {@code id}. */
  private static Map<String, JsonNode> frameworks() throws IOException {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (String line : resource(FOLDER + "index.txt").split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      JsonNode framework = YAML.readTree(resource(FOLDER + name));
      assertThat(framework.path("id").asText()).as(name + " id").isNotBlank();
      assertThat(framework.path("title").asText()).as(name + " title").isNotBlank();
      assertThat(framework.path("controls").isArray()).as(name + " controls").isTrue();
      byId.put(framework.get("id").asText(), framework);
    }
    return byId;
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = ComplianceFilesTest.class.getClassLoader().getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
