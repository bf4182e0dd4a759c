package org.vigil.dashboards.reports;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregationSource;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeBucket;
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
import org.vigil.model.Documents;

/**
 * The queries the response and access sections share: the period, the agency scope, and exact
 * counts by composite aggregation (a terms aggregation over several indices may be approximate).
 */
final class ReportQueries {
  /** Buckets per composite page; the aggregation pages on, so this bounds memory, not results. */
  static final int COMPOSITE_PAGE = 1_000;

  private ReportQueries() {}

  /** {@code field} in {@code [from, to)}. */
  static Query period(String field, Instant from, Instant to) {
    return Query.of(
        q -> q.range(r -> r.date(d -> d.field(field).gte(from.toString()).lt(to.toString()))));
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
   * Hands every distinct combination of {@code fields} among the matching documents, with its
   * document count, to {@code sink}; a missing field is a null key. Pages the composite aggregation
   * to the end, so every combination is seen however many there are.
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
      String field = fields.get(i);
      sources.add(
          NamedValue.of(
              "k" + i,
              CompositeAggregationSource.of(
                  s -> s.terms(t -> t.field(field).missingBucket(true)))));
    }
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
                          "by",
                          a ->
                              a.composite(
                                  c -> {
                                    c.size(COMPOSITE_PAGE).sources(sources);
                                    if (afterKey != null) {
                                      c.after(afterKey);
                                    }
                                    return c;
                                  })),
              Void.class);
      if (response.aggregations() == null || !response.aggregations().containsKey("by")) {
        return; // no index matched: a fresh system counts zero
      }
      CompositeAggregate by = response.aggregations().get("by").composite();
      List<CompositeBucket> buckets = by.buckets().array();
      for (CompositeBucket bucket : buckets) {
        List<String> key = new ArrayList<>(fields.size());
        for (int i = 0; i < fields.size(); i++) {
          key.add(text(bucket.key().get("k" + i)));
        }
        sink.accept(key, bucket.docCount());
      }
      if (buckets.size() < COMPOSITE_PAGE || by.afterKey() == null || by.afterKey().isEmpty()) {
        return;
      }
      after = by.afterKey();
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

  /** A hit's {@code _source}, read by dotted path whether nested or flat. */
  static final class Source extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;

    String text(String path) {
      Object v = Documents.get(this, path);
      return v == null ? null : v.toString();
    }
  }
}
