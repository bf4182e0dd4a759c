package org.vigil.dashboards.reports;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregationSource;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.util.NamedValue;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The queries the coverage and detection sections share: a period, an agency scope, and every
 * bucket of a composite aggregation. Composite aggregations are paged to the end, so their counts
 * are exact whatever the number of senders or rules (a plain terms aggregation may leave some out
 * and approximate the rest).
 */
final class ElasticsearchReportQueries {
  static final String EVENTS = "vigil-events-*";
  static final String ALERTS = "vigil-alerts*";

  /** Buckets per composite page: enough to keep requests few, small enough for any heap. */
  private static final int COMPOSITE_PAGE = 1_000;

  private ElasticsearchReportQueries() {}

  /** {@code @timestamp} in {@code [from, to)}, within {@code agencies} unless that is empty. */
  static Query periodInScope(Instant from, Instant to, List<String> agencies) {
    List<Query> filters = new ArrayList<>();
    filters.add(
        Query.of(
            q ->
                q.range(
                    r ->
                        r.date(
                            d ->
                                d.field("@timestamp")
                                    .gte(Long.toString(from.toEpochMilli()))
                                    .lt(Long.toString(to.toEpochMilli()))
                                    .format("epoch_millis")))));
    if (!agencies.isEmpty()) {
      List<FieldValue> ids = agencies.stream().map(FieldValue::of).toList();
      filters.add(Query.of(q -> q.terms(t -> t.field("organization.id").terms(v -> v.value(ids)))));
    }
    return Query.of(q -> q.bool(b -> b.filter(filters)));
  }

  /** A composite source over a keyword or ip field that keeps documents without it. */
  static NamedValue<CompositeAggregationSource> termsSource(String name, String field) {
    return NamedValue.of(
        name, CompositeAggregationSource.of(s -> s.terms(t -> t.field(field).missingBucket(true))));
  }

  /**
   * Hands every bucket of a composite aggregation over {@code index} to {@code bucket}, page by
   * page. A missing index counts as no documents.
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
      Aggregate pages = response.aggregations().get("pages");
      if (pages == null) {
        return;
      }
      CompositeAggregate composite = pages.composite();
      List<CompositeBucket> buckets = composite.buckets().array();
      buckets.forEach(bucket);
      if (buckets.size() < COMPOSITE_PAGE || composite.afterKey().isEmpty()) {
        return;
      }
      after = composite.afterKey();
    }
  }

  /** A bucket key as text; null for the bucket of documents without the field. */
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
    return String.valueOf(value._get());
  }

  /** A min or max of {@code @timestamp} as an instant; null when no document had one. */
  static Instant instant(Aggregate aggregate) {
    Double millis = aggregate.isMin() ? aggregate.min().value() : aggregate.max().value();
    return millis == null || millis.isInfinite() ? null : Instant.ofEpochMilli(millis.longValue());
  }
}
