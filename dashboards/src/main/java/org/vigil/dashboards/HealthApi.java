package org.vigil.dashboards;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Liveness for load balancers and the all-in-one launcher: no authentication, no secrets. */
final class HealthApi {

  void get(RoutingContext ctx) {
    JsonResponses.ok(ctx, new JsonObject().put("status", "ok"));
  }
}
