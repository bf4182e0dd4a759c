package org.vigil.dashboards.reports;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregationSource;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeBucket;
import co.elastic.clients.elasticsearch._types.mapping.FieldType;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.util.NamedValue;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.vigil.model.Documents;

/**
 * The queries every section shares: the period, the agency scope, and exact counts by composite
 * aggregation. Composite aggregations are paged to the end, so their counts are exact whatever the
 * number of senders, rules or users (a terms aggregation may leave some out and approximate the
 * rest). A missing index counts as no documents: a fresh system reports zeros.
 */
final class ReportQueries {
  static final String EVENTS = "vigil-events-*";
  static final String ALERTS = "vigil-alerts*";

  /** Buckets per composite page; the aggregation pages on, so this bounds memory, not results. */
  static final int COMPOSITE_PAGE = 1_000;

  private ReportQueries() {}

  /** {@code field} in {@code [from, to)}. */
  static Query period(String field, Instant from, Instant to) {
    return Query.of(
        q -> q.range(r -> r.date(d -> d.field(field).gte(from.toString()).lt(to.toString()))));
  }

  /** {@code @timestamp} in {@code [from, to)}, within {@code agencies} unless that is empty. */
  static Query periodInScope(Instant from, Instant to, List<String> agencies) {
    return all(period("@timestamp", from, to), scope("organization.id", agencies));
  }

  /** {@code field} one of the agencies; null when the scope is every agency. */
  static Query scope(String field, List<String> agencies) {
    if (agencies.isEmpty()) {
      return null;
    }
    return terms(field, agencies);
  }

  static Query terms(String field, List<String> values) {
    List<FieldValue> v = values.stream().map(FieldValue::of).toList();
    return Query.of(q -> q.terms(t -> t.field(field).terms(tv -> tv.value(v))));
  }

  static Query term(String field, String value) {
    return Query.of(q -> q.term(t -> t.field(field).value(value)));
  }

  /** All the queries at once (nulls skipped), as filters: no scoring, cacheable. */
  static Query all(Query... filters) {
    List<Query> present = new ArrayList<>();
    for (Query f : filters) {
      if (f != null) {
        present.add(f);
      }
    }
    return Query.of(q -> q.bool(b -> b.filter(present)));
  }

  /**
   * Oldest first, ties broken by index and sequence number: a total order, since Vigil's event and
   * alert indices have one shard each, so {@code search_after} pages neither skip nor repeat a
   * document.
   */
  static List<SortOptions> oldestFirst() {
    return List.of(
        SortOptions.of(
            o ->
                o.field(
                    f ->
                        f.field("@timestamp")
                            .order(SortOrder.Asc)
                            .unmappedType(FieldType.Date)
                            .format("epoch_millis"))),
        SortOptions.of(o -> o.field(f -> f.field("_index").order(SortOrder.Asc))),
        SortOptions.of(o -> o.field(f -> f.field("_seq_no").order(SortOrder.Asc))));
  }

  /** A composite source over a keyword or ip field that keeps documents without it. */
  static NamedValue<CompositeAggregationSource> termsSource(String name, String field) {
    return NamedValue.of(
        name, CompositeAggregationSource.of(s -> s.terms(t -> t.field(field).missingBucket(true))));
  }

  /**
   * Hands every distinct combination of {@code fields} among the matching documents, with its
   * document count, to {@code sink}; a missing field is a null key.
   */
  static void countBy(
      ElasticsearchClient client,
      String index,
      Query query,
      List<String> fields,
      BiConsumer<List<String>, Long> sink)
      throws IOException {
    List<NamedValue<CompositeAggregationSource>> sources = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      sources.add(termsSource("k" + i, fields.get(i)));
    }
    eachBucket(
        client,
        index,
        query,
        sources,
        Map.of(),
        bucket -> {
          List<String> key = new ArrayList<>(fields.size());
          for (int i = 0; i < fields.size(); i++) {
            key.add(text(bucket.key().get("k" + i)));
          }
          sink.accept(key, bucket.docCount());
        });
  }

  /**
   * Hands every bucket of a composite aggregation over {@code index} to {@code bucket}, page by
   * page.
   */
  static void eachBucket(
      ElasticsearchClient client,
      String index,
      Query query,
      List<NamedValue<CompositeAggregationSource>> sources,
      Map<String, Aggregation> subAggregations,
      Consumer<CompositeBucket> bucket)
      throws IOException {
    Map<String, FieldValue> after = null;
    while (true) {
      Map<String, FieldValue> afterKey = after;
      SearchResponse<Void> response =
          client.search(
              s ->
                  s.index(index)
                      .ignoreUnavailable(true)
                      .allowNoIndices(true)
                      .size(0)
                      .trackTotalHits(t -> t.enabled(false))
                      .query(query)
                      .aggregations(
                          "pages",
                          a -> {
                            a.composite(
                                c -> {
                                  c.size(COMPOSITE_PAGE).sources(sources);
                                  if (afterKey != null) {
                                    c.after(afterKey);
                                  }
                                  return c;
                                });
                            if (!subAggregations.isEmpty()) {
                              a.aggregations(subAggregations);
                            }
                            return a;
                          }),
              Void.class);
      if (response.aggregations() == null || !response.aggregations().containsKey("pages")) {
        return; // no index matched
      }
      CompositeAggregate composite = response.aggregations().get("pages").composite();
      List<CompositeBucket> buckets = composite.buckets().array();
      buckets.forEach(bucket);
      if (buckets.size() < COMPOSITE_PAGE
          || composite.afterKey() == null
          || composite.afterKey().isEmpty()) {
        return;
      }
      after = composite.afterKey();
    }
  }

  /** A key or sort value as text; null for a missing one. */
  static String text(FieldValue value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isString()) {
      return value.stringValue();
    }
    if (value.isLong()) {
      return Long.toString(value.longValue());
    }
    if (value.isDouble()) {
      return Double.toString(value.doubleValue());
    }
    if (value.isBoolean()) {
      return Boolean.toString(value.booleanValue());
    }
    return value._toJsonString();
  }

  /** A min or max of {@code @timestamp} as an instant; null when no document had one. */
  static Instant instant(Aggregate aggregate) {
    Double millis = aggregate.isMin() ? aggregate.min().value() : aggregate.max().value();
    return millis == null || millis.isInfinite() ? null : Instant.ofEpochMilli(millis.longValue());
  }

  /** A hit's {@code _source}, read by dotted path whether nested or flat. */
  static final class Source extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;

    String text(String path) {
      Object v = Documents.get(this, path);
      return v == null ? null : v.toString();
    }
  }
}
