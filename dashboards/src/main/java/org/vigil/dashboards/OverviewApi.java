package org.vigil.dashboards;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.vigil.model.Documents;

/** The SOC overview, {@code GET /api/v1/overview}: counts within the caller's agencies. */
final class OverviewApi {
  private final Vertx vertx;
  private final EventStore events;
  private final Clock clock;

  OverviewApi(Vertx vertx, EventStore events, Clock clock) {
    this.vertx = vertx;
    this.events = events;
    this.clock = clock;
  }

  void get(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    TimeRange range;
    try {
      range =
          TimeRange.parse(
              ctx.queryParams().get("from"), ctx.queryParams().get("to"), clock.instant());
    } catch (IllegalArgumentException e) {
      JsonResponses.error(ctx, 400, e.getMessage());
      return;
    }
    AgencyScope scope = CallerAuthHandler.caller(ctx).scope();
    long interval = EventHistogram.interval(range.spanMillis(), EventsApi.DEFAULT_BUCKETS);
    vertx
        .executeBlocking(() -> events.overview(range, scope, interval), false)
        .onSuccess(o -> JsonResponses.ok(ctx, json(o)))
        .onFailure(e -> EventsApi.failed(ctx, e, "event"));
  }

  static JsonObject json(Overview o) {
    JsonArray rates = new JsonArray();
    o.eventsBySourceType()
        .forEach(
            r ->
                rates.add(
                    new JsonObject()
                        .put("time", Documents.isoTime(r.time()))
                        .put("type", r.type())
                        .put("perSecond", r.perSecond())));
    JsonArray severities = new JsonArray();
    o.alertsBySeverity()
        .forEach(
            s ->
                severities.add(
                    new JsonObject()
                        .put("time", Documents.isoTime(s.time()))
                        .put("severity", s.severity())
                        .put("count", s.count())));
    JsonArray rules = new JsonArray();
    o.topRules()
        .forEach(
            r ->
                rules.add(
                    new JsonObject()
                        .put("ruleId", r.ruleId())
                        .put("ruleName", r.ruleName())
                        .put("count", r.count())));
    JsonArray sources = new JsonArray();
    o.topSources()
        .forEach(s -> sources.add(new JsonObject().put("ip", s.value()).put("count", s.count())));
    JsonArray talkers = new JsonArray();
    o.topTalkers()
        .forEach(
            t ->
                talkers.add(
                    new JsonObject()
                        .put("source", t.source())
                        .put("destination", t.destination())
                        .put("bytes", t.bytes())));
    JsonArray agencies = new JsonArray();
    o.agencies()
        .forEach(
            a ->
                agencies.add(
                    new JsonObject()
                        .put("id", a.id())
                        .put("events", a.events())
                        .put("alerts", a.alerts())));
    return new JsonObject()
        .put("interval", o.intervalMillis())
        .put("eventsBySourceType", rates)
        .put("alertsBySeverity", severities)
        .put("topRules", rules)
        .put("topSources", sources)
        .put("topTalkers", talkers)
        .put("agencies", agencies);
  }
}
