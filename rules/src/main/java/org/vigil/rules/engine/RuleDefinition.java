package org.vigil.rules.engine;

import java.io.Serializable;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vigil.model.Alert;
import org.vigil.model.Event;
import org.vigil.model.Severity;

/**
 * One rule's metadata, read from the DRL rule's metadata annotations:
 *
 * <pre>
 * rule "Five failed logins from one source within a minute"
 *   &#64;id("auth-brute-force") &#64;version(1) &#64;severity("high") &#64;technique("T1110")
 *   &#64;groupBy("source.ip") &#64;window("60s") &#64;suppress("10m")
 *   &#64;category("authentication") &#64;match("event.type=start, event.outcome=failure")
 *   &#64;description("...")
 * </pre>
 *
 * <p>{@code @groupBy} and {@code @category} take comma-separated lists. Durations are a number and
 * a unit ({@code 500ms}, {@code 60s}, {@code 10m}, {@code 1h}, {@code 1d}), or ISO-8601 ({@code
 * PT1M}). {@code @window} is how far back the rule looks; the engine keeps events that long and the
 * Flink operator keeps that much history per group. {@code @suppress} is how long further
 * detections of the same group are folded into one alert. {@code @match} lists {@code field=value}
 * conditions every event the rule uses must meet (a list-valued field must contain the value), a
 * value may list alternatives ({@code destination.port=445|3389}): the job routes only such events
 * to the rule, so most traffic never reaches Drools.
 *
 * <p>{@code @absence("15m")} makes an absence rule: it raises when a group has been silent that
 * long. The engine does not evaluate it as events arrive but when event time reaches the newest
 * event of the group plus the absence ({@link RulePack#evaluateAt}); its DRL states the silence
 * with a temporal {@code not}, e.g. {@code $last : Event() not Event(this after[1ms, 15m] $last)}.
 * The window must cover the absence, so the newest event is still held when the time comes.
 *
 * @param ruleset the pack the rule belongs to
 * @param window zero for a rule that matches single events
 * @param suppression zero for no suppression
 * @param categories empty when the rule takes events of any {@code event.category}
 * @param match field to the values it may have, one of which it must; empty when only group-by and
 *     category decide
 * @param absence zero for a rule evaluated as events arrive; else the silence it detects
 * @param falsePositives {@code @falsePositives}: what benign activity the rule also raises on, for
 *     the analyst who triages it; empty when not stated
 * @param compliance {@code @compliance}: control ids the rule gives evidence for, NIST SP 800-53
 *     rev. 5 ({@code AC-7}, {@code SI-4}) and ISO/IEC 27001:2022 Annex A ({@code A.8.16}), read by
 *     the compliance reports; empty when not stated
 */
