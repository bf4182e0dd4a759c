package org.vigil.dashboards;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Appends to the audit trail off the event loop, for handlers that must record before acting. */
final class AuditAppender {
  private static final Logger LOG = LoggerFactory.getLogger(AuditAppender.class);

  private final Vertx vertx;
  private final AuditTrail trail;

  AuditAppender(Vertx vertx, AuditTrail trail) {
    this.vertx = vertx;
    this.trail = trail;
  }

  Future<Long> append(AuditEvent event) {
    return vertx.executeBlocking(() -> trail.append(event), false);
  }

  /** Records a successful action by {@code actor} from the request's client. */
  Future<Long> success(
      RoutingContext ctx, String actor, String action, String target, Map<String, Object> details) {
    return append(AuditEvent.success(actor, clientAddress(ctx), action, target, details));
  }

  /** Records a refused or failed action. */
  Future<Long> failure(
      RoutingContext ctx, String actor, String action, String target, Map<String, Object> details) {
    return append(
        new AuditEvent(actor, action, target, AuditEvent.FAILURE, clientAddress(ctx), details));
  }

  static String clientAddress(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null
        ? null
        : ctx.request().remoteAddress().hostAddress();
  }

  /** No audit, no action: the answer when the record could not be written. */
  static void unavailable(RoutingContext ctx, Throwable e) {
    LOG.warn("audit trail unavailable: {}", e.toString());
    JsonResponses.error(
        ctx,
        503,
        "audit trail or store unavailable, so the action was not performed: try again shortly");
  }
}
