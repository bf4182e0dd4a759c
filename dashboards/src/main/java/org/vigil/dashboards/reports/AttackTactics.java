package org.vigil.dashboards.reports;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which MITRE ATT&CK tactics an alert's technique serves, so the detection section can count alerts
 * by tactic. Read from {@code reports/attack-tactics.yaml}; a sub-technique ({@code T1110.001})
 * serves its parent's tactics, and a technique the file does not list is {@link #UNMAPPED}.
 */
public final class AttackTactics {
  /** The tactic of an alert without a technique, or with one the mapping does not know. */
  public static final String UNMAPPED = "(unmapped)";

  static final String RESOURCE = "reports/attack-tactics.yaml";

  private static final Pattern TECHNIQUE = Pattern.compile("T\\d{4}");
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static volatile AttackTactics shipped;

  private final List<String> tactics;
  private final Map<String, List<String>> byTechnique;

  private AttackTactics(List<String> tactics, Map<String, List<String>> byTechnique) {
    this.tactics = List.copyOf(tactics);
    this.byTechnique = Map.copyOf(byTechnique);
  }

  /** The mapping shipped with Vigil. */
  public static AttackTactics shipped() {
    AttackTactics mapping = shipped;
    if (mapping == null) {
      try (InputStream in = AttackTactics.class.getClassLoader().getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is missing from the classpath");
        }
        mapping = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
      shipped = mapping;
    }
    return mapping;
  }

  /**
   * Reads a mapping in the form of {@code attack-tactics.yaml}.
   *
   * @throws IllegalArgumentException naming the technique or tactic that is wrong
   */
  static AttackTactics parse(String yaml) {
    MappingFile file;
    try {
      file = YAML.readValue(yaml, MappingFile.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("bad ATT&CK tactic mapping: " + e.getMessage(), e);
    }
    if (file == null || file.tactics() == null || file.techniques() == null) {
      throw new IllegalArgumentException("an ATT&CK tactic mapping needs tactics and techniques");
    }
    Map<String, List<String>> byTechnique = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : file.techniques().entrySet()) {
      if (!TECHNIQUE.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException(
            "technique '" + e.getKey() + "' is not a parent technique id such as T1110");
      }
      if (e.getValue() == null || e.getValue().isEmpty()) {
        throw new IllegalArgumentException("technique " + e.getKey() + " names no tactic");
      }
      for (String tactic : e.getValue()) {
        if (!file.tactics().contains(tactic)) {
          throw new IllegalArgumentException(
              "technique " + e.getKey() + " names tactic '" + tactic + "', which is not listed");
        }
      }
      byTechnique.put(e.getKey(), e.getValue());
    }
    return new AttackTactics(file.tactics(), byTechnique);
  }

  /** Every tactic in ATT&CK's order, without {@link #UNMAPPED}. */
  public List<String> tactics() {
    return tactics;
  }

  /**
   * The tactics {@code techniqueId} serves, in ATT&CK's order; {@code [(unmapped)]} when it is
   * empty, null or unknown.
   */
  public List<String> tacticsOf(String techniqueId) {
    if (techniqueId == null || techniqueId.isBlank()) {
      return List.of(UNMAPPED);
    }
    String id = techniqueId.strip().toUpperCase(Locale.ROOT);
    int dot = id.indexOf('.');
    String parent = dot < 0 ? id : id.substring(0, dot);
    List<String> found = byTechnique.get(parent);
    if (found == null) {
      return List.of(UNMAPPED);
    }
    return tactics.stream().filter(found::contains).toList();
  }

  private record MappingFile(
      @JsonProperty("tactics") List<String> tactics,
      @JsonProperty("techniques") Map<String, List<String>> techniques) {}
}
