package org.vigil.dashboards.reports;

import static org.vigil.dashboards.reports.ReportQueries.EVENTS;
import static org.vigil.dashboards.reports.ReportQueries.eachBucket;
import static org.vigil.dashboards.reports.ReportQueries.instant;
import static org.vigil.dashboards.reports.ReportQueries.periodInScope;
import static org.vigil.dashboards.reports.ReportQueries.termsSource;
import static org.vigil.dashboards.reports.ReportQueries.text;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Monitoring coverage: which assets of the inventory sent logs or flows in the period and which
 * went silent and for how long (or, without an inventory, which devices sent events), and the event
 * volume per agency and source type.
 *
 * <p>An asset reports through events whose {@code observer.ip} (the device that sent them) lies in
 * its network, and through flow records ({@code event.dataset} {@code netflow.*}) whose {@code
 * source.ip} lies in it: a router's flows show a host that sends no logs of its own.
 *
 * <p>Silences are exact, not estimated from histogram buckets: an asset's event times are read in
 * ascending order with {@code search_after} (only the sort values, ten thousand per page) and
 * folded into {@link ReportingGaps}, which keeps only the previous time, so memory stays constant
 * however many events an asset sent.
 */
public final class CoverageSection implements SectionBuilder {
  static final String NONE = "(none)";

  /** Sort values per page of an asset's event times: the largest page Elasticsearch allows. */
  private static final int TIME_PAGE = 10_000;

  /** Agencies an observer is listed with; more than a few means a relay and is cut short. */
  private static final int AGENCIES_PER_SENDER = 10;

  @Override
  public ReportSection build(ReportContext ctx, Map<SectionKind, ReportSection> earlier)
      throws IOException {
    List<String> notes = new ArrayList<>();
    List<ReportFigure> figures = new ArrayList<>();
    List<ReportChart> charts = new ArrayList<>();
    List<ReportTable> tables = new ArrayList<>();
    String silence = ReportText.duration(ctx.definition().silence());
    List<InventoryAsset> assets =
        ctx.inventory().stream()
            .filter(a -> ctx.agencies().isEmpty() || ctx.agencies().contains(a.agency()))
            .toList();
    if (!ctx.inventory().isEmpty()) {
      notes.add(
          "An asset reports through events sent from its network (observer.ip) and through flow"
              + " records (netflow.*) whose source lies in it; an event counts for every asset"
              + " whose network holds its sender. It is silent when it sent nothing"
              + " for "
              + silence
              + " or longer up to the end of the period, and never reported when it sent nothing"
              + " in the period. The longest silence includes the time from the period's start to"
              + " the first event and from the last event to the period's end.");
      assets(ctx, assets, figures, tables);
    } else {
      notes.add(
          "No asset inventory was given, so the devices that sent events (observer.ip) are listed"
              + " instead. A device is silent when it sent nothing for "
              + silence
              + " or longer up to the end of the period; one that sent events in the preceding"
              + " period of equal length but none in this one went silent.");
      senders(ctx, figures, tables);
    }
    volume(ctx, figures, charts, tables);
    return new ReportSection(SectionKind.COVERAGE, notes, figures, charts, tables);
  }

  private static void assets(
      ReportContext ctx,
      List<InventoryAsset> assets,
      List<ReportFigure> figures,
      List<ReportTable> tables)
      throws IOException {
    Duration silence = ctx.definition().silence();
    long reporting = 0;
    long silent = 0;
    long never = 0;
    long interrupted = 0;
    List<List<String>> rows = new ArrayList<>();
    for (InventoryAsset asset : assets) {
      ReportingGaps gaps = gaps(ctx, asset);
      String status;
      if (gaps.count() == 0) {
        status = "never";
        never++;
      } else if (gaps.silentAtEnd(silence)) {
        status = "silent";
        silent++;
      } else {
        status = "reporting";
        reporting++;
      }
      if (gaps.longestSilence().compareTo(silence) >= 0) {
        interrupted++;
      }
      rows.add(
          List.of(
              asset.name(),
              asset.agency(),
              asset.cidr(),
              asset.criticality(),
              ReportText.count(gaps.count()),
              ReportText.time(gaps.first()),
              ReportText.time(gaps.last()),
              ReportText.duration(gaps.longestSilence()),
              status));
    }
    tables.add(
        new ReportTable(
            "coverage-assets",
            "Assets of the inventory",
            List.of(
                "asset",
                "agency",
                "network",
                "criticality",
                "events",
                "first seen",
                "last seen",
                "longest silence",
                "status"),
            rows));
    figures.add(figure("assets.total", "Assets in the inventory", assets.size()));
    figures.add(figure("assets.reporting", "Assets reporting at the end of the period", reporting));
    figures.add(figure("assets.silent", "Assets silent at the end of the period", silent));
    figures.add(figure("assets.never", "Assets that never reported in the period", never));
    figures.add(
        figure(
            "assets.interrupted",
            "Assets silent for "
                + ReportText.duration(silence)
                + " or longer at some time in the period",
            interrupted));
  }

