package org.vigil.dashboards;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/health/components}: every probe at once, each on a worker thread with a
 * deadline, so one dead component makes its own line red and never holds up the page.
 */
final class ComponentHealthApi {
  private static final Logger LOG = LoggerFactory.getLogger(ComponentHealthApi.class);

  private final Vertx vertx;
  private final List<HealthProbe> probes;
  private final long deadlineMillis;

  ComponentHealthApi(Vertx vertx, List<HealthProbe> probes, long deadlineMillis) {
    this.vertx = vertx;
    this.probes = List.copyOf(probes);
    this.deadlineMillis = deadlineMillis;
  }

  void get(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    List<Future<ComponentHealth>> results = new ArrayList<>();
    for (HealthProbe probe : probes) {
      results.add(probe(probe));
    }
    Future.join(results)
        .onComplete(
            done -> {
              HealthStatus overall = HealthStatus.GREEN;
              JsonArray components = new JsonArray();
              for (Future<ComponentHealth> f : results) {
                ComponentHealth h = f.result();
                overall = overall.worst(h.status());
                components.add(
                    new JsonObject()
                        .put("name", h.name())
                        .put("status", h.status().wireName())
                        .put("detail", h.detail())
                        .put("check", h.check()));
              }
              JsonResponses.ok(
                  ctx,
                  new JsonObject().put("status", overall.wireName()).put("components", components));
            });
  }

  /** Always succeeds: a failure or a missed deadline becomes a red line. */
  private Future<ComponentHealth> probe(HealthProbe probe) {
    Promise<ComponentHealth> result = Promise.promise();
    long timer =
        vertx.setTimer(
            deadlineMillis,
            t ->
                result.tryComplete(
                    new ComponentHealth(
                        probe.name(),
                        HealthStatus.RED,
                        "no answer within " + deadlineMillis + " ms",
                        probe.unreachable())));
    vertx
        .executeBlocking(probe::probe, false)
        .onComplete(
            r -> {
              vertx.cancelTimer(timer);
              if (r.succeeded() && r.result() != null) {
                result.tryComplete(r.result());
              } else {
                Throwable e = r.cause();
                LOG.debug("health probe {} failed: {}", probe.name(), String.valueOf(e));
                result.tryComplete(
                    new ComponentHealth(
                        probe.name(),
                        HealthStatus.RED,
                        "unreachable: " + (e == null ? "no answer" : message(e)),
                        probe.unreachable()));
              }
            });
    return result.future();
  }

  private static String message(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
