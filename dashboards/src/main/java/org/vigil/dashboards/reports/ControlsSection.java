package org.vigil.dashboards.reports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vigil.rules.engine.RuleDefinition;
import org.vigil.rules.engine.RuleRelease;

/**
 * The control mapping: for each control of the report's framework, the rules that implement it and
 * the evidence the period gives for it.
 *
 * <p>A rule implements a control when its {@code @compliance} names the control or the framework's
 * mapping file lists it under the control. The rules shown are those active at the period's end (as
 * the detection section lists them), since that is what the auditor is told runs now; the alerts
 * counted are those of every rule that implemented the control at any time in the period, so a rule
 * disabled mid-period still counts for the weeks it ran.
 *
 * <p>Evidence is quoted, not recomputed: the headline figures of the sections the control names as
 * evidence, as those sections printed them, and the alerts per rule of the detection section's
 * {@code detection-rules} table. So the mapping can never disagree with the rest of the report, and
 * this section reads no Elasticsearch. A section the report was not asked for is said to be "not in
 * this report" rather than counted as zero.
 */
public final class ControlsSection implements SectionBuilder {
  /** The detection section's table of alerts per rule, with the columns read here. */
  static final String RULES_TABLE = "detection-rules";

  static final String RULE_ID_COLUMN = "rule id";
  static final String ALERTS_COLUMN = "alerts";
  static final String EVIDENCED = "evidenced";
  static final String NOT_EVIDENCED = "no rule or evidence";
  static final String NOT_IN_REPORT = "not in this report";

  /**
   * The figures quoted as evidence from each section, in print order; a figure the section did not
   * produce (e.g. {@code assets.*} without an inventory, where coverage counts senders instead) is
   * skipped.
   */
  static final Map<SectionKind, List<String>> HEADLINES =
      new EnumMap<>(
          Map.of(
              SectionKind.COVERAGE,
              List.of("assets.reporting", "assets.total", "senders.total", "events.total"),
              SectionKind.DETECTION,
              List.of("alerts.total", "rules.active"),
              SectionKind.RESPONSE,
              List.of("alerts.closed", "ttc.median", "alerts.overdue"),
              SectionKind.ACCESS,
              List.of("logins.failure", "privileged.changes", "audit.chain")));

  @Override
  public ReportSection build(ReportContext context, Map<SectionKind, ReportSection> earlier) {
    ComplianceFramework framework = context.framework();
    if (framework == null) {
      throw new IllegalArgumentException(
          "the control mapping needs a compliance framework; none was given for report "
              + context.definition().name());
    }
    RuleTimeline timeline = new RuleTimeline(context.ruleReleases());
    Map<String, RuleDefinition> activeAtEnd = timeline.activeAt(context.to());
    Map<String, RuleDefinition> ranInPeriod = ranBetween(timeline, context.from(), context.to());
    Optional<Map<String, Long>> alertsByRule =
        Optional.ofNullable(earlier.get(SectionKind.DETECTION)).map(ControlsSection::alertsByRule);
    Map<SectionKind, Evidence> evidenceBySection = new EnumMap<>(SectionKind.class);
    for (SectionKind kind : HEADLINES.keySet()) {
      evidenceBySection.put(kind, evidence(kind, earlier.get(kind)));
    }

    List<List<String>> rows = new ArrayList<>();
    Map<String, long[]> perFamily = new LinkedHashMap<>();
    long evidenced = 0;
    long withRules = 0;
    for (ComplianceControl control : framework.controls()) {
      List<String> active = implementing(control, activeAtEnd);
      List<String> ran = implementing(control, ranInPeriod);
      Set<String> shown = new LinkedHashSet<>(active);
      List<String> ruleCells = new ArrayList<>(active);
      for (String id : ran) {
        if (shown.add(id)) {
          ruleCells.add(id + " (disabled)");
        }
      }
      for (String id : control.rules()) {
        if (shown.add(id)) {
          ruleCells.add(id + " (not deployed)");
        }
      }
      long alerts = alertsByRule.map(byRule -> sum(byRule, shown)).orElse(0L);
      List<String> evidenceCells = new ArrayList<>();
      boolean sectionFigures = false;
      for (SectionKind kind : control.evidence()) {
        Evidence e = evidenceBySection.get(kind);
        evidenceCells.add(kind.title() + ": " + e.text());
        sectionFigures |= e.hasFigures();
      }
      boolean isEvidenced = !active.isEmpty() || alerts > 0 || sectionFigures;
      if (isEvidenced) {
        evidenced++;
      }
      if (!active.isEmpty()) {
        withRules++;
      }
      long[] family = perFamily.computeIfAbsent(control.family(), f -> new long[2]);
      family[0]++;
      family[1] += isEvidenced ? 1 : 0;
      rows.add(
          List.of(
              control.id(),
              control.title(),
              control.family(),
              ruleCells.isEmpty() ? "none" : String.join(", ", ruleCells),
              alertsByRule.isPresent() ? ReportText.count(alerts) : NOT_IN_REPORT,
              evidenceCells.isEmpty() ? "none" : String.join(" | ", evidenceCells),
              isEvidenced ? EVIDENCED : NOT_EVIDENCED));
    }

    long total = framework.controls().size();
    List<String> notes = new ArrayList<>();
    notes.add(
        "Framework: "
            + framework.title()
            + " ("
            + framework.id()
            + "), "
            + ReportText.count(total)
            + " controls; "
            + ReportText.count(evidenced)
            + " evidenced ("
            + ReportText.percent(evidenced, total)
            + ").");
    notes.add(
        "Rules are those active at "
            + ReportText.time(context.to())
            + " whose @compliance names the control or which the framework's mapping lists;"
            + " \"(disabled)\" marks a rule that ran in the period but no longer runs,"
            + " \"(not deployed)\" a listed rule that did not run. Alerts count every listed rule"
            + " over the period, as the detection section counted them.");
    notes.add(
        "A control is evidenced when a rule implementing it is active, raised alerts in the period,"
            + " or a section the control names as evidence has figures in this report.");
    List<String> missing = missingSections(framework, earlier, alertsByRule.isPresent());
    if (!missing.isEmpty()) {
      notes.add(
          "Not in this report, so not evidence here: "
              + String.join(", ", missing)
              + ". Ask for these sections to see their figures as evidence.");
    }

    List<String> families = new ArrayList<>(perFamily.keySet());
    List<Double> values = families.stream().map(f -> (double) perFamily.get(f)[1]).toList();
    return new ReportSection(
        SectionKind.CONTROLS,
        notes,
        List.of(
            new ReportFigure(
                "controls.total", "Controls in the framework", ReportText.count(total)),
            new ReportFigure(
                "controls.evidenced", "Controls evidenced", ReportText.count(evidenced)),
            new ReportFigure(
                "controls.with_rules",
                "Controls with an active rule",
                ReportText.count(withRules))),
        List.of(
            new ReportChart(
                "Controls evidenced per family (" + framework.title() + ")",
                families,
                values,
                "controls")),
        List.of(
            new ReportTable(
                "controls-mapping",
                "Controls of " + framework.title() + ": rules and evidence",
                List.of(
                    "control",
                    "title",
                    "family",
                    "rules",
                    "alerts in period",
                    "evidence",
                    "status"),
                rows)));
  }

