package org.vigil.dashboards;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.mapping.FieldType;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.core.search.TotalHits;
import co.elastic.clients.json.JsonData;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.vigil.model.Alert;
import org.vigil.model.Documents;

/** Alerts in the {@code vigil-alerts*} indices, as the correlation job writes them. */
public final class ElasticsearchAlertStore implements AlertStore {
  public static final String INDEX_PATTERN = "vigil-alerts*";

  private final ElasticsearchClient client;

  public ElasticsearchAlertStore(ElasticsearchClient client) {
    this.client = client;
  }

  @Override
  public AlertPage search(AlertQuery query) {
    SearchResponse<AlertSource> response = run(request(query));
    TotalHits total = response.hits().total();
    List<Alert> alerts = alerts(response);
    return new AlertPage(alerts, total == null ? alerts.size() : total.value());
  }

  @Override
  public Optional<StoredAlert> find(String id, AgencyScope scope) {
    SearchResponse<AlertSource> response =
        run(
            SearchRequest.of(
                s ->
                    s.index(INDEX_PATTERN)
                        .ignoreUnavailable(true)
                        .allowNoIndices(true)
                        .seqNoPrimaryTerm(true)
                        .size(1)
                        .query(
                            scoped(
                                new BoolQuery.Builder().filter(q -> q.ids(i -> i.values(id))),
                                scope))));
    for (Hit<AlertSource> hit : response.hits().hits()) {
      if (hit.source() != null && hit.seqNo() != null && hit.primaryTerm() != null) {
        return Optional.of(
            new StoredAlert(
                Alert.fromDocument(hit.id(), hit.source()),
                hit.index(),
                hit.seqNo(),
                hit.primaryTerm()));
      }
    }
    return Optional.empty();
  }

  @Override
  public List<Alert> related(Alert alert, AgencyScope scope, int size) {
    return alerts(run(relatedRequest(alert, scope, size)));
  }

  static SearchRequest relatedRequest(Alert alert, AgencyScope scope, int size) {
    BoolQuery.Builder bool = new BoolQuery.Builder();
    if (alert.group().isEmpty()) {
      return SearchRequest.of(s -> s.index(INDEX_PATTERN).size(0).query(q -> q.matchNone(n -> n)));
    }
    alert.group().forEach((field, value) -> bool.should(term(field, value)));
    bool.minimumShouldMatch("1").mustNot(q -> q.ids(i -> i.values(alert.id())));
    return SearchRequest.of(
        s ->
            s.index(INDEX_PATTERN)
                .ignoreUnavailable(true)
                .allowNoIndices(true)
                .size(size)
                .query(scoped(bool, scope))
                .sort(o -> o.field(f -> f.field("@timestamp").order(SortOrder.Desc))));
  }

