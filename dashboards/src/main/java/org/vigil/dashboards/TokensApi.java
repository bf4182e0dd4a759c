package org.vigil.dashboards;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * API tokens: {@code /api/v1/tokens}. Users manage their own tokens; admins see and revoke
 * everyone's. A token is shown once, when created. Creating and revoking are audited ({@code
 * token.create}, {@code token.revoke}) before they take effect.
 */
final class TokensApi {
  static final int DEFAULT_DAYS = 90;
  static final int MAX_DAYS = 365;

  private final Vertx vertx;
  private final TokenStore tokens;
  private final AuditAppender audit;
  private final Clock clock;

  TokensApi(Vertx vertx, TokenStore tokens, AuditAppender audit, Clock clock) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.audit = audit;
    this.clock = clock;
  }

  void list(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    User caller = CallerAuthHandler.caller(ctx);
    String owner = caller.roles().contains(Role.ADMIN) ? null : caller.username();
    vertx
        .executeBlocking(() -> tokens.list(owner), false)
        .onSuccess(
            all -> {
              JsonArray list = new JsonArray();
              all.forEach(t -> list.add(json(t)));
              JsonResponses.ok(ctx, new JsonObject().put("tokens", list));
            })
        .onFailure(e -> CallerAuthHandler.storeUnavailable(ctx, e));
  }

  void create(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    JsonObject body = JsonBodies.object(ctx);
    if (body == null) {
      return;
    }
    String name = SessionApi.stringOrNull(body.getValue("name"));
    Object days = body.getValue("expiresInDays", DEFAULT_DAYS);
    if (name == null || name.isBlank() || name.length() > 100) {
      JsonResponses.error(ctx, 400, "name the token (1 to 100 characters), e.g. the script's");
      return;
    }
    if (!(days instanceof Integer d) || d < 1 || d > MAX_DAYS) {
      JsonResponses.error(ctx, 400, "expiresInDays must be a whole number 1.." + MAX_DAYS);
      return;
    }
    String owner = CallerAuthHandler.caller(ctx).username();
    String secret = ApiToken.generateSecret();
    Instant now = clock.instant();
    ApiToken token =
        new ApiToken(
            ApiToken.generateId(),
            name.trim(),
            owner,
            ApiToken.hash(secret),
            now,
            now.plus(Duration.ofDays(d)),
            null);
    audit
        .success(
            ctx,
            owner,
            "token.create",
            token.id(),
            Map.of("name", token.name(), "expires", token.expires().toString()))
        .compose(
            seq ->
                vertx.executeBlocking(
                    () -> {
                      tokens.save(token);
                      return token;
                    },
                    false))
        .onSuccess(t -> JsonResponses.send(ctx, 201, json(t).put("token", secret)))
        .onFailure(e -> AuditAppender.unavailable(ctx, e));
  }

  /** DELETE: the owner's or, for admins, anyone's token; others' tokens answer 404. */
  void revoke(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    User caller = CallerAuthHandler.caller(ctx);
    String id = ctx.pathParam("id");
    vertx
        .executeBlocking(() -> tokens.find(id), false)
        .compose(
            found -> {
              if (found.isEmpty()
                  || !(found.get().owner().equals(caller.username())
                      || caller.roles().contains(Role.ADMIN))) {
                JsonResponses.error(ctx, 404, "no token " + id + " of yours");
                return Future.succeededFuture();
              }
              return audit
                  .success(
                      ctx,
                      caller.username(),
                      "token.revoke",
                      id,
                      Map.of("name", found.get().name(), "owner", found.get().owner()))
                  .compose(seq -> vertx.executeBlocking(() -> tokens.revoke(id), false))
                  .onSuccess(deleted -> ctx.response().setStatusCode(204).end())
                  .mapEmpty();
            })
        .onFailure(e -> AuditAppender.unavailable(ctx, e));
  }

  private static JsonObject json(ApiToken token) {
    return new JsonObject()
        .put("id", token.id())
        .put("name", token.name())
        .put("owner", token.owner())
        .put("created", token.created().toString())
        .put("expires", token.expires().toString())
        .put("lastUsed", token.lastUsed() == null ? null : token.lastUsed().toString());
  }
}
