package org.vigil.dashboards;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;

/**
 * The audit trail for auditors and admins: {@code GET /api/v1/audit} lists records, {@code GET
 * /api/v1/audit/verify} walks the hash chain. A verification is itself audited ({@code
 * audit.verify}, with its verdict), after it ran, so its record is not part of what it checked.
 */
final class AuditApi {
  private static final Set<Role> READERS = Set.of(Role.AUDITOR, Role.ADMIN);
  private static final int DEFAULT_SIZE = 50;

  private final Vertx vertx;
  private final AuditTrail trail;
  private final AuditAppender audit;

  AuditApi(Vertx vertx, AuditTrail trail, AuditAppender audit) {
    this.vertx = vertx;
    this.trail = trail;
    this.audit = audit;
  }

  void list(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, READERS)) {
      return;
    }
    AuditQuery query;
    try {
      query =
          new AuditQuery(
              param(ctx, "actor"),
              param(ctx, "action"),
              param(ctx, "target"),
              param(ctx, "from"),
              param(ctx, "to"),
              intParam(ctx, "offset", 0),
              intParam(ctx, "size", DEFAULT_SIZE));
    } catch (IllegalArgumentException e) {
      JsonResponses.error(ctx, 400, e.getMessage());
      return;
    }
    vertx
        .executeBlocking(() -> trail.search(query), false)
        .onSuccess(
            page -> {
              JsonArray records = new JsonArray();
              page.records().forEach(r -> records.add(json(r)));
              JsonResponses.ok(
                  ctx, new JsonObject().put("total", page.total()).put("records", records));
            })
        .onFailure(
            e -> {
              if (e instanceof IllegalArgumentException) {
                JsonResponses.error(ctx, 400, e.getMessage());
              } else {
                AuditAppender.unavailable(ctx, e);
              }
            });
  }

  void verify(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, READERS)) {
      return;
    }
    String actor = CallerAuthHandler.caller(ctx).username();
    vertx
        .executeBlocking(trail::verify, false)
        .compose(
            result ->
                audit
                    .success(
                        ctx,
                        actor,
                        "audit.verify",
                        "",
                        Map.of(
                            "valid",
                            result.valid(),
                            "records",
                            result.records(),
                            "first_broken",
                            result.firstBrokenSeq()))
                    .map(seq -> result))
        .onSuccess(result -> JsonResponses.ok(ctx, json(result)))
        .onFailure(e -> AuditAppender.unavailable(ctx, e));
  }

  static JsonObject json(AuditVerification result) {
    JsonObject body =
        new JsonObject()
            .put("valid", result.valid())
            .put("records", result.records())
            .put("message", result.message());
    if (result.valid()) {
      body.put("head", result.head());
    } else {
      body.put(
          "firstBroken",
          new JsonObject().put("seq", result.firstBrokenSeq()).put("reason", result.reason()));
    }
    return body;
  }

  private static JsonObject json(AuditRecord r) {
    return new JsonObject()
        .put("seq", r.seq())
        .put("timestamp", r.timestamp())
        .put("actor", r.actor())
        .put("action", r.action())
        .put("target", r.target())
        .put("outcome", r.outcome())
        .put("clientAddress", r.clientAddress())
        .put("details", new JsonObject(r.details()))
        .put("hash", r.hash())
        .put("prevHash", r.prevHash());
  }

  private static String param(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static int intParam(RoutingContext ctx, String name, int fallback) {
    String value = param(ctx, name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number: " + value);
    }
  }
}
