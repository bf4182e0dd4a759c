package org.vigil.dashboards;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.aggregations.FieldDateMath;
import co.elastic.clients.elasticsearch._types.aggregations.LongTermsBucket;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.mapping.FieldType;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.CountRequest;
import co.elastic.clients.elasticsearch.core.FieldCapsResponse;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.field_caps.FieldCapability;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.core.search.TotalHits;
import co.elastic.clients.elasticsearch.core.search.TotalHitsRelation;
import co.elastic.clients.elasticsearch.indices.ValidateQueryResponse;
import co.elastic.clients.elasticsearch.indices.validate_query.IndicesValidationExplanation;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.util.NamedValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Events from the daily {@code vigil-events-*} indices, searched with Lucene query strings over ECS
 * field names, and the overview that also counts {@code vigil-alerts*}. Every request is filtered
 * by the caller's {@code organization.id} scope.
 */
public final class ElasticsearchEventStore implements EventStore {
  public static final String INDEX_PATTERN = "vigil-events*";

  private static final int MAX_TOP_SIZE = 100;
  private static final int TOP_ITEMS = 10;
  private static final int MAX_AGENCIES = 500;
  private static final Pattern FIELD_NAME =
      Pattern.compile("[A-Za-z0-9@_][A-Za-z0-9@_.\\-]{0,254}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ElasticsearchClient client;

  public ElasticsearchEventStore(ElasticsearchClient client) {
    this.client = client;
  }

  @Override
  public EventPage search(EventQuery query) {
    SearchResponse<EventSource> response =
        call(() -> client.search(request(query), EventSource.class));
    List<StoredEvent> events = new ArrayList<>();
    List<FieldValue> lastSort = null;
    for (Hit<EventSource> hit : response.hits().hits()) {
      events.add(event(hit));
      lastSort = hit.sort();
    }
    TotalHits total = response.hits().total();
    if (events.isEmpty() && query.cursor() == null && skippedShards(response) > 0) {
      requireParsable(query.filter().query());
    }
    EventCursor next =
        events.size() == query.size() && lastSort != null && !lastSort.isEmpty()
            ? cursor(lastSort)
            : null;
    return new EventPage(
        total == null ? events.size() : total.value(),
        total != null && total.relation() == TotalHitsRelation.Gte,
        events,
        next);
  }

  /**
   * Newest first with ties broken by index and sequence number, which are unique for the one-shard
   * daily indices: {@code search_after} then neither skips nor repeats an event.
   */
  static SearchRequest request(EventQuery query) {
    SortOrder order = query.ascending() ? SortOrder.Asc : SortOrder.Desc;
    return SearchRequest.of(
        s -> {
          s.index(INDEX_PATTERN)
              .ignoreUnavailable(true)
              .allowNoIndices(true)
              .size(query.size())
              .trackTotalHits(t -> t.count(TOTAL_HITS_BOUND))
              .query(filter(query.filter()))
              .sort(
                  SortOptions.of(
                      o ->
                          o.field(
                              f ->
                                  f.field("@timestamp")
                                      .order(order)
                                      .unmappedType(FieldType.Date)
                                      .format("epoch_millis"))),
                  SortOptions.of(o -> o.field(f -> f.field("_index").order(order))),
                  SortOptions.of(o -> o.field(f -> f.field("_seq_no").order(order))));
          if (query.cursor() != null) {
            s.searchAfter(
                query.cursor().sortValues().stream().map(ElasticsearchEventStore::value).toList());
          }
          return s;
        });
  }

  /**
   * Shards a sorted search skipped without parsing the query. Only then can its empty answer hide a
   * typo: a shard that ran the query would have failed on it. (Aggregations have no such phase, but
   * rewrite a query whose range misses the shard to match nothing before parsing the rest, so they
   * ask whenever they come back empty.)
   */
  private static int skippedShards(SearchResponse<?> response) {
    return response.shards() == null || response.shards().skipped() == null
        ? 0
        : response.shards().skipped().intValue();
  }

  /**
   * Elasticsearch skips the shards whose time span misses the range before it parses the query
   * string, so a typo over an empty range would look like "no events": ask it to parse.
   */
  private void requireParsable(String queryString) {
    if (queryString.equals("*")) {
      return;
    }
    ValidateQueryResponse validation =
        call(
            () ->
                client
                    .indices()
                    .validateQuery(
                        v ->
                            v.index(INDEX_PATTERN)
                                .ignoreUnavailable(true)
                                .allowNoIndices(true)
                                .explain(true)
                                .query(text(queryString))));
    if (validation.valid()) {
      return;
    }
    String reason = validation.error();
    for (IndicesValidationExplanation e : validation.explanations()) {
      if (!e.valid() && e.error() != null) {
        reason = e.error();
        break;
      }
    }
    String cause = reason == null ? "the query does not parse" : reason;
    int parse = cause.lastIndexOf("Cannot parse");
    throw new IllegalArgumentException(
        "invalid query: " + firstLine(parse >= 0 ? cause.substring(parse) : cause));
  }

  @Override
  public Optional<StoredEvent> get(String id, AgencyScope scope) {
    if (id == null || id.isBlank() || id.length() > 512) {
      return Optional.empty();
    }
    Query byId = Query.of(q -> q.ids(i -> i.values(id)));
    SearchResponse<EventSource> response =
        call(
            () ->
                client.search(
                    s ->
                        s.index(INDEX_PATTERN)
                            .ignoreUnavailable(true)
                            .allowNoIndices(true)
                            .size(1)
                            .query(scoped(byId, scope)),
                    EventSource.class));
    return response.hits().hits().stream().findFirst().map(ElasticsearchEventStore::event);
  }

  @Override
  public long count(EventFilter filter) {
    long count = countMatching(filter);
    if (count == 0) {
      requireParsable(filter.query());
    }
    return count;
  }

  private long countMatching(EventFilter filter) {
    return call(() ->
            client.count(
                CountRequest.of(
                    c ->
                        c.index(INDEX_PATTERN)
                            .ignoreUnavailable(true)
                            .allowNoIndices(true)
                            .query(filter(filter)))))
        .count();
  }

  @Override
  public EventHistogram histogram(EventFilter filter, long intervalMillis) {
    SearchResponse<Void> response =
        call(
            () ->
                client.search(
                    s ->
                        s.index(INDEX_PATTERN)
                            .ignoreUnavailable(true)
                            .allowNoIndices(true)
                            .size(0)
                            .query(filter(filter))
                            .aggregations("h", dateHistogram(filter.range(), intervalMillis)),
                    Void.class));
    List<EventHistogram.Bucket> buckets = new ArrayList<>();
    Aggregate h = response.aggregations().get("h");
    if (h != null) {
      for (DateHistogramBucket b : h.dateHistogram().buckets().array()) {
        buckets.add(new EventHistogram.Bucket(b.key(), b.docCount()));
      }
    } else {
      buckets.addAll(emptyBuckets(filter.range(), intervalMillis));
    }
    if (buckets.stream().allMatch(b -> b.count() == 0)) {
      requireParsable(filter.query());
    }
    return new EventHistogram(intervalMillis, buckets);
  }

  @Override
  public List<ValueCount> top(EventFilter filter, String field, int size) {
    if (field == null || !FIELD_NAME.matcher(field).matches()) {
      throw new IllegalArgumentException(
          "field must be an ECS field name such as source.ip or event.action: " + field);
    }
    if (size < 1 || size > MAX_TOP_SIZE) {
      throw new IllegalArgumentException("size must be 1.." + MAX_TOP_SIZE + ": " + size);
    }
    requireCountable(field);
    SearchResponse<Void> response =
        call(
            () ->
                client.search(
                    s ->
                        s.index(INDEX_PATTERN)
                            .ignoreUnavailable(true)
                            .allowNoIndices(true)
                            .size(0)
                            .query(filter(filter))
                            .aggregations("top", a -> a.terms(t -> t.field(field).size(size))),
                    Void.class));
    List<ValueCount> values =
        terms(response.aggregations().get("top")).stream()
            .map(b -> new ValueCount(b.key(), b.count()))
            .toList();
    if (values.isEmpty()) {
      requireParsable(filter.query());
    }
    return values;
  }

  /** Full-text fields have no doc values to count: say so rather than let the agg fail. */
  private void requireCountable(String field) {
    FieldCapsResponse caps =
        call(
            () ->
                client.fieldCaps(
                    f ->
                        f.index(INDEX_PATTERN)
                            .fields(field)
                            .ignoreUnavailable(true)
                            .allowNoIndices(true)));
    Map<String, FieldCapability> byType = caps.fields().get(field);
    if (byType == null || byType.isEmpty()) {
      if (caps.indices().isEmpty()) {
        return; // no event index yet: nothing to count, and nothing wrong with the field
      }
      throw new IllegalArgumentException(
          "unknown field '" + field + "': no event has it; use an ECS field such as source.ip");
    }
    for (Map.Entry<String, FieldCapability> e : byType.entrySet()) {
      if (!e.getValue().aggregatable()) {
        throw new IllegalArgumentException(
            "field '"
                + field
                + "' is "
                + e.getKey()
                + " (full text) and cannot be counted: pick a keyword, IP or number field such"
                + " as event.action or source.ip");
      }
    }
  }

  @Override
  public Overview overview(TimeRange range, AgencyScope scope, long intervalMillis) {
    Query inRange = scoped(rangeQuery(range), scope);
    Query flows =
        Query.of(
            q ->
                q.bool(
                    b ->
                        b.should(s -> s.prefix(p -> p.field("event.dataset").value("netflow")))
                            .should(s -> s.prefix(p -> p.field("event.dataset").value("ipfix")))
                            .minimumShouldMatch("1")));
    Aggregation bytes = Aggregation.of(a -> a.sum(s -> s.field("network.bytes")));
    SearchResponse<Void> events =
        call(
            () ->
                client.search(
                    s ->
                        s.index(INDEX_PATTERN)
                            .ignoreUnavailable(true)
                            .allowNoIndices(true)
                            .size(0)
                            .query(inRange)
                            .aggregations(
                                "types",
                                Aggregation.of(
                                    a ->
                                        a.dateHistogram(
                                                dateHistogram(range, intervalMillis)
                                                    .dateHistogram())
                                            .aggregations(
                                                "type",
                                                t ->
                                                    t.terms(
                                                        x ->
                                                            x.field("event.dataset")
                                                                .size(TOP_ITEMS)))))
                            .aggregations(
                                "sources", a -> a.terms(t -> t.field("source.ip").size(TOP_ITEMS)))
                            .aggregations(
                                "agencies",
                                a -> a.terms(t -> t.field("organization.id").size(MAX_AGENCIES)))
                            .aggregations(
                                "flows",
                                a ->
                                    a.filter(flows)
                                        .aggregations(
                                            "src",
                                            src ->
                                                src.terms(
                                                        t ->
                                                            t.field("source.ip")
                                                                .size(TOP_ITEMS)
                                                                .order(
                                                                    NamedValue.of(
                                                                        "bytes", SortOrder.Desc)))
                                                    .aggregations("bytes", bytes)
                                                    .aggregations(
                                                        "dst",
                                                        dst ->
                                                            dst.terms(
                                                                    t ->
                                                                        t.field("destination.ip")
                                                                            .size(TOP_ITEMS)
                                                                            .order(
                                                                                NamedValue.of(
                                                                                    "bytes",
                                                                                    SortOrder
                                                                                        .Desc)))
                                                                .aggregations("bytes", bytes)))),
                    Void.class));
    SearchResponse<Void> alerts =
        call(
            () ->
                client.search(
                    s ->
                        s.index(ElasticsearchAlertStore.INDEX_PATTERN)
                            .ignoreUnavailable(true)
                            .allowNoIndices(true)
                            .size(0)
                            .query(inRange)
                            .aggregations(
                                "severity",
                                Aggregation.of(
                                    a ->
                                        a.dateHistogram(
                                                dateHistogram(range, intervalMillis)
                                                    .dateHistogram())
                                            .aggregations(
                                                "sev",
                                                t ->
                                                    t.terms(
                                                        x ->
                                                            x.field("vigil.alert.severity")
                                                                .size(8)))))
                            .aggregations(
                                "rules",
                                a ->
                                    a.terms(t -> t.field("rule.id").size(TOP_ITEMS))
                                        .aggregations(
                                            "name",
                                            n -> n.terms(t -> t.field("rule.name").size(1))))
                            .aggregations(
                                "agencies",
                                a -> a.terms(t -> t.field("organization.id").size(MAX_AGENCIES))),
                    Void.class));
    return overview(events.aggregations(), alerts.aggregations(), intervalMillis);
  }

  private static Overview overview(
      Map<String, Aggregate> events, Map<String, Aggregate> alerts, long intervalMillis) {
    double seconds = intervalMillis / 1000.0;
    List<Overview.SourceTypeRate> rates = new ArrayList<>();
    for (DateHistogramBucket b : histogramBuckets(events.get("types"))) {
      for (TermBucket t : terms(b.aggregations().get("type"))) {
        rates.add(new Overview.SourceTypeRate(b.key(), t.key(), t.count() / seconds));
      }
    }
    List<Overview.SeverityCount> severities = new ArrayList<>();
    for (DateHistogramBucket b : histogramBuckets(alerts.get("severity"))) {
      for (TermBucket t : terms(b.aggregations().get("sev"))) {
        severities.add(new Overview.SeverityCount(b.key(), t.key(), t.count()));
      }
    }
    List<Overview.RuleCount> rules = new ArrayList<>();
    for (TermBucket t : terms(alerts.get("rules"))) {
      List<TermBucket> names = terms(t.subs().get("name"));
      rules.add(
          new Overview.RuleCount(t.key(), names.isEmpty() ? null : names.get(0).key(), t.count()));
    }
    List<ValueCount> sources =
        terms(events.get("sources")).stream().map(t -> new ValueCount(t.key(), t.count())).toList();
    List<Overview.Talker> talkers = new ArrayList<>();
    Aggregate flows = events.get("flows");
    if (flows != null) {
      for (TermBucket src : terms(flows.filter().aggregations().get("src"))) {
        for (TermBucket dst : terms(src.subs().get("dst"))) {
          talkers.add(new Overview.Talker(src.key(), dst.key(), bytes(dst.subs().get("bytes"))));
        }
      }
    }
    talkers.sort(Comparator.comparingLong(Overview.Talker::bytes).reversed());
    Map<String, long[]> agencies = new TreeMap<>();
    terms(events.get("agencies"))
        .forEach(t -> agencies.computeIfAbsent(t.key(), k -> new long[2])[0] = t.count());
    terms(alerts.get("agencies"))
        .forEach(t -> agencies.computeIfAbsent(t.key(), k -> new long[2])[1] = t.count());
    List<Overview.AgencyCount> perAgency = new ArrayList<>();
    agencies.forEach((id, c) -> perAgency.add(new Overview.AgencyCount(id, c[0], c[1])));
    return new Overview(
        intervalMillis,
        rates,
        severities,
        rules,
        sources,
        talkers.subList(0, Math.min(TOP_ITEMS, talkers.size())),
        perAgency);
  }

  private static long bytes(Aggregate sum) {
    Double value = sum == null ? null : sum.sum().value();
    return value == null ? 0 : value.longValue();
  }

  private static List<DateHistogramBucket> histogramBuckets(Aggregate agg) {
    return agg == null ? List.of() : agg.dateHistogram().buckets().array();
  }

  /** A terms bucket of any key type: keyword and IP fields answer sterms, numbers lterms. */
  private record TermBucket(String key, long count, Map<String, Aggregate> subs) {}

  private static List<TermBucket> terms(Aggregate agg) {
    List<TermBucket> out = new ArrayList<>();
    if (agg == null) {
      return out;
    }
    if (agg.isSterms()) {
      for (StringTermsBucket b : agg.sterms().buckets().array()) {
        out.add(new TermBucket(b.key().stringValue(), b.docCount(), b.aggregations()));
      }
    } else if (agg.isLterms()) {
      for (LongTermsBucket b : agg.lterms().buckets().array()) {
        String key = b.keyAsString() != null ? b.keyAsString() : Long.toString(b.key());
        out.add(new TermBucket(key, b.docCount(), b.aggregations()));
      }
    } else if (agg.isDterms()) {
      agg.dterms()
          .buckets()
          .array()
          .forEach(
              b ->
                  out.add(
                      new TermBucket(
                          b.keyAsString() != null ? b.keyAsString() : Double.toString(b.key()),
                          b.docCount(),
                          b.aggregations())));
    }
    return out;
  }

  private static Aggregation dateHistogram(TimeRange range, long intervalMillis) {
    FieldDateMath min = FieldDateMath.of(f -> f.value(range.from()));
    FieldDateMath max = FieldDateMath.of(f -> f.value(range.to()));
    return Aggregation.of(
        a ->
            a.dateHistogram(
                d ->
                    d.field("@timestamp")
                        .fixedInterval(t -> t.time(intervalMillis + "ms"))
                        .minDocCount(0)
                        .extendedBounds(b -> b.min(min).max(max))
                        .hardBounds(b -> b.min(min).max(max))));
  }

  private static List<EventHistogram.Bucket> emptyBuckets(TimeRange range, long intervalMillis) {
    List<EventHistogram.Bucket> out = new ArrayList<>();
    for (long t = Math.floorDiv(range.from(), intervalMillis) * intervalMillis;
        t <= range.to();
        t += intervalMillis) {
      out.add(new EventHistogram.Bucket(t, 0));
    }
    return out;
  }

  private static Query text(String queryString) {
    return Query.of(
        q ->
            q.queryString(
                qs ->
                    qs.query(queryString)
                        .defaultOperator(Operator.And)
                        .lenient(false)
                        .allowLeadingWildcard(false)));
  }

  static Query filter(EventFilter filter) {
    Query text = text(filter.query());
    BoolQuery.Builder bool = new BoolQuery.Builder().must(text).filter(rangeQuery(filter.range()));
    return scoped(Query.of(q -> q.bool(bool.build())), filter.scope());
  }

  private static Query rangeQuery(TimeRange range) {
    return Query.of(
        q ->
            q.range(
                r ->
                    r.date(
                        d ->
                            d.field("@timestamp")
                                .gte(Long.toString(range.from()))
                                .lte(Long.toString(range.to()))
                                .format("epoch_millis"))));
  }

  /** The agency filter, exactly as for alerts: no agencies in a limited scope sees nothing. */
  static Query scoped(Query base, AgencyScope scope) {
    if (scope.unrestricted()) {
      return base;
    }
    if (scope.organizationIds().isEmpty()) {
      return Query.of(q -> q.matchNone(n -> n));
    }
    List<FieldValue> ids = scope.organizationIds().stream().sorted().map(FieldValue::of).toList();
    return Query.of(
        q ->
            q.bool(
                b ->
                    b.must(base)
                        .filter(
                            f ->
                                f.terms(
                                    t -> t.field("organization.id").terms(v -> v.value(ids))))));
  }

  private static StoredEvent event(Hit<EventSource> hit) {
    Map<String, Object> source = hit.source() == null ? Map.of() : hit.source();
    long timestamp = 0;
    List<FieldValue> sort = hit.sort();
    if (sort != null && !sort.isEmpty() && sort.get(0).isLong()) {
      timestamp = sort.get(0).longValue();
    } else if (source.get("@timestamp") instanceof String ts) {
      timestamp = Instant.parse(ts).toEpochMilli();
    }
    return new StoredEvent(hit.id(), hit.index(), timestamp, source);
  }

  private static EventCursor cursor(List<FieldValue> sort) {
    List<Object> values = new ArrayList<>();
    for (FieldValue v : sort) {
      if (v.isLong()) {
        values.add(v.longValue());
      } else if (v.isDouble()) {
        values.add(v.doubleValue());
      } else if (v.isString()) {
        values.add(v.stringValue());
      } else {
        return null; // a value we cannot resume from (missing field): no further page
      }
    }
    return new EventCursor(values);
  }

  private static FieldValue value(Object v) {
    if (v instanceof Long l) {
      return FieldValue.of(l);
    }
    if (v instanceof Double d) {
      return FieldValue.of(d);
    }
    return FieldValue.of((String) v);
  }

  private interface EsCall<T> {
    T run() throws IOException;
  }

  /** Elasticsearch refusing the request (a query that does not parse) is the caller's error. */
  private static <T> T call(EsCall<T> call) {
    try {
      return call.run();
    } catch (ElasticsearchException e) {
      if (e.status() == 400) {
        throw new IllegalArgumentException("invalid query: " + reason(e), e);
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read events: " + e.getMessage(), e);
    }
  }

  /** The most specific reason Elasticsearch gave, e.g. where the query string stopped parsing. */
  static String reason(ElasticsearchException e) {
    ErrorCause error = e.error();
    JsonData shards = error.metadata().get("failed_shards");
    if (shards != null) {
      try {
        JsonNode first = JSON.readTree(shards.toJson().toString()).path(0).path("reason");
        JsonNode deepest = first;
        while (deepest.has("caused_by")) {
          // Lucene's own "Cannot parse 'query': Encountered ..." names the query and the place.
          if (deepest.path("reason").asText("").startsWith("Cannot parse")) {
            break;
          }
          deepest = deepest.path("caused_by");
        }
        String text = deepest.path("reason").asText(first.path("reason").asText(""));
        if (!text.isBlank()) {
          return firstLine(text);
        }
      } catch (IOException ignored) {
        // fall back to the root cause below
      }
    }
    if (!error.rootCause().isEmpty() && error.rootCause().get(0).reason() != null) {
      return firstLine(error.rootCause().get(0).reason());
    }
    return firstLine(String.valueOf(error.reason()));
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }

  /** A hit's {@code _source}: a typed map so the client's JSON mapper can build it. */
  static final class EventSource extends LinkedHashMap<String, Object> {}
}
