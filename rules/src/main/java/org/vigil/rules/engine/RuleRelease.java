package org.vigil.rules.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One deployed version of a ruleset: its DRL files as the rule admin wrote them, who deployed them
 * and when. {@code vigil rules deploy} publishes releases to the compacted topic {@code
 * vigil.rules}, keyed by ruleset id, so the topic keeps the latest release of every ruleset; the
 * correlation job reads them as a broadcast stream and swaps packs without a restart.
 *
 * <p>Wire form (UTF-8 JSON, one release per Kafka record):
 *
 * <pre>
 * {"ruleset":"vigil","version":3,"deployedBy":"alice","deployedAt":"2026-11-26T07:00:00Z",
 *  "contentHash":"sha256:9f2c…","note":"rollback to version 1","files":{"auth.drl":"package …"}}
 * </pre>
 *
 * <p>{@code note} is optional.
 *
 * <p>The content hash covers the ruleset id and every file name and text (in name order), not the
 * version or deployer: two releases with the same rules compile to the same pack, so {@link
 * #compile()} compiles each content once per JVM and every Flink subtask of that JVM shares the
 * result (DESIGN.md: concurrent Drools compiles race, and a compile costs seconds). A decoded
 * release whose stated hash does not match its files is refused as corrupt; a hand-written release
 * may leave the hash out.
 *
 * <p>Version 0 is the shipped pack ({@link RulePack#builtIn()}), which a release of ruleset {@code
 * vigil} replaces; deployed releases count from 1.
 *
 * @param ruleset the pack id every rule of the release carries ({@code [a-z0-9][a-z0-9._-]*})
 * @param version 1 or more; a job ignores a release not newer than the one it runs
 * @param files DRL text by file name, in the order the pack reads them
 * @param note why it was deployed, e.g. "rollback to version 2"; empty when nothing was said
 */
public record RuleRelease(
    String ruleset,
    int version,
    String deployedBy,
    Instant deployedAt,
    Map<String, String> files,
    String contentHash,
    String note) {

  /** The version the shipped pack counts as until a release of its ruleset exists. */
  public static final int BUILT_IN_VERSION = 0;

  private static final Pattern RULESET = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RULE_LINE = Pattern.compile("(?m)^\\s*rule\\s+[\"']");
  private static final String HASH_PREFIX = "sha256:";

  /** Compiled packs (or their compile errors) by content hash; a few, as releases are rare. */
  private static final int CACHED_PACKS = 8;

  private static final Map<String, Object> COMPILED =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
              return size() > CACHED_PACKS;
            }
          });

  public RuleRelease {
    note = note == null ? "" : note.strip();
    Objects.requireNonNull(ruleset, "ruleset");
    Objects.requireNonNull(deployedBy, "deployedBy");
    Objects.requireNonNull(deployedAt, "deployedAt");
    Objects.requireNonNull(files, "files");
    if (!RULESET.matcher(ruleset).matches()) {
      throw new IllegalArgumentException(
          "ruleset id '" + ruleset + "' must be lower-case letters, digits, '.', '_' or '-'");
    }
    if (version < 1) {
      throw new IllegalArgumentException("release version must be 1 or more: " + version);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("a release of ruleset '" + ruleset + "' needs a file");
    }
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    String computed = hashOf(ruleset, files);
    if (contentHash == null) {
      contentHash = computed;
    } else if (!contentHash.equals(computed)) {
      throw new IllegalArgumentException(
          "release "
              + ruleset
              + " version "
              + version
              + " is corrupt: its content hash is "
              + contentHash
              + " but its files hash to "
              + computed);
    }
  }

  /** A release without a note. */
  public RuleRelease(
      String ruleset,
      int version,
      String deployedBy,
      Instant deployedAt,
      Map<String, String> files,
      String contentHash) {
    this(ruleset, version, deployedBy, deployedAt, files, contentHash, "");
  }

  /** A new release with a note; the content hash is computed. */
  public static RuleRelease of(
      String ruleset,
      int version,
      String deployedBy,
      Instant deployedAt,
      Map<String, String> files,
      String note) {
    return new RuleRelease(ruleset, version, deployedBy, deployedAt, files, null, note);
  }

  /** A new release; the content hash is computed. */
  public static RuleRelease of(
      String ruleset,
      int version,
      String deployedBy,
      Instant deployedAt,
      Map<String, String> files) {
    return new RuleRelease(ruleset, version, deployedBy, deployedAt, files, null);
  }

  /** The wire form, UTF-8 JSON. */
  public byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("ruleset", ruleset);
    root.put("version", version);
    root.put("deployedBy", deployedBy);
    root.put("deployedAt", deployedAt.toString());
    root.put("contentHash", contentHash);
    if (!note.isEmpty()) {
      root.put("note", note);
    }
    ObjectNode fileNode = root.putObject("files");
    files.forEach(fileNode::put);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings always serialises", e);
    }
  }

  /**
   * Reads the wire form.
   *
   * @throws IllegalArgumentException saying what is wrong: not JSON, a missing or malformed field,
   *     or a content hash that does not match the files
   */
  public static RuleRelease fromJson(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("rule release is not JSON: " + e.getOriginalMessage(), e);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("rule release cannot be read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("rule release is not a JSON object");
    }
    JsonNode filesNode = root.path("files");
    if (!filesNode.isObject()) {
      throw new IllegalArgumentException("rule release has no \"files\" object");
    }
    Map<String, String> files = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = filesNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> file = it.next();
      if (!file.getValue().isTextual()) {
        throw new IllegalArgumentException(
            "rule release file \"" + file.getKey() + "\" is not a string of DRL");
      }
      files.put(file.getKey(), file.getValue().asText());
    }
    JsonNode version = root.path("version");
    if (!version.canConvertToInt() || !version.isIntegralNumber()) {
      throw new IllegalArgumentException("rule release has no whole-number \"version\"");
    }
    Instant deployedAt;
    try {
      deployedAt = Instant.parse(text(root, "deployedAt"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "rule release \"deployedAt\" is not an ISO-8601 instant: " + e.getParsedString(), e);
    }
    JsonNode hash = root.get("contentHash");
    return new RuleRelease(
        text(root, "ruleset"),
        version.intValue(),
        text(root, "deployedBy"),
        deployedAt,
        files,
        hash == null || hash.isNull() ? null : hash.asText(),
        root.path("note").isTextual() ? root.path("note").asText() : "");
  }

  /** Reads the wire form from a UTF-8 string. */
  public static RuleRelease fromJson(String json) {
    return fromJson(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The compiled pack, compiled at most once per JVM for this content (the last few contents are
   * cached, compile errors included, so every subtask rejects a broken release with the same
   * message without compiling it again). Compiles run one at a time: a deploy is rare and
   * serialising them also keeps Drools' builders from racing.
   *
   * @throws RuleCompilationException listing every compile error with file and line
   */
  public RulePack compile() throws RuleCompilationException {
    Object result;
    synchronized (COMPILED) {
      result = COMPILED.get(contentHash);
      if (result == null) {
        try {
          result = RulePack.compile(ruleset, files);
        } catch (RuleCompilationException e) {
          result = e;
        }
        COMPILED.put(contentHash, result);
      }
    }
    if (result instanceof RuleCompilationException e) {
      throw e;
    }
    return (RulePack) result;
  }

  /** How many rules the files declare, counted from their text without compiling them. */
  public int ruleCount() {
    int n = 0;
    for (String drl : files.values()) {
      n += (int) RULE_LINE.matcher(drl).results().count();
    }
    return n;
  }

  /** "vigil version 3 (by alice at 2026-11-26T07:00:00Z)", for logs. */
  public String describe() {
    return ruleset + " version " + version + " (by " + deployedBy + " at " + deployedAt + ")";
  }

  @Override
  public String toString() {
    return "RuleRelease{" + describe() + ", files=" + files.keySet() + ", " + contentHash + "}";
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw new IllegalArgumentException("rule release has no \"" + field + "\" text");
    }
    return node.asText();
  }

  /** SHA-256 over the ruleset id and the files in name order, so file order does not matter. */
  static String hashOf(String ruleset, Map<String, String> files) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
    update(digest, ruleset);
    for (Map.Entry<String, String> file : new TreeMap<>(files).entrySet()) {
      update(digest, file.getKey());
      update(digest, file.getValue());
    }
    return HASH_PREFIX + HexFormat.of().formatHex(digest.digest());
  }

  private static void update(MessageDigest digest, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    // The length prefix keeps "ab"+"c" and "a"+"bc" apart.
    digest.update(
        new byte[] {
          (byte) (bytes.length >>> 24),
          (byte) (bytes.length >>> 16),
          (byte) (bytes.length >>> 8),
          (byte) bytes.length
        });
    digest.update(bytes);
  }
}
