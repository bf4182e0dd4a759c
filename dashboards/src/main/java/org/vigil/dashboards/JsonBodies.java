package org.vigil.dashboards;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reading JSON request bodies, answering 400 for anything that is not a JSON object. */
final class JsonBodies {
  private JsonBodies() {}

  /** The body as an object, or null after answering 400. */
  static JsonObject object(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body() == null ? null : ctx.body().asJsonObject();
      if (body == null) {
        JsonResponses.error(ctx, 400, "send a JSON object body");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      JsonResponses.error(ctx, 400, "the body is not a JSON object");
      return null;
    }
  }
}
