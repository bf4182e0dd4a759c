package org.vigil.dashboards.reports;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The compliance frameworks reports map their controls to: the ones shipped in the rules module
 * (resources {@code compliance/}, listed in {@code index.txt}) and the files an admin puts in an
 * extension folder.
 *
 * <p>Each file is YAML:
 *
 * <pre>
 * id: nist-800-53                    # [a-z0-9-]
 * title: NIST SP 800-53 Rev. 5
 * controls:
 *   - id: AC-7
 *     title: Unsuccessful Logon Attempts
 *     family: Access Control
 *     rules: [site-vpn-lockout]      # optional: rules beyond those whose @compliance names AC-7
 *     evidence: [access, detection]  # optional: sections whose figures are evidence
 * </pre>
 *
 * <p>An extension file whose {@code id} is a framework already loaded extends it rather than
 * replacing it, so an admin's mapping keeps up with the shipped one on upgrade: a control it lists
 * that the framework lacks is added (with title and family), one the framework has gets the file's
 * rules and evidence added to its own (and the file's title or family, when given, replace the
 * shipped text, e.g. to translate it). A file with a new id adds a framework. Extension files are
 * read in file name order.
 *
 * <p>Unknown keys are refused, so a misspelt {@code evidance} is an error naming the file rather
 * than evidence silently missing from every report.
 */
public final class ComplianceFrameworks {
  /** Where the shipped files are on the classpath; {@code index.txt} lists them. */
  public static final String BUILT_IN_FOLDER = "compliance/";

  /**
   * Other names the shipped frameworks answer to: the bare standard and the name with its edition,
   * as auditors write them on the command line.
   */
  private static final Map<String, String> ALIASES =
      Map.of(
          "nist", "nist-800-53",
          "nist-800-53-r5", "nist-800-53",
          "nist-800-53r5", "nist-800-53",
          "iso", "iso-27001",
          "iso-27001-2022", "iso-27001",
          "iso27001", "iso-27001");

