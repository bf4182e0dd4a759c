package org.vigil.dashboards;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.model.Alert;
import org.vigil.model.AlertStatus;
import org.vigil.model.Documents;
import org.vigil.model.Severity;

/** The alert queue: {@code GET /api/v1/alerts}. */
final class AlertsApi {
  private static final Logger LOG = LoggerFactory.getLogger(AlertsApi.class);

  private final Vertx vertx;
  private final AlertStore alerts;

  AlertsApi(Vertx vertx, AlertStore alerts) {
    this.vertx = vertx;
    this.alerts = alerts;
  }

  void list(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    AlertQuery query;
    try {
      query = query(ctx.queryParams(), CallerAuthHandler.caller(ctx));
    } catch (IllegalArgumentException e) {
      JsonResponses.error(ctx, 400, e.getMessage());
      return;
    }
    vertx
        .executeBlocking(() -> alerts.search(query), false)
        .onSuccess(page -> JsonResponses.ok(ctx, page(page, query)))
        .onFailure(
            e -> {
              if (e instanceof ElasticsearchException ee && ee.status() == 400) {
                JsonResponses.error(ctx, 400, "invalid alert query: " + ee.getMessage());
                return;
              }
              LOG.warn("alert search failed: {}", e.toString());
              JsonResponses.error(ctx, 503, "alert store unavailable, try again shortly");
            });
  }

  static AlertQuery query(MultiMap params, User caller) {
    String assignee = params.get("assignee");
    if (assignee != null && assignee.trim().equals("me")) {
      assignee = caller.username();
    }
    String order = params.get("order");
    if (order != null && !order.isBlank() && !order.equals("asc") && !order.equals("desc")) {
      throw new IllegalArgumentException("order must be asc or desc: " + order);
    }
    String sort = params.get("sort");
    return new AlertQuery(
        list(params, "status", AlertsApi::status),
        list(params, "severity", AlertsApi::severity),
        params.get("rule.id"),
        params.get("organization.id"),
        assignee,
        params.get("source.ip"),
        params.get("q"),
        params.get("event.id"),
        params.get("from"),
        params.get("to"),
        sort == null || sort.isBlank() ? null : AlertSort.fromWireName(sort),
        "asc".equals(order),
        integer(params, "offset", 0),
        integer(params, "size", AlertQuery.DEFAULT_SIZE),
        caller.scope());
  }

  /** A filter given as a comma list ({@code status=new,acknowledged}) or repeated. */
  private static <T> Set<T> list(MultiMap params, String name, Function<String, T> parse) {
    Set<T> values = new LinkedHashSet<>();
    for (String param : params.getAll(name)) {
      for (String value : param.split(",")) {
        if (!value.isBlank()) {
          values.add(parse.apply(value.trim()));
        }
      }
    }
    return values;
  }

  private static AlertStatus status(String value) {
    try {
      return AlertStatus.fromWireName(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown status '" + value + "': use new, acknowledged, in_progress or closed", e);
    }
  }

  private static Severity severity(String value) {
    try {
      return Severity.fromWireName(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown severity '" + value + "': use low, medium, high or critical", e);
    }
  }

  private static int integer(MultiMap params, String name, int fallback) {
    String value = params.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number: " + value, e);
    }
  }

  private static JsonObject page(AlertPage page, AlertQuery query) {
    JsonArray items = new JsonArray();
    page.alerts().forEach(a -> items.add(json(a)));
    return new JsonObject()
        .put("total", page.total())
        .put("offset", query.offset())
        .put("size", query.size())
        .put("alerts", items);
  }

  /** The alert as the API and web UI see it; field names are fixed by openapi.yaml. */
  static JsonObject json(Alert a) {
    JsonObject group = new JsonObject();
    a.group().forEach(group::put);
    return new JsonObject()
        .put("id", a.id())
        .put("timestamp", iso(a.detected()))
        .put("ruleId", a.ruleId())
        .put("ruleName", a.ruleName())
        .put("ruleVersion", a.ruleVersion())
        .put("ruleset", a.ruleset())
        .put("description", a.description())
        .put("severity", a.severity().wireName())
        .put("severityScore", a.severity().score())
        .put("techniqueId", a.techniqueId())
        .put("group", group)
        .put("groupKey", Alert.groupKey(a.group()))
        .put("count", a.count())
        .put("firstSeen", iso(a.firstSeen()))
        .put("lastSeen", iso(a.lastSeen()))
        .put("organizationId", a.organizationId())
        .put("status", a.status().wireName())
        .put("resolution", a.resolution() == null ? null : a.resolution().wireName())
        .put("assignee", a.assignee())
        .put("riskScore", a.riskScore())
        .put("evidence", new JsonArray(a.evidence()))
        .put("message", a.message());
  }

  private static String iso(long epochMillis) {
    return epochMillis == 0 ? null : Documents.isoTime(epochMillis);
  }
}
