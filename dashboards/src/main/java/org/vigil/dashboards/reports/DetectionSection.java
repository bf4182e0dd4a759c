package org.vigil.dashboards.reports;

import static org.vigil.dashboards.reports.ReportQueries.ALERTS;
import static org.vigil.dashboards.reports.ReportQueries.eachBucket;
import static org.vigil.dashboards.reports.ReportQueries.periodInScope;
import static org.vigil.dashboards.reports.ReportQueries.termsSource;
import static org.vigil.dashboards.reports.ReportQueries.text;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vigil.model.Severity;
import org.vigil.rules.engine.RuleDefinition;
import org.vigil.rules.engine.RulePack;
import org.vigil.rules.engine.RuleRelease;

/**
 * Detection: the alerts of the period by severity, rule and ATT&CK tactic, and which rules ran,
 * which were added, changed or disabled, and who deployed the releases that did it.
 *
 * <p>The rules compared are those running just before the period starts and just before it ends, so
 * that a release deployed at any instant of {@code [from, to)} is both listed among the deploys and
 * reflected in the counts of added, changed and disabled rules.
 */
public final class DetectionSection implements SectionBuilder {
  private static final String NONE = "(none)";

  private final AttackTactics tactics;

  public DetectionSection() {
    this(AttackTactics.shipped());
  }

  DetectionSection(AttackTactics tactics) {
    this.tactics = tactics;
  }

  @Override
  public ReportSection build(ReportContext ctx, Map<SectionKind, ReportSection> earlier)
      throws IOException {
    List<String> notes = new ArrayList<>();
    List<ReportFigure> figures = new ArrayList<>();
    List<ReportChart> charts = new ArrayList<>();
    List<ReportTable> tables = new ArrayList<>();
    alerts(ctx, notes, figures, charts, tables);
    rules(ctx, notes, figures, tables);
    return new ReportSection(SectionKind.DETECTION, notes, figures, charts, tables);
  }

  private record RuleKey(String id, String name, String severity) {}

