package org.vigil.dashboards.reports;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.vigil.dashboards.AlertActivity;
import org.vigil.dashboards.ElasticsearchAlertActivityStore;
import org.vigil.elasticsearch.Indices;
import org.vigil.model.AlertStatus;
import org.vigil.model.Resolution;
import org.vigil.model.Severity;

/**
 * How the alerts detected in the period were handled: time to acknowledge and to close per
 * severity, alerts still open past their target, resolutions, and alerts closed without a comment.
 *
 * <p>Alerts are read page by page ({@code search_after}, only the fields needed), and the activity
 * of each page's alerts in one paged query per page, so memory grows by a few numbers per alert,
 * not by their documents. The triage state is the one the activity records at the period's end (see
 * {@link TriageHistory}); the alert document's current status is not used, since it shows today's
 * state, not the period's.
 */
public final class ResponseSection implements SectionBuilder {
  /** Alerts per page, and so alert ids per activity query (Elasticsearch allows 65,536 terms). */
  static final int PAGE = 1_000;

  /** Rows listed per alert table; the figures count them all. */
  static final int MAX_ROWS = 1_000;

  /** Severities as printed: the most urgent first. */
  static final List<Severity> ORDER =
      List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW);

  private static final List<String> ALERT_FIELDS =
      List.of("rule.id", "rule.name", "vigil.alert.severity", "organization.id");
  private static final List<String> ACTIVITY_FIELDS =
      List.of("alert_id", "actor", "kind", "from", "to", "resolution", "assignee");
  private static final double HOUR_MILLIS = 3_600_000.0;

  @Override
  public ReportSection build(ReportContext ctx, Map<SectionKind, ReportSection> earlier)
      throws IOException {
    Tally tally = new Tally(ctx);
    List<FieldValue> after = null;
    while (true) {
      List<Hit<ReportQueries.Source>> hits = alertPage(ctx, after);
      if (hits.isEmpty()) {
        break;
      }
      Map<String, AlertRow> page = new LinkedHashMap<>();
      for (Hit<ReportQueries.Source> hit : hits) {
        page.put(hit.id(), AlertRow.of(hit, ctx.to().toEpochMilli()));
      }
      readActivity(ctx.client(), page, ctx.to().toEpochMilli());
      page.values().forEach(tally::add);
      if (hits.size() < PAGE) {
        break;
      }
      after = hits.get(hits.size() - 1).sort();
    }
    return tally.section();
  }

  private static List<Hit<ReportQueries.Source>> alertPage(
      ReportContext ctx, List<FieldValue> after) throws IOException {
    Query query =
        ReportQueries.all(
            ReportQueries.period("@timestamp", ctx.from(), ctx.to()),
            ReportQueries.scope("organization.id", ctx.agencies()));
    SearchResponse<ReportQueries.Source> response =
        ctx.client()
            .search(
                s -> {
                  s.index(Indices.ALERTS_PATTERN)
                      .ignoreUnavailable(true)
                      .allowNoIndices(true)
                      .size(PAGE)
                      .trackTotalHits(t -> t.enabled(false))
                      .source(src -> src.filter(f -> f.includes(ALERT_FIELDS)))
                      .query(query)
                      .sort(ReportQueries.oldestFirst());
                  if (after != null) {
                    s.searchAfter(after);
                  }
                  return s;
                },
                ReportQueries.Source.class);
    return response.hits().hits();
  }

  /** Folds the activity of the page's alerts, oldest first, into their histories. */
  private static void readActivity(
      ElasticsearchClient client, Map<String, AlertRow> page, long cutoff) throws IOException {
    Query query =
        ReportQueries.all(
            ReportQueries.terms("alert_id", new ArrayList<>(page.keySet())),
            Query.of(
                q ->
                    q.range(
                        r ->
                            r.date(
                                d ->
                                    d.field("@timestamp")
                                        .lte(Instant.ofEpochMilli(cutoff).toString())))));
    List<FieldValue> after = null;
    while (true) {
      List<FieldValue> searchAfter = after;
      SearchResponse<ReportQueries.Source> response =
          client.search(
              s -> {
                s.index(ElasticsearchAlertActivityStore.INDEX)
                    .ignoreUnavailable(true)
                    .allowNoIndices(true)
                    .size(PAGE)
                    .trackTotalHits(t -> t.enabled(false))
                    .source(src -> src.filter(f -> f.includes(ACTIVITY_FIELDS)))
                    .query(query)
                    .sort(ReportQueries.oldestFirst());
                if (searchAfter != null) {
                  s.searchAfter(searchAfter);
                }
                return s;
              },
              ReportQueries.Source.class);
      List<Hit<ReportQueries.Source>> hits = response.hits().hits();
      for (Hit<ReportQueries.Source> hit : hits) {
        ReportQueries.Source a = hit.source();
        AlertRow row = a == null ? null : page.get(a.text("alert_id"));
        if (row == null) {
          continue;
        }
        AlertActivity.Kind kind = kind(a.text("kind"));
        if (kind == null) {
          row.unreadable++;
          continue;
        }
        try {
          row.history.accept(
              Long.parseLong(ReportQueries.text(hit.sort().get(0))),
              kind,
              a.text("from") == null ? null : AlertStatus.fromWireName(a.text("from")),
              a.text("to") == null ? null : AlertStatus.fromWireName(a.text("to")),
              a.text("resolution") == null ? null : Resolution.fromWireName(a.text("resolution")),
              a.text("actor"),
              a.text("assignee"));
        } catch (IllegalArgumentException e) {
          row.unreadable++;
        }
      }
      if (hits.size() < PAGE) {
        return;
      }
      after = hits.get(hits.size() - 1).sort();
    }
  }

  private static AlertActivity.Kind kind(String wire) {
    try {
      return wire == null ? null : AlertActivity.Kind.fromWireName(wire);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** An alert of the current page: the few fields tables print, and its history. */
  private static final class AlertRow {
    final String id;
    final String rule;
    final Severity severity;
    final String agency;
    final long detected;
    final TriageHistory history;
    int unreadable;

    private AlertRow(
        String id, String rule, Severity severity, String agency, long detected, long cutoff) {
      this.id = id;
      this.rule = rule;
      this.severity = severity;
      this.agency = agency;
      this.detected = detected;
      this.history = new TriageHistory(detected, cutoff);
    }

    static AlertRow of(Hit<ReportQueries.Source> hit, long cutoff) {
      ReportQueries.Source s = hit.source() == null ? new ReportQueries.Source() : hit.source();
      String rule = s.text("rule.id");
      return new AlertRow(
          hit.id(),
          rule == null ? "" : rule,
          severity(s.text("vigil.alert.severity")),
          s.text("organization.id"),
          Long.parseLong(ReportQueries.text(hit.sort().get(0))),
          cutoff);
    }

    private static Severity severity(String wire) {
      try {
        return wire == null ? null : Severity.fromWireName(wire);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }

  /** The running totals: per severity counts and durations, and the rows of the alert tables. */
  private static final class Tally {
    private final ReportContext ctx;
    private final long to;
    private final Map<Severity, long[]> counts = new EnumMap<>(Severity.class);
    private final Map<Severity, Durations> tta = new EnumMap<>(Severity.class);
    private final Map<Severity, Durations> ttc = new EnumMap<>(Severity.class);
    private final Durations allTta = new Durations();
    private final Durations allTtc = new Durations();
    private final Map<Resolution, Long> resolutions = new EnumMap<>(Resolution.class);
    private final List<List<String>> overdueRows = new ArrayList<>();
    private final List<List<String>> uncommentedRows = new ArrayList<>();
    private long alerts;
    private long acknowledged;
    private long closed;
    private long unresolved;
    private long overdue;
    private long uncommented;
    private long unknownSeverity;
    private long unreadableActivity;

    Tally(ReportContext ctx) {
      this.ctx = ctx;
      this.to = ctx.to().toEpochMilli();
      for (Severity severity : Severity.values()) {
        counts.put(severity, new long[3]);
        tta.put(severity, new Durations());
        ttc.put(severity, new Durations());
      }
    }

    void add(AlertRow row) {
      TriageHistory h = row.history;
      alerts++;
      unreadableActivity += row.unreadable;
      if (row.severity == null) {
        unknownSeverity++;
      }
      long[] c = row.severity == null ? new long[3] : counts.get(row.severity);
      c[0]++;
      OptionalLong ack = h.timeToAcknowledge();
      if (ack.isPresent()) {
        acknowledged++;
        c[1]++;
        allTta.add(ack.getAsLong());
        if (row.severity != null) {
          tta.get(row.severity).add(ack.getAsLong());
        }
      }
      OptionalLong close = h.timeToClose();
      if (close.isPresent()) {
        closed++;
        c[2]++;
        allTtc.add(close.getAsLong());
        if (row.severity != null) {
          ttc.get(row.severity).add(close.getAsLong());
        }
        if (h.resolution() == null) {
          unresolved++;
        } else {
          resolutions.merge(h.resolution(), 1L, Long::sum);
        }
        if (!h.commented()) {
          uncommented++;
          if (uncommentedRows.size() < MAX_ROWS) {
            uncommentedRows.add(
                List.of(
                    row.id,
                    row.rule,
                    severityText(row.severity),
                    nullToEmpty(row.agency),
                    ReportText.time(Instant.ofEpochMilli(row.detected)),
                    ReportText.time(Instant.ofEpochMilli(h.closedAt())),
                    nullToEmpty(h.closedBy()),
                    h.resolution() == null ? "(none)" : h.resolution().wireName()));
          }
        }
      } else if (row.severity != null
          && to - row.detected > ctx.definition().responseTarget(row.severity).toMillis()) {
        overdue++;
        if (overdueRows.size() < MAX_ROWS) {
          overdueRows.add(
              List.of(
                  row.id,
                  row.rule,
                  row.severity.wireName(),
                  nullToEmpty(row.agency),
                  ReportText.time(Instant.ofEpochMilli(row.detected)),
                  h.status().wireName(),
                  nullToEmpty(h.assignee()),
                  ReportText.duration(Duration.ofMillis(to - row.detected))));
        }
      }
    }

    ReportSection section() {
      List<ReportFigure> figures = new ArrayList<>();
      figures.add(new ReportFigure("alerts.detected", "Alerts detected", count(alerts)));
      figures.add(
          new ReportFigure("alerts.acknowledged", "Alerts acknowledged", count(acknowledged)));
      figures.add(new ReportFigure("alerts.closed", "Alerts closed", count(closed)));
      long[] ttaAll = allTta.sorted();
      long[] ttcAll = allTtc.sorted();
      figures.add(new ReportFigure("tta.median", "Median time to acknowledge", pct(ttaAll, 50)));
      figures.add(
          new ReportFigure("tta.p90", "90th percentile time to acknowledge", pct(ttaAll, 90)));
      figures.add(new ReportFigure("ttc.median", "Median time to close", pct(ttcAll, 50)));
      figures.add(new ReportFigure("ttc.p90", "90th percentile time to close", pct(ttcAll, 90)));
      figures.add(
          new ReportFigure("alerts.overdue", "Alerts open past their target", count(overdue)));
      figures.add(
          new ReportFigure(
              "alerts.closed_without_comment",
              "Alerts closed without a comment",
              count(uncommented)));
      for (Resolution r : Resolution.values()) {
        figures.add(
            new ReportFigure(
                "resolutions." + r.wireName(),
                "Closed as " + r.wireName().replace('_', ' '),
                count(resolutions.getOrDefault(r, 0L))));
      }
      figures.add(
          new ReportFigure("resolutions.none", "Closed without a resolution", count(unresolved)));

      List<List<String>> timeRows = new ArrayList<>();
      List<String> labels = new ArrayList<>();
      List<Double> medianHours = new ArrayList<>();
      for (Severity severity : ORDER) {
        long[] c = counts.get(severity);
        long[] a = tta.get(severity).sorted();
        long[] z = ttc.get(severity).sorted();
        timeRows.add(
            List.of(
                severity.wireName(),
                count(c[0]),
                count(c[1]),
                count(c[2]),
                pct(a, 50),
                pct(a, 90),
                pct(z, 50),
                pct(z, 90),
                ReportText.duration(ctx.definition().responseTarget(severity))));
        labels.add(severity.wireName());
        medianHours.add(z.length == 0 ? 0.0 : NearestRank.sortedPercentile(z, 50) / HOUR_MILLIS);
      }

      List<List<String>> resolutionRows = new ArrayList<>();
      for (Resolution r : Resolution.values()) {
        long n = resolutions.getOrDefault(r, 0L);
        resolutionRows.add(List.of(r.wireName(), count(n), ReportText.percent(n, closed)));
      }
      resolutionRows.add(
          List.of("(none)", count(unresolved), ReportText.percent(unresolved, closed)));

      List<String> notes = new ArrayList<>();
      notes.add(
          "Alerts detected in the period, with their triage as recorded up to the period's end:"
              + " time to acknowledge runs from detection to the first status change out of new;"
              + " time to close, to the last change to closed, for alerts closed at the period's"
              + " end (a reopened alert is not closed). Medians and 90th percentiles are nearest"
              + " rank: each is the time of an actual alert.");
      notes.add(
          "Open past target: alerts not closed at the period's end that were older than the"
              + " response target of their severity. Closed without a comment: no comment was"
              + " written on the alert by the period's end; the reason given when closing does"
              + " not count, since the dashboard requires one for every close.");
      if (overdue > overdueRows.size() || uncommented > uncommentedRows.size()) {
        notes.add(
            "Alert tables list the first "
                + MAX_ROWS
                + " alerts by detection time; the figures count all.");
      }
      if (unknownSeverity > 0) {
        notes.add(
            count(unknownSeverity)
                + " alerts had no known severity: they count in the totals but in no severity's"
                + " row, and have no response target.");
      }
      if (unreadableActivity > 0) {
        notes.add(
            count(unreadableActivity)
                + " activity records could not be read (unknown kind or status) and were left out.");
      }

      List<String> alertColumns =
          List.of("Alert", "Rule", "Severity", "Agency", "Detected", "Status", "Assignee", "Age");
      return new ReportSection(
          SectionKind.RESPONSE,
          notes,
          figures,
          List.of(
              new ReportChart("Median time to close by severity", labels, medianHours, "hours")),
          List.of(
              new ReportTable(
                  "response-times",
                  "Response times by severity",
                  List.of(
                      "Severity",
                      "Alerts",
                      "Acknowledged",
                      "Closed",
                      "TTA median",
                      "TTA p90",
                      "TTC median",
                      "TTC p90",
                      "Target"),
                  timeRows),
              new ReportTable(
                  "response-overdue", "Alerts open past their target", alertColumns, overdueRows),
              new ReportTable(
                  "response-resolutions",
                  "Resolutions of closed alerts",
                  List.of("Resolution", "Alerts", "Share of closed"),
                  resolutionRows),
              new ReportTable(
                  "response-closed-without-comment",
                  "Alerts closed without a comment",
                  List.of(
                      "Alert",
                      "Rule",
                      "Severity",
                      "Agency",
                      "Detected",
                      "Closed",
                      "Closed by",
                      "Resolution"),
                  uncommentedRows)));
    }

    private static String pct(long[] sorted, int percent) {
      return sorted.length == 0
          ? "n/a"
          : ReportText.duration(Duration.ofMillis(NearestRank.sortedPercentile(sorted, percent)));
    }

    private static String severityText(Severity severity) {
      return severity == null ? "(unknown)" : severity.wireName();
    }
  }

  /** Durations in milliseconds, as a growing array: 8 bytes per alert. */
  private static final class Durations {
    private long[] values = new long[16];
    private int size;

    void add(long millis) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = millis;
    }

    long[] sorted() {
      long[] copy = Arrays.copyOf(values, size);
      Arrays.sort(copy);
      return copy;
    }
  }

  private static String count(long n) {
    return ReportText.count(n);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