  /**
   * Reads one asset's event times in ascending order. Ties are broken by index and sequence number,
   * which are unique within the one-shard daily indices, so {@code search_after} neither skips nor
   * repeats an event.
   */
  private static ReportingGaps gaps(ReportContext ctx, InventoryAsset asset) throws IOException {
    ElasticsearchClient client = ctx.client();
    Query sentFromNetwork = term("observer.ip", asset.cidr());
    Query flowFromNetwork =
        Query.of(
            q ->
                q.bool(
                    b ->
                        b.filter(f -> f.prefix(p -> p.field("event.dataset").value("netflow.")))
                            .filter(term("source.ip", asset.cidr()))));
    Query fromAsset =
        Query.of(
            q ->
                q.bool(
                    b ->
                        b.filter(periodInScope(ctx.from(), ctx.to(), ctx.agencies()))
                            .filter(
                                f ->
                                    f.bool(
                                        o ->
                                            o.should(sentFromNetwork)
                                                .should(flowFromNetwork)
                                                .minimumShouldMatch("1")))));
    ReportingGaps gaps = new ReportingGaps(ctx.from(), ctx.to());
    List<FieldValue> after = null;
    while (true) {
      List<FieldValue> searchAfter = after;
      SearchResponse<Void> page =
          client.search(
              s -> {
                s.index(EVENTS)
                    .ignoreUnavailable(true)
                    .allowNoIndices(true)
                    .size(TIME_PAGE)
                    .source(src -> src.fetch(false))
                    .trackTotalHits(t -> t.enabled(false))
                    .query(fromAsset)
                    .sort(ReportQueries.oldestFirst());
                if (searchAfter != null) {
                  s.searchAfter(searchAfter);
                }
                return s;
              },
              Void.class);
      List<Hit<Void>> hits = page.hits().hits();
      for (Hit<Void> hit : hits) {
        gaps.add(epochMillis(hit.sort().get(0)));
      }
      if (hits.size() < TIME_PAGE) {
        return gaps;
      }
      after = hits.get(hits.size() - 1).sort();
    }
  }

  private static long epochMillis(FieldValue sortValue) {
    if (sortValue.isLong()) {
      return sortValue.longValue();
    }
    if (sortValue.isString()) {
      return Long.parseLong(sortValue.stringValue());
    }
    return (long) sortValue.doubleValue();
  }

