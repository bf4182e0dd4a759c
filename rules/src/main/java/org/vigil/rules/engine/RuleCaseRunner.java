package org.vigil.rules.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.vigil.model.Documents;
import org.vigil.model.Event;
import org.vigil.model.Severity;

/**
 * Runs each rule's test cases, so a rule is tested like code (the way SigmaHQ keeps regression
 * samples per rule). Used by the unit tests and by {@code vigil rules test}.
 *
 * <p>Layout of a pack folder:
 *
 * <pre>
 * cases/auth-brute-force/expected.yaml     positive.jsonl: 1
 *                                          burst.log: {count: 2, groups: ["203.0.113.7"]}
 *                                          benign.jsonl: 0
 * cases/auth-brute-force/positive.jsonl    one Elasticsearch event document per line
 * cases/auth-brute-force/burst.log         raw syslog lines, through the real parser
 * benign/*.jsonl, benign/*.log             ordinary traffic on which no rule may raise
 * </pre>
 *
 * <p>An event line is an ECS document, nested or with dotted keys, with {@code @timestamp}
 * (ISO-8601 or epoch milliseconds) and an optional {@code _id} (default {@code file:line}); lines
 * starting with {@code //} are comments. A {@code .log} line is a raw syslog message, decoded by
 * the {@link RawLogDecoder} the runner was given; lines starting with {@code #} are comments, and a
 * first comment line may set the year and zone of RFC 3164 timestamps, which carry neither, and the
 * sending device ({@code observer.ip}): {@code # year: 2025 zone: Europe/Berlin peer: 10.1.2.3}
 * (default: {@value #DEFAULT_YEAR}, UTC, {@value #DEFAULT_PEER}).
 *
 * <p>The runner does what the correlation job does: it keeps the events the rule accepts, splits
 * them by the rule's group-by fields, evaluates each group and counts the detections. Every rule of
 * the pack needs a folder with at least one case expecting detections and one expecting none.
 */
public final class RuleCaseRunner {
  /** The expectations file of a rule's case folder. */
  public static final String EXPECTED_FILE = "expected.yaml";

  /** The year of RFC 3164 timestamps in a {@code .log} case that does not say. */
  public static final int DEFAULT_YEAR = 2026;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern YEAR = Pattern.compile("\\byear\\s*[:=]\\s*(\\d{4})\\b");
  private static final Pattern ZONE = Pattern.compile("\\bzone\\s*[:=]\\s*(\\S+)");
  private static final Pattern PEER = Pattern.compile("\\bpeer\\s*[:=]\\s*(\\S+)");

  /** The sending device of a {@code .log} case that does not say (RFC 5737 documentation net). */
  public static final String DEFAULT_PEER = "192.0.2.1";

  private static final Set<String> EXPECTATION_KEYS = Set.of("count", "groups", "severity");

  /**
   * What a case expects: the number of detections and, optionally, the distinct group values that
   * raised (each in the rule's group-by order) and the rule's severity.
   *
   * @param groups null when the case does not say
   * @param severity null when the case does not say
   */
  public record Expectation(int count, Set<List<String>> groups, Severity severity) {}

  /**
   * The outcome of one case, or a problem with the rule's cases as a whole ({@code caseName} is
   * then {@code "*"}).
   *
   * @param expected the expected number of detections (-1 when the expectation is malformed)
   * @param actual the number of detections raised
   * @param problem why the case could not run; null when it ran
   * @param differences what differs besides the count: missing or unexpected groups, severity
   */
  public record CaseResult(
      String ruleId,
      String caseName,
      int expected,
      int actual,
      String problem,
      List<String> differences) {
    public CaseResult {
      differences = List.copyOf(differences);
    }

    public CaseResult(String ruleId, String caseName, int expected, int actual, String problem) {
      this(ruleId, caseName, expected, actual, problem, List.of());
    }

    public boolean passed() {
      return problem == null && expected == actual && differences.isEmpty();
    }

    /** Why the case failed, or "ok". */
    public String detail() {
      if (problem != null) {
        return problem;
      }
      if (passed()) {
        return "ok";
      }
      List<String> parts = new ArrayList<>();
      if (expected != actual) {
        parts.add("expected " + expected + " detections, got " + actual);
      }
      parts.addAll(differences);
      return String.join("; ", parts);
    }

    @Override
    public String toString() {
      return ruleId + "/" + caseName + ": " + detail();
    }
  }

  private final RulePack pack;
  private final RawLogDecoder decoder;

  /** A runner for JSON cases only; a {@code .log} case reports that it needs a decoder. */
  public RuleCaseRunner(RulePack pack) {
    this(pack, null);
  }

  /**
   * @param decoder decodes the lines of {@code .log} cases; null when there is none
   */
  public RuleCaseRunner(RulePack pack, RawLogDecoder decoder) {
    this.pack = pack;
    this.decoder = decoder;
  }

