package org.vigil.dashboards;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vigil.model.Alert;
import org.vigil.model.Documents;

/**
 * {@code GET /api/v1/alerts/{id}}: the alert with what an analyst needs to judge it. Audited as
 * {@code alert.view} before it is answered.
 */
final class AlertDetailApi {
  static final int RELATED = 20;

  private final DashboardBackends backends;
  private final TriageApi triage;

  AlertDetailApi(DashboardBackends backends, TriageApi triage) {
    this.backends = backends;
    this.triage = triage;
  }

  void get(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    User caller = CallerAuthHandler.caller(ctx);
    String id = ctx.pathParam("id");
    String client = TriageApi.clientAddress(ctx);
    triage.run(
        ctx,
        200,
        () -> {
          AgencyScope scope = caller.scope();
          Alert alert =
              backends
                  .alerts()
                  .find(id, scope)
                  .orElseThrow(() -> TriageRejection.notFound(id))
                  .alert();
          List<EvidenceEvent> evidence = backends.evidence().events(alert.evidence(), scope);
          List<AlertActivity> activity = backends.activity().list(id);
          List<Alert> related = backends.alerts().related(alert, scope, RELATED);
          triage.audit(caller, client, "alert.view", id, Map.of());
          return detail(alert, evidence, activity, related);
        });
  }

  static JsonObject detail(
      Alert alert,
      List<EvidenceEvent> evidence,
      List<AlertActivity> activity,
      List<Alert> related) {
    JsonArray events = new JsonArray();
    evidence.forEach(e -> events.add(event(e)));
    JsonArray comments = new JsonArray();
    JsonArray history = new JsonArray();
    for (AlertActivity a : activity) {
      if (a.kind() == AlertActivity.Kind.COMMENT) {
        comments.add(comment(a));
      } else {
        history.add(history(a));
      }
    }
    JsonArray relatedJson = new JsonArray();
    related.forEach(r -> relatedJson.add(AlertsApi.json(r)));
    return new JsonObject()
        .put("alert", AlertsApi.json(alert))
        .put("evidence", events)
        .put("timeline", timeline(alert, evidence, activity))
        .put("related", relatedJson)
        .put("enrichment", enrichment(alert, evidence))
        .put("comments", comments)
        .put("history", history);
  }

  static JsonObject event(EvidenceEvent e) {
    return new JsonObject()
        .put("id", e.id())
        .put("index", e.index())
        .put("timestamp", TriageApi.iso(e.timestamp()))
        .put("source", new JsonObject(e.source()));
  }

  static JsonObject comment(AlertActivity a) {
    return new JsonObject()
        .put("id", a.id())
        .put("author", a.actor())
        .put("time", TriageApi.iso(a.time()))
        .put("text", a.text());
  }

  private static JsonObject history(AlertActivity a) {
    JsonObject h =
        new JsonObject()
            .put("time", TriageApi.iso(a.time()))
            .put("actor", a.actor())
            .put("action", a.kind().wireName());
    if (a.kind() == AlertActivity.Kind.STATUS) {
      h.put("from", a.from() == null ? null : a.from().wireName())
          .put("to", a.to() == null ? null : a.to().wireName());
      if (a.resolution() != null) {
        h.put("resolution", a.resolution().wireName());
      }
      if (a.reason() != null) {
        h.put("reason", a.reason());
      }
    } else {
      h.put("assignee", a.assignee());
    }
    return h;
  }

  /** Evidence, changes and comments in time order, each as one readable line. */
  private static JsonArray timeline(
      Alert alert, List<EvidenceEvent> evidence, List<AlertActivity> activity) {
    record Entry(long time, JsonObject json) {}
    List<Entry> entries = new ArrayList<>();
    for (EvidenceEvent e : evidence) {
      Object message = Documents.get(e.source(), "message");
      entries.add(
          new Entry(
              e.timestamp(),
              new JsonObject()
                  .put("time", TriageApi.iso(e.timestamp()))
                  .put("kind", "event")
                  .put("text", message == null ? "event " + e.id() : message.toString())
                  .put("eventId", e.id())));
    }
    entries.add(
        new Entry(
            alert.detected(),
            new JsonObject()
                .put("time", TriageApi.iso(alert.detected()))
                .put("kind", "detected")
                .put(
                    "text",
                    "rule "
                        + alert.ruleId()
                        + " raised the alert ("
                        + alert.count()
                        + " events)")));
    for (AlertActivity a : activity) {
      String text =
          switch (a.kind()) {
            case COMMENT -> a.text();
            case ASSIGN -> a.assignee() == null ? "unassigned" : "assigned to " + a.assignee();
            case STATUS ->
                (a.from() == null ? "" : a.from().wireName() + " → ")
                    + (a.to() == null ? "" : a.to().wireName())
                    + (a.resolution() == null ? "" : " as " + a.resolution().wireName())
                    + (a.reason() == null ? "" : ": " + a.reason());
          };
      entries.add(
          new Entry(
              a.time(),
              new JsonObject()
                  .put("time", TriageApi.iso(a.time()))
                  .put("kind", a.kind().wireName())
                  .put("text", text)
                  .put("actor", a.actor())));
    }
    entries.sort(Comparator.comparingLong(Entry::time));
    JsonArray timeline = new JsonArray();
    entries.forEach(e -> timeline.add(e.json()));
    return timeline;
  }

  /**
   * What the pipeline's enrichment stamped on the evidence: the asset at stake (first event that
   * names one), the agency, and every threat-intel indicator hit, each once.
   */
  static JsonObject enrichment(Alert alert, List<EvidenceEvent> evidence) {
    String asset = null;
    String owner = null;
    String criticality = null;
    Set<JsonObject> intel = new LinkedHashSet<>();
    for (EvidenceEvent e : evidence) {
      Map<String, Object> s = e.source();
      if (asset == null && owner == null && criticality == null) {
        asset = text(Documents.get(s, "vigil.asset.name"));
        owner = text(Documents.get(s, "vigil.asset.owner"));
        criticality = text(Documents.get(s, "vigil.asset.criticality"));
      }
      Object enrichments = Documents.get(s, "threat.enrichments");
      Collection<?> entries =
          enrichments instanceof Collection<?> c
              ? c
              : enrichments == null ? List.of() : List.of(enrichments);
      for (Object one : entries) {
        if (one instanceof Map<?, ?> m) {
          @SuppressWarnings("unchecked")
          Map<String, Object> entry = (Map<String, Object>) m;
          String indicator = text(Documents.get(entry, "matched.atomic"));
          if (indicator != null) {
            intel.add(
                new JsonObject()
                    .put("indicator", indicator)
                    .put("field", text(Documents.get(entry, "matched.field")))
                    .put("type", text(Documents.get(entry, "indicator.type")))
                    .put("feed", text(Documents.get(entry, "indicator.provider"))));
          }
        }
      }
    }
    return new JsonObject()
        .put("asset", asset)
        .put("owner", owner)
        .put("criticality", criticality)
        .put("agency", alert.organizationId())
        .put("intel", new JsonArray(new ArrayList<>(intel)));
  }

  private static String text(Object value) {
    if (value instanceof Collection<?> c) {
      return c.isEmpty() ? null : String.valueOf(c.iterator().next());
    }
    return value == null ? null : value.toString();
  }
}