  private static void senders(
      ReportContext ctx, List<ReportFigure> figures, List<ReportTable> tables) throws IOException {
    Duration silence = ctx.definition().silence();
    Map<String, Aggregation> subs = new LinkedHashMap<>();
    subs.put("first", Aggregation.of(a -> a.min(m -> m.field("@timestamp"))));
    subs.put("last", Aggregation.of(a -> a.max(m -> m.field("@timestamp"))));
    subs.put(
        "agencies",
        Aggregation.of(a -> a.terms(t -> t.field("organization.id").size(AGENCIES_PER_SENDER))));
    Query hasSender = Query.of(q -> q.exists(e -> e.field("observer.ip")));
    Map<String, SenderRow> senders = new TreeMap<>();
    eachBucket(
        ctx.client(),
        EVENTS,
        both(periodInScope(ctx.from(), ctx.to(), ctx.agencies()), hasSender),
        List.of(termsSource("sender", "observer.ip")),
        subs,
        b -> {
          String sender = text(b.key().get("sender"));
          TreeSet<String> agencies = new TreeSet<>();
          for (StringTermsBucket t : b.aggregations().get("agencies").sterms().buckets().array()) {
            agencies.add(t.key().stringValue());
          }
          senders.put(
              sender,
              new SenderRow(
                  b.docCount(),
                  instant(b.aggregations().get("first")),
                  instant(b.aggregations().get("last")),
                  String.join(", ", agencies)));
        });
    Duration length = Duration.between(ctx.from(), ctx.to());
    Instant before = ctx.from().minus(length);
    Map<String, SenderRow> wentSilent = new TreeMap<>();
    eachBucket(
        ctx.client(),
        EVENTS,
        both(periodInScope(before, ctx.from(), ctx.agencies()), hasSender),
        List.of(termsSource("sender", "observer.ip")),
        subs,
        b -> {
          String sender = text(b.key().get("sender"));
          if (!senders.containsKey(sender)) {
            TreeSet<String> agencies = new TreeSet<>();
            for (StringTermsBucket t :
                b.aggregations().get("agencies").sterms().buckets().array()) {
              agencies.add(t.key().stringValue());
            }
            wentSilent.put(
                sender,
                new SenderRow(
                    0, null, instant(b.aggregations().get("last")), String.join(", ", agencies)));
          }
        });
    List<List<String>> rows = new ArrayList<>();
    long silent = 0;
    for (Map.Entry<String, SenderRow> e : senders.entrySet()) {
      SenderRow row = e.getValue();
      boolean quiet = Duration.between(row.last(), ctx.to()).compareTo(silence) >= 0;
      if (quiet) {
        silent++;
      }
      rows.add(row.cells(e.getKey(), quiet ? "silent" : "reporting"));
    }
    for (Map.Entry<String, SenderRow> e : wentSilent.entrySet()) {
      rows.add(e.getValue().cells(e.getKey(), "went silent"));
    }
    tables.add(
        new ReportTable(
            "coverage-senders",
            "Devices that sent events",
            List.of("sender", "agency", "events", "first seen", "last seen", "status"),
            rows));
    figures.add(
        figure(
            "senders.total",
            "Devices that sent events in the period or the one before",
            senders.size() + wentSilent.size()));
    figures.add(
        figure(
            "senders.silent",
            "Devices silent at the end of the period (including those that went silent)",
            silent + wentSilent.size()));
    figures.add(
        figure(
            "senders.went_silent",
            "Devices that sent events in the preceding period but none in this one",
            wentSilent.size()));
  }

  private record SenderRow(long events, Instant first, Instant last, String agencies) {
    List<String> cells(String sender, String status) {
      return List.of(
          sender,
          agencies,
          ReportText.count(events),
          ReportText.time(first),
          ReportText.time(last),
          status);
    }
  }

  private static void volume(
      ReportContext ctx,
      List<ReportFigure> figures,
      List<ReportChart> charts,
      List<ReportTable> tables)
      throws IOException {
    List<List<String>> rows = new ArrayList<>();
    Map<String, Long> perAgency = new TreeMap<>();
    long[] total = {0};
    eachBucket(
        ctx.client(),
        EVENTS,
        periodInScope(ctx.from(), ctx.to(), ctx.agencies()),
        List.of(termsSource("agency", "organization.id"), termsSource("dataset", "event.dataset")),
        Map.of(),
        b -> {
          String agency = orNone(text(b.key().get("agency")));
          String dataset = orNone(text(b.key().get("dataset")));
          rows.add(List.of(agency, dataset, ReportText.count(b.docCount())));
          perAgency.merge(agency, b.docCount(), Long::sum);
          total[0] += b.docCount();
        });
    tables.add(
        new ReportTable(
            "coverage-volume",
            "Events per agency and source type",
            List.of("agency", "source type", "events"),
            rows));
    charts.add(
        new ReportChart(
            "Events per agency",
            List.copyOf(perAgency.keySet()),
            perAgency.values().stream().map(Long::doubleValue).toList(),
            "events"));
    figures.add(figure("events.total", "Events in the period", total[0]));
  }

  private static String orNone(String value) {
    return value == null || value.isEmpty() ? NONE : value;
  }

  /** On an ip field a CIDR value matches every address of the network. */
  private static Query term(String field, String value) {
    return Query.of(q -> q.term(t -> t.field(field).value(value)));
  }

  private static Query both(Query a, Query b) {
    return Query.of(q -> q.bool(x -> x.filter(a).filter(b)));
  }

  private static ReportFigure figure(String key, String label, long value) {
    return new ReportFigure(key, label, ReportText.count(value));
  }
}
