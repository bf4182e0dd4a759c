package org.vigil.dashboards;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The API's JSON replies; errors are {@code {"error": "..."}} so scripts can print them. */
final class JsonResponses {
  private JsonResponses() {}

  static void ok(RoutingContext ctx, JsonObject body) {
    send(ctx, 200, body);
  }

  static void error(RoutingContext ctx, int status, String message) {
    send(ctx, status, new JsonObject().put("error", message));
  }

  static void send(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }

  static JsonObject user(User user) {
    return new JsonObject()
        .put("username", user.username())
        .put("roles", new JsonArray(user.roles().stream().map(Role::wireName).sorted().toList()))
        .put("agencies", new JsonArray(user.agencies()));
  }
}