  /**
   * The rules that ran at some time in {@code [from, to)}: those active at its start and after each
   * release deployed in it; the newest definition of a rule wins.
   */
  private static Map<String, RuleDefinition> ranBetween(
      RuleTimeline timeline, Instant from, Instant to) {
    Map<String, RuleDefinition> ran = new LinkedHashMap<>(timeline.activeAt(from));
    for (RuleRelease release : timeline.deployedBetween(from, to)) {
      ran.putAll(timeline.activeAt(release.deployedAt()));
    }
    return ran;
  }

  /** The ids of the rules that name the control or that its mapping lists, in rule order. */
  private static List<String> implementing(
      ComplianceControl control, Map<String, RuleDefinition> rules) {
    List<String> ids = new ArrayList<>();
    for (RuleDefinition rule : rules.values()) {
      if (rule.compliance().contains(control.id()) || control.rules().contains(rule.id())) {
        ids.add(rule.id());
      }
    }
    return ids;
  }

  private static long sum(Map<String, Long> alertsByRule, Set<String> ruleIds) {
    return ruleIds.stream().mapToLong(id -> alertsByRule.getOrDefault(id, 0L)).sum();
  }

  /**
   * Alerts per rule id from the detection section's table, summed over its rows (one per rule and
   * severity).
   *
   * @throws IllegalStateException when the table or its columns are missing: the two sections
   *     disagree on their contract, and a mapping without the counts must not pass for one with
   *     none
   */
  static Map<String, Long> alertsByRule(ReportSection detection) {
    ReportTable table =
        detection
            .table(RULES_TABLE)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the detection section has no table " + RULES_TABLE + " to count alerts"));
    int idColumn = column(table, RULE_ID_COLUMN);
    int alertsColumn = column(table, ALERTS_COLUMN);
    Map<String, Long> alerts = new LinkedHashMap<>();
    for (List<String> row : table.rows()) {
      long n;
      try {
        n = Long.parseLong(row.get(alertsColumn).strip());
      } catch (NumberFormatException e) {
        throw new IllegalStateException(
            "table "
                + RULES_TABLE
                + " has '"
                + row.get(alertsColumn)
                + "' as the alerts of rule "
                + row.get(idColumn),
            e);
      }
      alerts.merge(row.get(idColumn), n, Long::sum);
    }
    return alerts;
  }

  private static int column(ReportTable table, String name) {
    for (int i = 0; i < table.columns().size(); i++) {
      if (table.columns().get(i).strip().toLowerCase(Locale.ROOT).equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException(
        "table " + table.id() + " has no column '" + name + "': " + table.columns());
  }

  /** How a section's figures read as evidence. */
  private record Evidence(String text, boolean hasFigures) {}

  private static Evidence evidence(SectionKind kind, ReportSection section) {
    if (section == null) {
      return new Evidence(NOT_IN_REPORT, false);
    }
    List<String> quoted = new ArrayList<>();
    for (String key : HEADLINES.get(kind)) {
      section.figure(key).ifPresent(f -> quoted.add(f.label() + " " + f.value()));
    }
    if (quoted.isEmpty()) {
      return new Evidence("no figures", false);
    }
    return new Evidence(String.join("; ", quoted), true);
  }

  /** The evidence sections the framework's controls name that the report lacks, by title. */
  private static List<String> missingSections(
      ComplianceFramework framework, Map<SectionKind, ReportSection> earlier, boolean detection) {
    Set<SectionKind> named = new LinkedHashSet<>();
    framework.controls().forEach(c -> named.addAll(c.evidence()));
    if (!detection) {
      named.add(SectionKind.DETECTION);
    }
    return named.stream()
        .filter(k -> !earlier.containsKey(k))
        .sorted()
        .map(SectionKind::title)
        .toList();
  }
}
