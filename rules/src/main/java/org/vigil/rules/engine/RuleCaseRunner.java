package org.vigil.rules.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.vigil.model.Documents;
import org.vigil.model.Event;

/**
 * Runs each rule's test cases, so a rule is tested like code (the way SigmaHQ keeps regression
 * samples per rule). Used by the unit tests and by {@code vigil rules test}.
 *
 * <p>Layout: one folder per rule id under a root, holding event files and their expectations:
 *
 * <pre>
 * cases/auth-brute-force/expected.yaml     positive.jsonl: 1
 *                                          benign.jsonl: 0
 * cases/auth-brute-force/positive.jsonl    one Elasticsearch event document per line
 * cases/auth-brute-force/benign.jsonl
 * </pre>
 *
 * <p>An event line is an ECS document, nested or with dotted keys, with {@code @timestamp}
 * (ISO-8601 or epoch milliseconds) and an optional {@code _id} (default {@code file:line}). The
 * runner does what the correlation job does: it keeps the events the rule accepts, splits them by
 * the rule's group-by fields, evaluates each group and counts the detections. Every rule of the
 * pack needs a folder with at least one case expecting detections and one expecting none.
 */
public final class RuleCaseRunner {
  /** The expectations file of a rule's case folder. */
  public static final String EXPECTED_FILE = "expected.yaml";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * The outcome of one case, or a problem with the rule's cases as a whole ({@code caseName} is
   * then {@code "*"}).
   */
  public record CaseResult(
      String ruleId, String caseName, int expected, int actual, String problem) {
    public boolean passed() {
      return problem == null && expected == actual;
    }

    @Override
    public String toString() {
      String head = ruleId + "/" + caseName + ": ";
      if (problem != null) {
        return head + problem;
      }
      return head + (passed() ? "ok" : "expected " + expected + " detections, got " + actual);
    }
  }

  private final RulePack pack;

  public RuleCaseRunner(RulePack pack) {
    this.pack = pack;
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
        results.addAll(run(folder.getFileName().toString(), folder));
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
    Map<?, ?> expected = YAML.readValue(expectedFile.toFile(), Map.class);
    if (expected == null || expected.isEmpty()) {
      return List.of(problem(ruleId, EXPECTED_FILE + " lists no case"));
    }
    List<CaseResult> results = new ArrayList<>();
    boolean positive = false;
    boolean benign = false;
    for (Map.Entry<?, ?> entry : expected.entrySet()) {
      String caseName = String.valueOf(entry.getKey());
      if (!(entry.getValue() instanceof Integer count) || count < 0) {
        results.add(
            new CaseResult(ruleId, caseName, -1, 0, "expected count must be a whole number >= 0"));
        continue;
      }
      positive |= count > 0;
      benign |= count == 0;
      Path file = folder.resolve(caseName);
      if (!Files.isRegularFile(file)) {
        results.add(new CaseResult(ruleId, caseName, count, 0, "missing case file " + file));
        continue;
      }
      try {
        int actual = detections(rule, readEvents(file));
        results.add(new CaseResult(ruleId, caseName, count, actual, null));
      } catch (IllegalArgumentException e) {
        results.add(new CaseResult(ruleId, caseName, count, 0, e.getMessage()));
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
   * How many detections the rule raises over these events, evaluated group by group.
   *
   * <p>An absence rule is judged as the correlation job judges it: by an event-time timer at the
   * group's newest event plus the absence plus 1 ms, which fires only once the watermark reaches
   * it. The watermark of a case is its newest event of any group, accepted by the rule or not, so a
   * case shows a silent source by letting other sources talk on past the silence, and a source
   * still talking at the end of its case is not yet judged (its earlier silences still are).
   */
  public int detections(RuleDefinition rule, List<Event> events) {
    Map<Map<String, String>, List<Event>> groups = new LinkedHashMap<>();
    long watermark = Long.MIN_VALUE;
    for (Event e : events) {
      watermark = Math.max(watermark, e.getTimestamp());
      if (rule.accepts(e)) {
        groups.computeIfAbsent(rule.groupOf(e), g -> new ArrayList<>()).add(e);
      }
    }
    int count = 0;
    for (List<Event> group : groups.values()) {
      if (rule.isAbsence()) {
        long newest = Long.MIN_VALUE;
        for (Event e : group) {
          newest = Math.max(newest, e.getTimestamp());
        }
        long timer = newest + rule.absence().toMillis() + 1;
        count += pack.evaluateAt(rule.id(), group, Math.min(timer, watermark)).size();
      } else {
        count += pack.evaluate(rule.id(), group).size();
      }
    }
    return count;
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
      String where = file.getFileName() + ":" + (i + 1);
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