  private void alerts(
      ReportContext ctx,
      List<String> notes,
      List<ReportFigure> figures,
      List<ReportChart> charts,
      List<ReportTable> tables)
      throws IOException {
    Query inPeriod = periodInScope(ctx.from(), ctx.to(), ctx.agencies());
    Map<String, Long> bySeverity = new LinkedHashMap<>();
    Map<RuleKey, Long> byRule = new LinkedHashMap<>();
    Map<String, Long> byTechnique = new TreeMap<>();
    long total =
        ctx.client()
            .count(
                c -> c.index(ALERTS).ignoreUnavailable(true).allowNoIndices(true).query(inPeriod))
            .count();
    eachBucket(
        ctx.client(),
        ALERTS,
        inPeriod,
        List.of(
            termsSource("rule_id", "rule.id"),
            termsSource("rule_name", "rule.name"),
            termsSource("severity", "vigil.alert.severity"),
            termsSource("technique", "threat.technique.id")),
        Map.of(),
        b -> {
          String severity = orNone(text(b.key().get("severity")));
          bySeverity.merge(severity, b.docCount(), Long::sum);
          byRule.merge(
              new RuleKey(
                  orNone(text(b.key().get("rule_id"))),
                  orNone(text(b.key().get("rule_name"))),
                  severity),
              b.docCount(),
              Long::sum);
          byTechnique.merge(orNone(text(b.key().get("technique"))), b.docCount(), Long::sum);
        });
    notes.add(
        "Alerts are counted by the time they were detected. An alert whose technique serves"
            + " several ATT&CK tactics counts once under each; a sub-technique counts under its"
            + " parent's tactics; alerts without a technique, or with one the mapping does not"
            + " know, count as "
            + AttackTactics.UNMAPPED
            + ".");

    figures.add(figure("alerts.total", "Alerts in the period", total));
    List<String> severityLabels = new ArrayList<>();
    List<Double> severityValues = new ArrayList<>();
    List<List<String>> severityRows = new ArrayList<>();
    List<Severity> descending = new ArrayList<>(List.of(Severity.values()));
    Collections.reverse(descending);
    for (Severity severity : descending) {
      long n = bySeverity.getOrDefault(severity.wireName(), 0L);
      figures.add(
          figure(
              "alerts." + severity.wireName(),
              "Alerts of " + severity.wireName() + " severity",
              n));
      severityLabels.add(severity.wireName());
      severityValues.add((double) n);
      severityRows.add(List.of(severity.wireName(), ReportText.count(n)));
    }
    for (Map.Entry<String, Long> other : bySeverity.entrySet()) {
      if (!isSeverity(other.getKey())) {
        severityRows.add(List.of(other.getKey(), ReportText.count(other.getValue())));
      }
    }
    charts.add(new ReportChart("Alerts by severity", severityLabels, severityValues, "alerts"));
    tables.add(
        new ReportTable(
            "detection-severities",
            "Alerts by severity",
            List.of("severity", "alerts"),
            severityRows));

    List<Map.Entry<RuleKey, Long>> rules = new ArrayList<>(byRule.entrySet());
    rules.sort(
        Map.Entry.<RuleKey, Long>comparingByValue()
            .reversed()
            .thenComparing(e -> e.getKey().id())
            .thenComparing(e -> e.getKey().name())
            .thenComparing(e -> e.getKey().severity()));
    tables.add(
        new ReportTable(
            "detection-rules",
            "Alerts by rule",
            List.of("rule id", "rule name", "severity", "alerts"),
            rules.stream()
                .map(
                    e ->
                        List.of(
                            e.getKey().id(),
                            e.getKey().name(),
                            e.getKey().severity(),
                            ReportText.count(e.getValue())))
                .toList()));

    Map<String, Long> byTactic = new LinkedHashMap<>();
    for (String tactic : tactics.tactics()) {
      byTactic.put(tactic, 0L);
    }
    byTactic.put(AttackTactics.UNMAPPED, 0L);
    List<List<String>> techniqueRows = new ArrayList<>();
    for (Map.Entry<String, Long> technique : byTechnique.entrySet()) {
      String id = technique.getKey().equals(NONE) ? null : technique.getKey();
      List<String> served = tactics.tacticsOf(id);
      for (String tactic : served) {
        byTactic.merge(tactic, technique.getValue(), Long::sum);
      }
      techniqueRows.add(
          List.of(
              technique.getKey(),
              String.join(", ", served),
              ReportText.count(technique.getValue())));
    }
    tables.add(
        new ReportTable(
            "detection-tactics",
            "Alerts by ATT&CK tactic",
            List.of("tactic", "alerts"),
            byTactic.entrySet().stream()
                .map(e -> List.of(e.getKey(), ReportText.count(e.getValue())))
                .toList()));
    tables.add(
        new ReportTable(
            "detection-techniques",
            "Alerts by ATT&CK technique",
            List.of("technique", "tactics", "alerts"),
            techniqueRows));
    charts.add(
        new ReportChart(
            "Alerts by ATT&CK tactic",
            List.copyOf(byTactic.keySet()),
            byTactic.values().stream().map(Long::doubleValue).toList(),
            "alerts"));
  }

