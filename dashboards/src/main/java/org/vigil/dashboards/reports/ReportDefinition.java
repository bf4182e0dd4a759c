package org.vigil.dashboards.reports;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.vigil.model.Severity;
import org.vigil.rules.engine.RuleDefinition;

/**
 * What a report is, as a definition file (YAML) states it. Everything but {@code name} has a
 * default, so {@code vigil report generate --framework nist-800-53 --period 7d} needs no file:
 *
 * <pre>
 * name: weekly-nist                      # [a-z0-9-], the report's id in lists and file names
 * title: Weekly monitoring report        # printed on the cover
 * framework: nist-800-53                 # or iso-27001, or a framework an admin added
 * period: 7d                             # how far back from the generation time
 * agencies: [health, transport]          # organization.id values; empty or absent: every agency
 * sections: [coverage, detection, response, access, controls]
 * response_targets:                      # an open alert older than this is past its target
 *   critical: 4h
 *   high: 24h
 *   medium: 3d
 *   low: 7d
 * silence: 1h                            # no events for this long makes an asset silent
 * schedule: "0 6 * * MON"                # optional, Unix cron (minute hour day month weekday), UTC
 * keep: 12                               # scheduled results kept per definition
 * </pre>
 *
 * <p>Unknown keys are refused, so a misspelt key is an error rather than a silently ignored
 * setting.
 *
 * @param agencies sorted; empty means every agency the reader may see
 * @param sections in print order, without repeats
 * @param responseTargets one per severity
 * @param schedule the cron expression, or null for on-demand only
 */