  @Override
  public void updateTriage(StoredAlert current, TriageState state) {
    JsonData doc = JsonData.fromJson(triageDocument(state));
    try {
      client.update(
          u ->
              u.index(current.index())
                  .id(current.alert().id())
                  .doc(doc)
                  .ifSeqNo(current.seqNo())
                  .ifPrimaryTerm(current.primaryTerm())
                  .refresh(Refresh.WaitFor),
          AlertSource.class);
    } catch (ElasticsearchException e) {
      if (e.status() == 409) {
        throw new AlertConflictException(current.alert().id());
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot update alert " + current.alert().id() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The partial document for the update API. Written as JSON text because the client's mapper
   * leaves out null values, and a null is exactly how an assignee or resolution is cleared.
   */
  static String triageDocument(TriageState state) {
    JsonObject triage =
        new JsonObject()
            .put("status", state.status().wireName())
            .put("resolution", state.resolution() == null ? null : state.resolution().wireName())
            .put("assignee", state.assignee());
    return new JsonObject().put("vigil", new JsonObject().put("alert", triage)).encode();
  }

  @Override
  public List<Alert> changedSince(long sinceMillis, int size) {
    String since = Documents.isoTime(sinceMillis);
    BoolQuery.Builder bool =
        new BoolQuery.Builder()
            .should(q -> q.range(r -> r.date(d -> d.field("@timestamp").gte(since))))
            .should(q -> q.range(r -> r.date(d -> d.field("vigil.alert.last_seen").gte(since))))
            .minimumShouldMatch("1");
    return alerts(
        run(
            SearchRequest.of(
                s ->
                    s.index(INDEX_PATTERN)
                        .ignoreUnavailable(true)
                        .allowNoIndices(true)
                        .size(size)
                        .query(q -> q.bool(bool.build()))
                        .sort(
                            o ->
                                o.field(
                                    f ->
                                        f.field("@timestamp")
                                            .order(SortOrder.Asc)
                                            .unmappedType(FieldType.Date))))));
  }

  /**
   * The queue's search request. A system that has raised no alert yet has no alert index: allowing
   * no and unavailable indices, and declaring the sort field's type, turn that into an empty page.
   */
  static SearchRequest request(AlertQuery query) {
    SortOrder order = query.ascending() ? SortOrder.Asc : SortOrder.Desc;
    AlertSort sort = query.sort();
    return SearchRequest.of(
        s -> {
          s.index(INDEX_PATTERN)
              .ignoreUnavailable(true)
              .allowNoIndices(true)
              .from(query.offset())
              .size(query.size())
              .trackTotalHits(t -> t.enabled(true))
              .query(filter(query))
              .sort(
                  o ->
                      o.field(
                          f ->
                              f.field(sort.field())
                                  .order(order)
                                  .unmappedType(sort.date() ? FieldType.Date : FieldType.Long)));
          if (sort != AlertSort.TIMESTAMP) {
            // Equal counts or severities: the newest first, so paging is stable.
            s.sort(
                o ->
                    o.field(
                        f ->
                            f.field("@timestamp")
                                .order(SortOrder.Desc)
                                .unmappedType(FieldType.Date)));
          }
          return s;
        });
  }

  private static Query filter(AlertQuery query) {
    BoolQuery.Builder bool = new BoolQuery.Builder();
    if (!query.statuses().isEmpty()) {
      bool.filter(terms("vigil.alert.status", query.statuses().stream().map(s -> s.wireName())));
    }
    if (!query.severities().isEmpty()) {
      bool.filter(
          terms("vigil.alert.severity", query.severities().stream().map(s -> s.wireName())));
    }
    if (query.ruleId() != null) {
      bool.filter(term("rule.id", query.ruleId()));
    }
    if (query.organizationId() != null) {
      bool.filter(term("organization.id", query.organizationId()));
    }
    if (AlertQuery.UNASSIGNED.equals(query.assignee())) {
      bool.mustNot(q -> q.exists(e -> e.field("vigil.alert.assignee")));
    } else if (query.assignee() != null) {
      bool.filter(term("vigil.alert.assignee", query.assignee()));
    }
    if (query.sourceIp() != null) {
      bool.filter(term("source.ip", query.sourceIp()));
    }
    if (query.eventId() != null) {
      bool.filter(term("vigil.alert.evidence", query.eventId()));
    }
    if (query.from() != null || query.to() != null) {
      bool.filter(
          q ->
              q.range(
                  r ->
                      r.date(
                          d -> {
                            d.field("@timestamp");
                            if (query.from() != null) {
                              d.gte(query.from());
                            }
                            if (query.to() != null) {
                              d.lte(query.to());
                            }
                            return d;
                          })));
    }
    if (query.text() != null) {
      bool.must(m -> m.match(t -> t.field("message").query(query.text()).operator(Operator.And)));
    }
    return scoped(bool, query.scope());
  }

  /** The query restricted to the agencies the scope permits: every alert read goes through it. */
  static Query scoped(BoolQuery.Builder bool, AgencyScope scope) {
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

  private static Query terms(String field, java.util.stream.Stream<String> values) {
    List<FieldValue> list = values.sorted().map(FieldValue::of).toList();
    return Query.of(q -> q.terms(t -> t.field(field).terms(v -> v.value(list))));
  }

  private SearchResponse<AlertSource> run(SearchRequest request) {
    try {
      return client.search(request, AlertSource.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot search alerts: " + e.getMessage(), e);
    }
  }

  private static List<Alert> alerts(SearchResponse<AlertSource> response) {
    List<Alert> alerts = new ArrayList<>();
    for (Hit<AlertSource> hit : response.hits().hits()) {
      if (hit.source() != null) {
        alerts.add(Alert.fromDocument(hit.id(), hit.source()));
      }
    }
    return alerts;
  }

  /** A hit's {@code _source}: a typed map so the client's JSON mapper can build it. */
  static final class AlertSource extends LinkedHashMap<String, Object> {}
}