  /**
   * Runs a whole pack folder: its {@code cases/} (every rule needs a folder) and, when present, its
   * shared {@code benign/} corpus.
   */
  public List<CaseResult> runPack(Path packFolder) throws IOException {
    List<CaseResult> results = new ArrayList<>();
    Path cases = packFolder.resolve("cases");
    if (Files.isDirectory(cases)) {
      results.addAll(runAll(cases));
    } else {
      for (RuleDefinition rule : pack.rules()) {
        results.add(problem(rule.id(), "no test cases: create " + cases.resolve(rule.id())));
      }
    }
    Path benign = packFolder.resolve("benign");
    if (Files.isDirectory(benign)) {
      results.addAll(runBenign(benign));
    }
    return results;
  }

  /** Runs every case folder under {@code root} and checks that every rule of the pack has one. */
  public List<CaseResult> runAll(Path root) throws IOException {
    List<CaseResult> results = new ArrayList<>();
    for (RuleDefinition rule : pack.rules()) {
      Path folder = root.resolve(rule.id());
      if (!Files.isDirectory(folder)) {
        results.add(problem(rule.id(), "no test cases: create " + folder));
      }
    }
    try (Stream<Path> folders = Files.list(root)) {
      for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
        results.addAll(run(fileName(folder), folder));
      }
    }
    return results;
  }

  /**
   * Runs every rule of the pack over every file of the shared benign corpus: each must raise
   * nothing. One result per rule and file, named {@code benign/<file>}.
   */
  public List<CaseResult> runBenign(Path folder) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(folder)) {
      files = list.filter(p -> isCaseFile(fileName(p)) && Files.isRegularFile(p)).sorted().toList();
    }
    List<CaseResult> results = new ArrayList<>();
    for (Path file : files) {
      String caseName = "benign/" + fileName(file);
      List<Event> events;
      try {
        events = readCase(file);
      } catch (IllegalArgumentException e) {
        results.add(new CaseResult("*", caseName, 0, 0, e.getMessage()));
        continue;
      }
      for (RuleDefinition rule : pack.rules()) {
        List<Detection> raised;
        try {
          raised = detectionsOf(rule, events);
        } catch (RuleFailureException e) {
          results.add(new CaseResult(rule.id(), caseName, 0, 0, e.getMessage()));
          continue;
        }
        List<String> differences = new ArrayList<>();
        if (!raised.isEmpty()) {
          differences.add("raised for " + describeGroups(groupsOf(raised)));
        }
        results.add(new CaseResult(rule.id(), caseName, 0, raised.size(), null, differences));
      }
    }
    return results;
  }

  /** Runs the cases of one rule from its folder. */
  public List<CaseResult> run(String ruleId, Path folder) throws IOException {
    RuleDefinition rule = pack.rule(ruleId);
    if (rule == null) {
      return List.of(problem(ruleId, "the pack '" + pack.id() + "' has no rule with this id"));
    }
    Path expectedFile = folder.resolve(EXPECTED_FILE);
    if (!Files.isRegularFile(expectedFile)) {
      return List.of(problem(ruleId, "missing " + expectedFile));
    }
    Map<?, ?> expected;
    try (InputStream in = Files.newInputStream(expectedFile)) {
      expected = YAML.readValue(in, Map.class);
    } catch (JsonProcessingException e) {
      return List.of(
          problem(
              ruleId,
              EXPECTED_FILE
                  + ":"
                  + (e.getLocation() == null ? 0 : e.getLocation().getLineNr())
                  + ": not a YAML map of case file to expectation: "
                  + e.getOriginalMessage()));
    }
    if (expected == null || expected.isEmpty()) {
      return List.of(problem(ruleId, EXPECTED_FILE + " lists no case"));
    }
    List<CaseResult> results = new ArrayList<>();
    boolean positive = false;
    boolean benign = false;
    for (Map.Entry<?, ?> entry : expected.entrySet()) {
      String caseName = String.valueOf(entry.getKey());
      Expectation expectation;
      try {
        expectation = expectation(rule, entry.getValue());
      } catch (IllegalArgumentException e) {
        results.add(new CaseResult(ruleId, caseName, -1, 0, EXPECTED_FILE + ": " + e.getMessage()));
        continue;
      }
      int count = expectation.count();
      positive |= count > 0;
      benign |= count == 0;
      Path file = folder.resolve(caseName);
      if (!Files.isRegularFile(file)) {
        results.add(new CaseResult(ruleId, caseName, count, 0, "missing case file " + file));
        continue;
      }
      try {
        List<Detection> raised = detectionsOf(rule, readCase(file));
        results.add(
            new CaseResult(
                ruleId, caseName, count, raised.size(), null, compare(rule, expectation, raised)));
      } catch (IllegalArgumentException | RuleFailureException e) {
        results.add(new CaseResult(ruleId, caseName, count, 0, e.getMessage()));
      }
    }
    try (Stream<Path> list = Files.list(folder)) {
      for (Path file : list.sorted().toList()) {
        String name = fileName(file);
        if (isCaseFile(name) && !expected.containsKey(name)) {
          results.add(
              new CaseResult(
                  ruleId, name, -1, 0, "case file not listed in " + EXPECTED_FILE + ": add it"));
        }
      }
    }
    if (!positive) {
      results.add(problem(ruleId, "no case expects a detection"));
    }
    if (!benign) {
      results.add(problem(ruleId, "no benign case (expecting no detection)"));
    }
    return results;
  }

  /**
   * Reads one case's expectation: a whole number (the detections) or a map with {@code count}
   * (required), {@code groups} and {@code severity}.
   *
   * @throws IllegalArgumentException saying what is malformed
   */
  static Expectation expectation(RuleDefinition rule, Object value) {
    if (value instanceof Integer count) {
      return new Expectation(nonNegative(count), null, null);
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          "expectation must be a whole number >= 0 or a map with count, groups, severity");
    }
    for (Object key : map.keySet()) {
      if (!EXPECTATION_KEYS.contains(String.valueOf(key))) {
        throw new IllegalArgumentException(
            "unknown key '" + key + "': use count, groups, severity");
      }
    }
    if (!(map.get("count") instanceof Integer count)) {
      throw new IllegalArgumentException("count must be a whole number >= 0");
    }
    Set<List<String>> groups = null;
    Object groupsValue = map.get("groups");
    if (groupsValue != null) {
      if (!(groupsValue instanceof List<?> list)) {
        throw new IllegalArgumentException("groups must be a list");
      }
      groups = new LinkedHashSet<>();
      int fields = rule.groupBy().size();
      for (Object entry : list) {
        List<String> values = new ArrayList<>();
        if (entry instanceof List<?> parts) {
          parts.forEach(p -> values.add(String.valueOf(p)));
        } else if (entry != null && !(entry instanceof Map)) {
          values.add(String.valueOf(entry));
        }
        if (values.size() != fields) {
          throw new IllegalArgumentException(
              "groups entry "
                  + entry
                  + " must hold "
                  + fields
                  + (fields == 1 ? " value (" : " values, a list in the order (")
                  + String.join(", ", rule.groupBy())
                  + ")");
        }
        groups.add(values);
      }
    }
    Severity severity = null;
    if (map.get("severity") != null) {
      severity = Severity.fromWireName(String.valueOf(map.get("severity")));
    }
    return new Expectation(nonNegative(count), groups, severity);
  }

  private static int nonNegative(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be a whole number >= 0");
    }
    return count;
  }

  private static List<String> compare(
      RuleDefinition rule, Expectation expectation, List<Detection> raised) {
    List<String> differences = new ArrayList<>();
    if (expectation.groups() != null) {
      Set<List<String>> actual = groupsOf(raised);
      Set<List<String>> missing = new LinkedHashSet<>(expectation.groups());
      missing.removeAll(actual);
      Set<List<String>> unexpected = new LinkedHashSet<>(actual);
      unexpected.removeAll(expectation.groups());
      if (!missing.isEmpty()) {
        differences.add("missing groups " + describeGroups(missing));
      }
      if (!unexpected.isEmpty()) {
        differences.add("unexpected groups " + describeGroups(unexpected));
      }
    }
    if (expectation.severity() != null && expectation.severity() != rule.severity()) {
      differences.add(
          "severity: expected "
              + expectation.severity().name().toLowerCase(java.util.Locale.ROOT)
              + ", the rule has "
              + rule.severity().name().toLowerCase(java.util.Locale.ROOT));
    }
    return differences;
  }

  private static Set<List<String>> groupsOf(List<Detection> raised) {
    Set<List<String>> groups = new LinkedHashSet<>();
    for (Detection d : raised) {
      groups.add(List.copyOf(d.group().values()));
    }
    return groups;
  }

  private static String describeGroups(Collection<List<String>> groups) {
    List<String> parts = new ArrayList<>();
    for (List<String> group : groups) {
      parts.add(group.size() == 1 ? "\"" + group.get(0) + "\"" : group.toString());
    }
    return "[" + String.join(", ", parts) + "]";
  }

  /** How many detections the rule raises over these events; see {@link #detectionsOf}. */
  public int detections(RuleDefinition rule, List<Event> events) {
    return detectionsOf(rule, events).size();
  }

  /**
   * The detections the rule raises over these events, evaluated group by group.
   *
   * <p>An absence rule is judged as the correlation job judges it: by an event-time timer at the
   * group's newest event plus the absence plus 1 ms, which fires only once the watermark reaches
   * it. The watermark of a case is its newest event of any group, accepted by the rule or not, so a
   * case shows a silent source by letting other sources talk on past the silence, and a source
   * still talking at the end of its case is not yet judged (its earlier silences still are).
   */
  public List<Detection> detectionsOf(RuleDefinition rule, List<Event> events) {
    Map<Map<String, String>, List<Event>> groups = new LinkedHashMap<>();
    long watermark = Long.MIN_VALUE;
    for (Event e : events) {
      watermark = Math.max(watermark, e.getTimestamp());
      if (rule.accepts(e)) {
        groups.computeIfAbsent(rule.groupOf(e), g -> new ArrayList<>()).add(e);
      }
    }
    List<Detection> raised = new ArrayList<>();
    for (List<Event> group : groups.values()) {
      if (rule.isAbsence()) {
        long newest = Long.MIN_VALUE;
        for (Event e : group) {
          newest = Math.max(newest, e.getTimestamp());
        }
        long timer = newest + rule.absence().toMillis() + 1;
        raised.addAll(pack.evaluateAt(rule.id(), group, Math.min(timer, watermark)));
      } else {
        raised.addAll(pack.evaluate(rule.id(), group));
      }
    }
    return raised;
  }

  /** Whether a file is a case file by its name: {@code .jsonl}, {@code .json} or {@code .log}. */
  public static boolean isCaseFile(String name) {
    return name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".log");
  }

  /**
   * Reads the events of a case file: raw syslog lines for {@code .log}, event documents otherwise.
   *
   * @throws IllegalArgumentException naming the file and line of a malformed event
   */
  public List<Event> readCase(Path file) throws IOException {
    if (fileName(file).endsWith(".log")) {
      if (decoder == null) {
        throw new IllegalArgumentException(
            fileName(file)
                + ": raw log cases need the syslog decoder; run them with vigil rules test");
      }
      return readLog(file, decoder);
    }
    return readEvents(file);
  }

  /**
   * Reads raw syslog lines, one message per line, through the decoder. Blank lines and lines
   * starting with {@code #} are skipped; the first such comment may set {@code year:} and {@code
   * zone:} for RFC 3164 timestamps and {@code peer:}, the sending device.
   *
   * @throws IllegalArgumentException naming the file and line of a line that is not syslog
   */
  public static List<Event> readLog(Path file, RawLogDecoder decoder) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int year = DEFAULT_YEAR;
    ZoneId zone = ZoneOffset.UTC;
    String peer = DEFAULT_PEER;
    boolean header = true;
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String where = fileName(file) + ":" + (i + 1);
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("#")) {
        if (header) {
          Matcher y = YEAR.matcher(line);
          if (y.find()) {
            year = Integer.parseInt(y.group(1));
          }
          Matcher z = ZONE.matcher(line);
          if (z.find()) {
            try {
              zone = ZoneId.of(z.group(1));
            } catch (DateTimeException e) {
              throw new IllegalArgumentException(
                  where + ": unknown zone '" + z.group(1) + "' (e.g. UTC, Europe/Berlin)", e);
            }
          }
          Matcher p = PEER.matcher(line);
          if (p.find()) {
            peer = p.group(1);
          }
          header = false;
        }
        continue;
      }
      header = false;
      // Mid-year, so every month of a year-less timestamp is nearest in the case's year.
      Instant reference = LocalDate.of(year, 7, 1).atStartOfDay(zone).toInstant();
      try {
        events.add(decoder.decode(line, where, new RawLogDecoder.Context(peer, zone, reference)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return events;
  }

  /**
   * Reads one event document per line; blank lines and lines starting with {@code //} are skipped.
   *
   * @throws IllegalArgumentException naming the file and line of a malformed event
   */
  public static List<Event> readEvents(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("//")) {
        continue;
      }
      String where = fileName(file) + ":" + (i + 1);
      Map<String, Object> doc;
      try {
        doc = Documents.parseObject(line.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalArgumentException(where + ": not a JSON object: " + e.getMessage(), e);
      }
      Object id = doc.remove("_id");
      Object time = doc.remove("@timestamp");
      Event event = new Event(id == null ? where : id.toString(), timestamp(where, time));
      Documents.flatten(doc).forEach(event::put);
      events.add(event);
    }
    return events;
  }

  private static String fileName(Path path) {
    Path name = path.getFileName();
    String text = name == null ? path.toString() : name.toString();
    // Folders in a jar file system end with '/'.
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  private static long timestamp(String where, Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    if (value == null) {
      throw new IllegalArgumentException(where + ": the event has no @timestamp");
    }
    try {
      return Instant.parse(value.toString()).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(where + ": @timestamp '" + value + "' is not ISO-8601", e);
    }
  }

  private static CaseResult problem(String ruleId, String problem) {
    return new CaseResult(ruleId, "*", 0, 0, problem);
  }
}