  private static final Pattern FRAMEWORK_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern CONTROL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.()_-]{0,63}");
  private static final Set<String> FRAMEWORK_KEYS = Set.of("id", "title", "controls");
  private static final Set<String> CONTROL_KEYS =
      Set.of("id", "title", "family", "rules", "evidence");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Map<String, ComplianceFramework> frameworks;
  private final List<String> order;

  private ComplianceFrameworks(Map<String, ComplianceFramework> frameworks) {
    this.frameworks = Map.copyOf(frameworks);
    this.order = List.copyOf(frameworks.keySet());
  }

  /** The shipped frameworks only. */
  public static ComplianceFrameworks builtIn() {
    try {
      return load(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the shipped frameworks, then every {@code *.yaml} (or {@code *.yml}) file of {@code
   * extensionFolder}.
   *
   * @param extensionFolder the admin's folder, or null for the shipped frameworks only
   * @throws IllegalArgumentException when a file is not a valid framework; the message names the
   *     file and the key; or when the folder does not exist
   * @throws IOException when the folder or a file in it cannot be read
   */
  public static ComplianceFrameworks load(Path extensionFolder) throws IOException {
    Map<String, Draft> drafts = new LinkedHashMap<>();
    for (String name : builtInFiles()) {
      String source = "classpath:" + BUILT_IN_FOLDER + name;
      apply(drafts, parse(source, resource(BUILT_IN_FOLDER + name)), source);
    }
    if (extensionFolder != null) {
      if (!Files.isDirectory(extensionFolder)) {
        throw new IllegalArgumentException(
            "compliance folder " + extensionFolder + " does not exist or is not a folder");
      }
      List<Path> files;
      try (Stream<Path> listing = Files.list(extensionFolder)) {
        files =
            listing
                .filter(p -> isYaml(p.getFileName().toString()) && Files.isRegularFile(p))
                .sorted()
                .toList();
      }
      for (Path file : files) {
        String source = file.toString();
        apply(drafts, parse(source, Files.readString(file, StandardCharsets.UTF_8)), source);
      }
    }
    Map<String, ComplianceFramework> frameworks = new LinkedHashMap<>();
    drafts.forEach((id, draft) -> frameworks.put(id, draft.build()));
    return new ComplianceFrameworks(frameworks);
  }

  /**
   * The framework with this id or one of its aliases ({@code nist}, {@code nist-800-53-r5}, {@code
   * iso}, {@code iso-27001-2022}), ignoring case.
   *
   * @throws IllegalArgumentException when there is none; the message lists the ids there are
   */
  public ComplianceFramework get(String id) {
    String key = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
    ComplianceFramework framework = frameworks.get(ALIASES.getOrDefault(key, key));
    if (framework == null) {
      throw new IllegalArgumentException(
          "unknown compliance framework '" + id + "': use " + String.join(", ", order));
    }
    return framework;
  }

  /** Every framework, the shipped ones first, then those extension files added. */
  public List<ComplianceFramework> all() {
    return order.stream().map(frameworks::get).toList();
  }

  private static boolean isYaml(String name) {
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  private static void apply(Map<String, Draft> drafts, FrameworkFile file, String source) {
    Draft draft = drafts.get(file.id());
    if (draft == null) {
      if (file.title() == null) {
        throw new IllegalArgumentException(
            "compliance file "
                + source
                + ": 'title' is missing (a file adding framework "
                + file.id()
                + " needs one)");
      }
      draft = new Draft(file.id(), file.title());
      drafts.put(file.id(), draft);
    } else if (file.title() != null) {
      draft.title = file.title();
    }
    for (ControlEntry entry : file.controls()) {
      ControlDraft control = draft.controls.get(entry.id());
      if (control == null) {
        if (entry.title() == null || entry.family() == null) {
          throw new IllegalArgumentException(
              "compliance file "
                  + source
                  + ": control "
                  + entry.id()
                  + ": '"
                  + (entry.title() == null ? "title" : "family")
                  + "' is missing (control "
                  + entry.id()
                  + " is new to framework "
                  + file.id()
                  + ")");
        }
        control = new ControlDraft(entry.id(), entry.title(), entry.family());
        draft.controls.put(entry.id(), control);
      } else {
        if (entry.title() != null) {
          control.title = entry.title();
        }
        if (entry.family() != null) {
          control.family = entry.family();
        }
      }
      control.rules.addAll(entry.rules());
      control.evidence.addAll(entry.evidence());
    }
  }

  /** Reads one file's content, checking every key, without regard to other files. */
  static FrameworkFile parse(String source, String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new IllegalArgumentException(
          "compliance file "
              + source
              + " is not valid YAML"
              + (at == null ? "" : " (line " + at.getLineNr() + ")")
              + ": "
              + e.getOriginalMessage(),
          e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          "compliance file " + source + ": expected a mapping with id, title and controls");
    }
    unknownKeys(source, "", root, FRAMEWORK_KEYS);
    String id = text(source, "", root, "id", true);
    if (!FRAMEWORK_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "compliance file "
              + source
              + ": 'id' must be lowercase words and dashes, not '"
              + id
              + "'");
    }
    String title = text(source, "", root, "title", false);
    JsonNode controls = root.get("controls");
    if (controls == null || !controls.isArray()) {
      throw new IllegalArgumentException(
          "compliance file " + source + ": 'controls' must be a list of controls");
    }
    List<ControlEntry> entries = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < controls.size(); i++) {
      JsonNode node = controls.get(i);
      String where = "controls[" + i + "]: ";
      if (!node.isObject()) {
        throw new IllegalArgumentException(
            "compliance file "
                + source
                + ": "
                + where
                + "expected a mapping with id, title, family");
      }
      String controlId = text(source, where, node, "id", true);
      if (!CONTROL_ID.matcher(controlId).matches()) {
        throw new IllegalArgumentException(
            "compliance file "
                + source
                + ": "
                + where
                + "'id' is not a control id: '"
                + controlId
                + "'");
      }
      where = "control " + controlId + ": ";
      unknownKeys(source, where, node, CONTROL_KEYS);
      if (!seen.add(controlId)) {
        throw new IllegalArgumentException(
            "compliance file " + source + ": " + where + "listed twice");
      }
      List<String> rules = strings(source, where, node, "rules");
      List<SectionKind> evidence = new ArrayList<>();
      for (String section : strings(source, where, node, "evidence")) {
        SectionKind kind;
        try {
          kind = SectionKind.fromWire(section);
        } catch (IllegalArgumentException e) {
          kind = null;
        }
        if (kind == null || kind == SectionKind.CONTROLS) {
          throw new IllegalArgumentException(
              "compliance file "
                  + source
                  + ": "
                  + where
                  + "'evidence' names '"
                  + section
                  + "': use coverage, detection, response or access");
        }
        evidence.add(kind);
      }
      entries.add(
          new ControlEntry(
              controlId,
              text(source, where, node, "title", false),
              text(source, where, node, "family", false),
              rules,
              evidence));
    }
    return new FrameworkFile(id, title, entries);
  }

  private static void unknownKeys(String source, String where, JsonNode node, Set<String> known) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            "compliance file "
                + source
                + ": "
                + where
                + "unknown key '"
                + name
                + "'; known keys: "
                + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  private static String text(
      String source, String where, JsonNode node, String key, boolean required) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      if (required) {
        throw new IllegalArgumentException(
            "compliance file " + source + ": " + where + "'" + key + "' is missing");
      }
      return null;
    }
    if (!value.isValueNode() || value.asText().isBlank()) {
      throw new IllegalArgumentException(
          "compliance file " + source + ": " + where + "'" + key + "' must be non-empty text");
    }
    return value.asText().strip();
  }

  private static List<String> strings(String source, String where, JsonNode node, String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new IllegalArgumentException(
          "compliance file " + source + ": " + where + "'" + key + "' must be a list, e.g. [a, b]");
    }
    List<String> items = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isValueNode() || item.isNull() || item.asText().isBlank()) {
        throw new IllegalArgumentException(
            "compliance file " + source + ": " + where + "'" + key + "' holds an empty item");
      }
      items.add(item.asText().strip());
    }
    return items;
  }

  private static List<String> builtInFiles() {
    List<String> names = new ArrayList<>();
    for (String line : resource(BUILT_IN_FOLDER + "index.txt").split("\n")) {
      String name = line.strip();
      if (!name.isEmpty() && !name.startsWith("#")) {
        names.add(name);
      }
    }
    return names;
  }

  private static String resource(String path) {
    try (InputStream in = ComplianceFrameworks.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            "classpath resource " + path + " is missing (is module rules on the classpath?)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classpath resource " + path, e);
    }
  }

  /** One file's content as written; title and family may be absent in an extension. */
  record FrameworkFile(String id, String title, List<ControlEntry> controls) {}

  record ControlEntry(
      String id, String title, String family, List<String> rules, List<SectionKind> evidence) {}

  /** A framework while files are merged into it. */
  private static final class Draft {
    private final String id;
    private String title;
    private final Map<String, ControlDraft> controls = new LinkedHashMap<>();

    Draft(String id, String title) {
      this.id = id;
      this.title = title;
    }

    ComplianceFramework build() {
      return new ComplianceFramework(
          id, title, controls.values().stream().map(ControlDraft::build).toList());
    }
  }

  private static final class ControlDraft {
    private final String id;
    private String title;
    private String family;
    private final Set<String> rules = new LinkedHashSet<>();
    private final Set<SectionKind> evidence = new LinkedHashSet<>();

    ControlDraft(String id, String title, String family) {
      this.id = id;
      this.title = title;
      this.family = family;
    }

    ComplianceControl build() {
      return new ComplianceControl(id, title, family, List.copyOf(rules), List.copyOf(evidence));
    }
  }
}