  private static boolean isSeverity(String name) {
    for (Severity severity : Severity.values()) {
      if (severity.wireName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private void rules(
      ReportContext ctx, List<String> notes, List<ReportFigure> figures, List<ReportTable> tables) {
    RuleTimeline timeline = new RuleTimeline(ctx.ruleReleases());
    Instant start = ctx.from().minusNanos(1);
    Instant end = ctx.to().minusNanos(1);
    Map<String, RuleDefinition> before = timeline.activeAt(start);
    Map<String, RuleDefinition> active = timeline.activeAt(end);
    RuleChanges period =
        RuleChanges.between(before, textsAt(ctx, start), active, textsAt(ctx, end));
    List<RuleRelease> deploys = timeline.deployedBetween(ctx.from(), ctx.to());

    List<List<String>> deployRows = new ArrayList<>();
    for (RuleRelease release : deploys) {
      RuleChanges changes = changesBy(ctx.ruleReleases(), release);
      deployRows.add(
          List.of(
              ReportText.time(release.deployedAt()),
              release.ruleset(),
              Integer.toString(release.version()),
              release.deployedBy(),
              release.note(),
              String.join(", ", changes.added()),
              String.join(", ", changes.changed()),
              String.join(", ", changes.disabled())));
    }
    notes.add(
        "Rules are those running just before the period's start and end: the shipped pack until a"
            + " release of ruleset "
            + RulePack.BUILT_IN_ID
            + " replaces it, and each ruleset's newest release. A rule changed when its"
            + " definition, version or DRL text differs.");
    tables.add(
        new ReportTable(
            "detection-rule-changes",
            "Rule releases deployed in the period",
            List.of(
                "time",
                "ruleset",
                "version",
                "deployed by",
                "note",
                "added",
                "changed",
                "disabled"),
            deployRows));
    tables.add(
        new ReportTable(
            "detection-rules-active",
            "Rules active at the end of the period",
            List.of("rule id", "name", "severity", "technique", "version", "ruleset"),
            active.values().stream()
                .map(
                    r ->
                        List.of(
                            r.id(),
                            r.name(),
                            r.severity().wireName(),
                            r.techniqueId() == null ? "" : r.techniqueId(),
                            Integer.toString(r.version()),
                            r.ruleset()))
                .toList()));
    figures.add(figure("rules.active", "Rules active at the end of the period", active.size()));
    figures.add(figure("rules.added", "Rules added in the period", period.added().size()));
    figures.add(figure("rules.changed", "Rules changed in the period", period.changed().size()));
    figures.add(figure("rules.disabled", "Rules disabled in the period", period.disabled().size()));
    figures.add(figure("rules.deploys", "Rule releases deployed in the period", deploys.size()));
  }

  /**
   * What {@code release} changed in its ruleset: compared with the release of the same ruleset it
   * replaced, or with the shipped pack for the first release of ruleset {@code vigil}.
   */
  private static RuleChanges changesBy(List<RuleRelease> releases, RuleRelease release) {
    RuleRelease previous = null;
    for (RuleRelease other : releases.stream().sorted(RuleTimeline.DEPLOY_ORDER).toList()) {
      if (other == release) {
        break;
      }
      if (other.ruleset().equals(release.ruleset())) {
        previous = other;
      }
    }
    Map<String, String> filesBefore =
        previous != null
            ? previous.files()
            : release.ruleset().equals(RulePack.BUILT_IN_ID)
                ? DrlRuleTexts.builtInFiles()
                : Map.of();
    Map<String, RuleDefinition> rulesBefore =
        previous != null
            ? byId(RuleTimeline.compiled(previous).rules())
            : release.ruleset().equals(RulePack.BUILT_IN_ID)
                ? byId(RulePack.builtIn().rules())
                : Map.of();
    Map<String, RuleDefinition> rulesAfter = byId(RuleTimeline.compiled(release).rules());
    return RuleChanges.between(
        rulesBefore,
        textsById(rulesBefore, DrlRuleTexts.of(filesBefore)),
        rulesAfter,
        textsById(rulesAfter, DrlRuleTexts.of(release.files())));
  }

  /** Every running rule's DRL text at {@code at}, by rule id. */
  private static Map<String, String> textsAt(ReportContext ctx, Instant at) {
    Map<String, RuleRelease> newest = new LinkedHashMap<>();
    for (RuleRelease release :
        ctx.ruleReleases().stream().sorted(RuleTimeline.DEPLOY_ORDER).toList()) {
      if (!release.deployedAt().isAfter(at)) {
        newest.put(release.ruleset(), release);
      }
    }
    Map<String, String> byId = new LinkedHashMap<>();
    if (!newest.containsKey(RulePack.BUILT_IN_ID)) {
      byId.putAll(
          textsById(
              byId(RulePack.builtIn().rules()), DrlRuleTexts.of(DrlRuleTexts.builtInFiles())));
    }
    for (RuleRelease release : newest.values()) {
      byId.putAll(
          textsById(
              byId(RuleTimeline.compiled(release).rules()), DrlRuleTexts.of(release.files())));
    }
    return byId;
  }

  private static Map<String, String> textsById(
      Map<String, RuleDefinition> rules, Map<String, String> textsByName) {
    Map<String, String> byId = new LinkedHashMap<>();
    for (RuleDefinition rule : rules.values()) {
      String text = textsByName.get(rule.name());
      if (text != null) {
        byId.put(rule.id(), text);
      }
    }
    return byId;
  }

  private static Map<String, RuleDefinition> byId(List<RuleDefinition> rules) {
    Map<String, RuleDefinition> byId = new LinkedHashMap<>();
    for (RuleDefinition rule : rules) {
      byId.put(rule.id(), rule);
    }
    return byId;
  }

  private static String orNone(String value) {
    return value == null || value.isEmpty() ? NONE : value;
  }

  private static ReportFigure figure(String key, String label, long value) {
    return new ReportFigure(key, label, ReportText.count(value));
  }
}
