package org.vigil.dashboards;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.vigil.model.AlertStatus;
import org.vigil.model.Documents;
import org.vigil.model.Resolution;

/**
 * Alert comments and history in {@code vigil-alert-activity}, one document per change or comment.
 * Separate from the alert documents because the correlation job overwrites those on every repeat.
 */
public final class ElasticsearchAlertActivityStore implements AlertActivityStore {
  public static final String INDEX = "vigil-alert-activity";

  /** An alert with more activity than this is not one people can read anyway. */
  private static final int MAX_PER_ALERT = 1_000;

  private final ElasticsearchClient client;
  private volatile boolean indexReady;

  public ElasticsearchAlertActivityStore(ElasticsearchClient client) {
    this.client = client;
  }

  /** Creates the index when missing; strict, so a misspelt field fails instead of being added. */
  public void ensureIndex() {
    if (indexReady) {
      return;
    }
    DashboardIndex.createIfMissing(
        client,
        INDEX,
        m ->
            m.properties("alert_id", p -> p.keyword(k -> k))
                .properties("organization_id", p -> p.keyword(k -> k))
                .properties("actor", p -> p.keyword(k -> k))
                .properties("@timestamp", p -> p.date(d -> d))
                .properties("kind", p -> p.keyword(k -> k))
                .properties("from", p -> p.keyword(k -> k))
                .properties("to", p -> p.keyword(k -> k))
                .properties("resolution", p -> p.keyword(k -> k))
                .properties("reason", p -> p.text(t -> t))
                .properties("assignee", p -> p.keyword(k -> k))
                .properties("text", p -> p.text(t -> t)));
    indexReady = true;
  }

  @Override
  public void append(AlertActivity activity) {
    ensureIndex();
    ActivityDocument doc = ActivityDocument.of(activity);
    try {
      client.index(i -> i.index(INDEX).id(activity.id()).document(doc).refresh(Refresh.WaitFor));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot store activity on alert " + activity.alertId() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<AlertActivity> list(String alertId) {
    try {
      SearchResponse<ActivityDocument> response =
          client.search(
              s ->
                  s.index(INDEX)
                      .ignoreUnavailable(true)
                      .allowNoIndices(true)
                      .size(MAX_PER_ALERT)
                      .query(q -> q.term(t -> t.field("alert_id").value(alertId)))
                      .sort(o -> o.field(f -> f.field("@timestamp").order(SortOrder.Asc))),
              ActivityDocument.class);
      List<AlertActivity> activities = new ArrayList<>();
      for (Hit<ActivityDocument> hit : response.hits().hits()) {
        if (hit.source() != null) {
          activities.add(hit.source().toActivity(hit.id()));
        }
      }
      return activities;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read activity of alert " + alertId + ": " + e.getMessage(), e);
    }
  }

  /** The stored JSON object. */
  static final class ActivityDocument extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;

    static ActivityDocument of(AlertActivity a) {
      ActivityDocument doc = new ActivityDocument();
      doc.put("alert_id", a.alertId());
      doc.put("organization_id", a.organizationId());
      doc.put("actor", a.actor());
      doc.put("@timestamp", Documents.isoTime(a.time()));
      doc.put("kind", a.kind().wireName());
      doc.put("from", a.from() == null ? null : a.from().wireName());
      doc.put("to", a.to() == null ? null : a.to().wireName());
      doc.put("resolution", a.resolution() == null ? null : a.resolution().wireName());
      doc.put("reason", a.reason());
      doc.put("assignee", a.assignee());
      doc.put("text", a.text());
      doc.values().removeIf(v -> v == null);
      return doc;
    }

    AlertActivity toActivity(String id) {
      return new AlertActivity(
          id,
          str("alert_id"),
          str("organization_id"),
          str("actor"),
          Instant.parse(str("@timestamp")).toEpochMilli(),
          AlertActivity.Kind.fromWireName(str("kind")),
          str("from") == null ? null : AlertStatus.fromWireName(str("from")),
          str("to") == null ? null : AlertStatus.fromWireName(str("to")),
          str("resolution") == null ? null : Resolution.fromWireName(str("resolution")),
          str("reason"),
          str("assignee"),
          str("text"));
    }

    private String str(String key) {
      Object v = get(key);
      return v == null ? null : v.toString();
    }
  }
}
