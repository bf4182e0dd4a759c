package org.vigil.dashboards;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.mapping.FieldType;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.core.search.TotalHits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.vigil.model.Alert;

/** Alerts from the {@code vigil-alerts*} indices, as the correlation job writes them. */
public final class ElasticsearchAlertStore implements AlertStore {
  public static final String INDEX_PATTERN = "vigil-alerts*";

  private final ElasticsearchClient client;

  public ElasticsearchAlertStore(ElasticsearchClient client) {
    this.client = client;
  }

  @Override
  public AlertPage search(AlertQuery query) {
    try {
      SearchResponse<AlertSource> response = client.search(request(query), AlertSource.class);
      List<Alert> alerts = new ArrayList<>();
      for (Hit<AlertSource> hit : response.hits().hits()) {
        if (hit.source() != null) {
          alerts.add(Alert.fromDocument(hit.id(), hit.source()));
        }
      }
      TotalHits total = response.hits().total();
      return new AlertPage(alerts, total == null ? alerts.size() : total.value());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot search alerts: " + e.getMessage(), e);
    }
  }

  /**
   * The search request. A system that has raised no alert yet has no alert index: allowing no and
   * unavailable indices, and declaring the sort field's type, turn that into an empty page.
   */
  static SearchRequest request(AlertQuery query) {
    return SearchRequest.of(
        s ->
            s.index(INDEX_PATTERN)
                .ignoreUnavailable(true)
                .allowNoIndices(true)
                .from(query.from())
                .size(query.size())
                .trackTotalHits(t -> t.enabled(true))
                .query(filter(query))
                .sort(
                    o ->
                        o.field(
                            f ->
                                f.field("@timestamp")
                                    .order(SortOrder.Desc)
                                    .unmappedType(FieldType.Date))));
  }

  private static Query filter(AlertQuery query) {
    BoolQuery.Builder bool = new BoolQuery.Builder();
    if (query.status() != null) {
      bool.filter(term("vigil.alert.status", query.status().wireName()));
    }
    if (query.severity() != null) {
      bool.filter(term("vigil.alert.severity", query.severity().wireName()));
    }
    if (query.ruleId() != null) {
      bool.filter(term("rule.id", query.ruleId()));
    }
    if (query.sourceIp() != null) {
      bool.filter(term("source.ip", query.sourceIp()));
    }
    if (query.text() != null) {
      bool.must(m -> m.match(t -> t.field("message").query(query.text()).operator(Operator.And)));
    }
    AgencyScope scope = query.scope();
    if (!scope.unrestricted()) {
      if (scope.organizationIds().isEmpty()) {
        return Query.of(q -> q.matchNone(n -> n));
      }
      List<FieldValue> ids = scope.organizationIds().stream().sorted().map(FieldValue::of).toList();
      bool.filter(q -> q.terms(t -> t.field("organization.id").terms(v -> v.value(ids))));
    }
    return Query.of(q -> q.bool(bool.build()));
  }

  private static Query term(String field, String value) {
    return Query.of(q -> q.term(t -> t.field(field).value(value)));
  }

  /** A hit's {@code _source}: a typed map so the client's JSON mapper can build it. */
  static final class AlertSource extends LinkedHashMap<String, Object> {}
}