public record RuleDefinition(
    String id,
    String name,
    int version,
    String ruleset,
    Severity severity,
    String techniqueId,
    List<String> groupBy,
    Duration window,
    Duration suppression,
    Set<String> categories,
    Map<String, Set<String>> match,
    String description,
    Duration absence,
    String falsePositives,
    List<String> compliance)
    implements Serializable {

  /** Metadata keys the engine reads; other annotations are left to the rule author. */
  public static final Set<String> KEYS =
      Set.of(
          "id",
          "version",
          "severity",
          "technique",
          "groupBy",
          "window",
          "suppress",
          "category",
          "match",
          "description",
          "absence",
          "falsePositives",
          "compliance");

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  public RuleDefinition {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ruleset, "ruleset");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(suppression, "suppression");
    Objects.requireNonNull(absence, "absence");
    Objects.requireNonNull(falsePositives, "falsePositives");
    groupBy = List.copyOf(groupBy);
    compliance = List.copyOf(compliance);
    categories = Collections.unmodifiableSet(new LinkedHashSet<>(categories));
    Map<String, Set<String>> matchCopy = new LinkedHashMap<>();
    for (Map.Entry<String, Set<String>> condition : match.entrySet()) {
      matchCopy.put(condition.getKey(), Set.copyOf(condition.getValue()));
    }
    match = Collections.unmodifiableMap(matchCopy);
    if (groupBy.isEmpty()) {
      throw new IllegalArgumentException("rule '" + id + "' needs at least one group-by field");
    }
    if (window.isNegative() || suppression.isNegative() || absence.isNegative()) {
      throw new IllegalArgumentException("rule '" + id + "' has a negative duration");
    }
    if (window.compareTo(absence) < 0) {
      throw new IllegalArgumentException(
          "rule '"
              + id
              + "': @window("
              + window
              + ") must be at least its @absence("
              + absence
              + "), or the newest event is forgotten before the silence is judged");
    }
  }

  /**
   * Reads a rule's definition from its metadata annotations (values already unquoted).
   *
   * @throws IllegalArgumentException naming the first missing or malformed entry
   */
  public static RuleDefinition fromMetadata(String ruleset, String name, Map<String, ?> metadata) {
    String id = required(metadata, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "@id(\"" + id + "\") must be lower-case letters, digits, '.', '_' or '-'");
    }
    String versionText = optional(metadata, "version", "1");
    int version;
    try {
      version = Integer.parseInt(versionText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("@version(" + versionText + ") is not a whole number");
    }
    if (version < 1) {
      throw new IllegalArgumentException("@version(" + versionText + ") must be 1 or more");
    }
    Severity severity = Severity.fromWireName(required(metadata, "severity"));
    List<String> groupBy = list(required(metadata, "groupBy"));
    if (groupBy.isEmpty()) {
      throw new IllegalArgumentException("@groupBy names no field");
    }
    Duration window = parseDuration("window", optional(metadata, "window", "0s"));
    Duration suppression = parseDuration("suppress", optional(metadata, "suppress", "0s"));
    String technique = optional(metadata, "technique", null);
    String categoryText = optional(metadata, "category", "");
    return new RuleDefinition(
        id,
        name,
        version,
        ruleset,
        severity,
        technique,
        groupBy,
        window,
        suppression,
        new LinkedHashSet<>(list(categoryText)),
        conditions(optional(metadata, "match", "")),
        optional(metadata, "description", ""),
        parseDuration("absence", optional(metadata, "absence", "0s")),
        optional(metadata, "falsePositives", ""),
        list(optional(metadata, "compliance", "")));
  }

  private static Map<String, Set<String>> conditions(String text) {
    Map<String, Set<String>> conditions = new LinkedHashMap<>();
    for (String condition : list(text)) {
      int eq = condition.indexOf('=');
      if (eq <= 0 || eq == condition.length() - 1) {
        throw new IllegalArgumentException(
            "@match(\"" + text + "\"): '" + condition + "' is not field=value");
      }
      Set<String> values = new LinkedHashSet<>();
      for (String value : condition.substring(eq + 1).split("\\|", -1)) {
        if (value.isBlank()) {
          throw new IllegalArgumentException(
              "@match(\"" + text + "\"): '" + condition + "' has an empty alternative");
        }
        values.add(value.trim());
      }
      conditions.put(condition.substring(0, eq).trim(), values);
    }
    return conditions;
  }

  /**
   * Parses {@code 500ms}, {@code 60s}, {@code 10m}, {@code 1h}, {@code 1d} or ISO-8601 {@code
   * PT1M}.
   *
   * @param what the annotation, for the error message
   */
  public static Duration parseDuration(String what, String text) {
    String t = text.trim();
    Matcher m = DURATION.matcher(t.toLowerCase(Locale.ROOT));
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      if (t.startsWith("P") || t.startsWith("p")) {
        Duration d = Duration.parse(t);
        if (!d.isNegative()) {
          return d;
        }
      }
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      // reported below with the accepted forms
    }
    throw new IllegalArgumentException(
        "@"
            + what
            + "(\""
            + text
            + "\") is not a duration: use a number and ms, s, m, h or d (e.g. 60s, 10m)");
  }

  /** True for an absence rule, evaluated by event-time timers rather than as events arrive. */
  public boolean isAbsence() {
    return !absence.isZero();
  }

  /**
   * True when the rule can use the event: every group-by field present, every {@code @match}
   * condition met and, if categories is non-empty, the event's event.category among them.
   */
  public boolean accepts(Event e) {
    for (String field : groupBy) {
      if (e.get(field) == null) {
        return false;
      }
    }
    for (Map.Entry<String, Set<String>> condition : match.entrySet()) {
      if (!hasAny(e, condition.getKey(), condition.getValue())) {
        return false;
      }
    }
    if (categories.isEmpty()) {
      return true;
    }
    for (String c : categories) {
      if (e.has("event.category", c)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasAny(Event e, String field, Set<String> values) {
    for (String value : values) {
      if (e.has(field, value)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The readable key of the event's group, as {@link Alert#groupKey(Map)} writes it for {@link
   * #groupOf}, or null if a group-by field is missing. The router asks it of every event for every
   * rule that accepts it: a rule grouped by one field, as most are, gets its key without a map.
   */
  public String groupKeyOf(Event e) {
    if (groupBy.size() == 1) {
      String field = groupBy.get(0);
      String value = e.text(field);
      return value == null ? null : Alert.groupKey(field, value);
    }
    Map<String, String> group = groupOf(e);
    return group == null ? null : Alert.groupKey(group);
  }

  /**
   * The group-by field values of the event, in groupBy order (LinkedHashMap), or null if one is
   * missing.
   */
  public Map<String, String> groupOf(Event e) {
    Map<String, String> group = new LinkedHashMap<>();
    for (String field : groupBy) {
      String value = e.text(field);
      if (value == null) {
        return null;
      }
      group.put(field, value);
    }
    return group;
  }

  private static String required(Map<String, ?> metadata, String key) {
    String value = optional(metadata, key, null);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing @" + key + "(...) metadata");
    }
    return value;
  }

  private static String optional(Map<String, ?> metadata, String key, String fallback) {
    Object value = metadata.get(key);
    return value == null ? fallback : value.toString().trim();
  }

  private static List<String> list(String text) {
    List<String> items = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        items.add(part.trim());
      }
    }
    return items;
  }
}