public record ReportDefinition(
    String name,
    String title,
    String framework,
    Duration period,
    List<String> agencies,
    List<SectionKind> sections,
    Map<Severity, Duration> responseTargets,
    Duration silence,
    String schedule,
    int keep) {

  public static final String DEFAULT_FRAMEWORK = "nist-800-53";
  public static final Duration DEFAULT_PERIOD = Duration.ofDays(7);
  public static final Duration DEFAULT_SILENCE = Duration.ofHours(1);
  public static final int DEFAULT_KEEP = 12;

  /** The longest period a report may cover: a year, so one report stays one readable document. */
  public static final Duration MAX_PERIOD = Duration.ofDays(366);

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern AGENCY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public ReportDefinition {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a report name is 1 to 64 lowercase letters, digits and dashes: " + name);
    }
    title = title == null || title.isBlank() ? defaultTitle(framework) : title.strip();
    framework = framework == null || framework.isBlank() ? DEFAULT_FRAMEWORK : framework.strip();
    period = period == null ? DEFAULT_PERIOD : period;
    if (period.isZero() || period.isNegative() || period.compareTo(MAX_PERIOD) > 0) {
      throw new IllegalArgumentException(
          "a report period is more than zero and at most 366d: " + period);
    }
    TreeSet<String> sortedAgencies = new TreeSet<>(agencies == null ? List.of() : agencies);
    for (String agency : sortedAgencies) {
      if (!AGENCY.matcher(agency).matches()) {
        throw new IllegalArgumentException("not an agency id (organization.id): '" + agency + "'");
      }
    }
    agencies = List.copyOf(sortedAgencies);
    sections =
        sections == null || sections.isEmpty()
            ? List.of(SectionKind.values())
            : sections.stream().distinct().sorted().toList();
    Map<Severity, Duration> targets = new EnumMap<>(defaultTargets());
    if (responseTargets != null) {
      targets.putAll(responseTargets);
    }
    responseTargets = Map.copyOf(targets);
    silence = silence == null ? DEFAULT_SILENCE : silence;
    if (silence.isZero() || silence.isNegative()) {
      throw new IllegalArgumentException("silence must be more than zero: " + silence);
    }
    schedule = schedule == null || schedule.isBlank() ? null : schedule.strip();
    if (schedule != null) {
      ReportSchedule.parse(schedule);
    }
    keep = keep <= 0 ? DEFAULT_KEEP : keep;
  }

  /** An on-demand definition: the framework and period, every default else. */
  public static ReportDefinition adHoc(String framework, Duration period, List<String> agencies) {
    String name = "adhoc-" + Objects.requireNonNullElse(framework, DEFAULT_FRAMEWORK);
    name = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    return new ReportDefinition(
        name.length() > 64 ? name.substring(0, 64) : name,
        null,
        framework,
        period,
        agencies,
        null,
        null,
        null,
        null,
        0);
  }

  /** This definition narrowed to {@code scope}, e.g. the agencies of the auditor who asked. */
  public ReportDefinition withAgencies(List<String> scope) {
    return new ReportDefinition(
        name, title, framework, period, scope, sections, responseTargets, silence, schedule, keep);
  }

  /** The target for alerts of this severity. */
  public Duration responseTarget(Severity severity) {
    return responseTargets.get(severity);
  }

  /** Parses a definition file's text; the message of the error names the key at fault. */
  public static ReportDefinition parse(String yaml) {
    if (yaml == null || yaml.isBlank()) {
      throw new IllegalArgumentException("the report definition is empty");
    }
    File file;
    try {
      file = YAML.readValue(yaml, File.class);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(
          "unknown key '"
              + e.getPropertyName()
              + "' in the report definition; known keys: name, title, framework, period, agencies,"
              + " sections, response_targets, silence, schedule, keep",
          e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the report definition is not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (file == null) {
      throw new IllegalArgumentException("the report definition is empty");
    }
    return file.toDefinition();
  }

  /** Reads a definition file; errors name the file. */
  public static ReportDefinition load(Path path) throws IOException {
    try {
      return parse(Files.readString(path));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }

  /** The definition as a file states it, for the report's own appendix and for round trips. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("name", name);
    map.put("title", title);
    map.put("framework", framework);
    map.put("period", ReportText.durationSpec(period));
    map.put("agencies", agencies);
    map.put("sections", sections.stream().map(SectionKind::wireName).toList());
    Map<String, String> targets = new LinkedHashMap<>();
    for (Severity severity : Severity.values()) {
      targets.put(severity.wireName(), ReportText.durationSpec(responseTargets.get(severity)));
    }
    map.put("response_targets", targets);
    map.put("silence", ReportText.durationSpec(silence));
    if (schedule != null) {
      map.put("schedule", schedule);
    }
    map.put("keep", keep);
    return map;
  }

  private static String defaultTitle(String framework) {
    return "Monitoring and compliance report ("
        + (framework == null || framework.isBlank() ? DEFAULT_FRAMEWORK : framework.strip())
        + ")";
  }

  private static Map<Severity, Duration> defaultTargets() {
    return Map.of(
        Severity.CRITICAL, Duration.ofHours(4),
        Severity.HIGH, Duration.ofHours(24),
        Severity.MEDIUM, Duration.ofDays(3),
        Severity.LOW, Duration.ofDays(7));
  }

  /** The file as written: every value text, parsed with messages that name the key. */
  private record File(
      @JsonProperty("name") String name,
      @JsonProperty("title") String title,
      @JsonProperty("framework") String framework,
      @JsonProperty("period") String period,
      @JsonProperty("agencies") List<String> agencies,
      @JsonProperty("sections") List<String> sections,
      @JsonProperty("response_targets") Map<String, String> responseTargets,
      @JsonProperty("silence") String silence,
      @JsonProperty("schedule") String schedule,
      @JsonProperty("keep") Integer keep) {

    ReportDefinition toDefinition() {
      List<SectionKind> kinds = new ArrayList<>();
      for (String section : sections == null ? List.<String>of() : sections) {
        kinds.add(SectionKind.fromWire(section));
      }
      Map<Severity, Duration> targets = new EnumMap<>(Severity.class);
      if (responseTargets != null) {
        responseTargets.forEach(
            (severity, duration) ->
                targets.put(
                    Severity.fromWireName(severity),
                    RuleDefinition.parseDuration("response_targets." + severity, duration)));
      }
      return new ReportDefinition(
          name,
          title,
          framework,
          period == null ? null : RuleDefinition.parseDuration("period", period),
          agencies,
          kinds,
          targets,
          silence == null ? null : RuleDefinition.parseDuration("silence", silence),
          schedule,
          keep == null ? 0 : keep);
    }
  }
}
