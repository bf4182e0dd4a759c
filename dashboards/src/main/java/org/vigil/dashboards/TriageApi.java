package org.vigil.dashboards;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.model.Alert;
import org.vigil.model.AlertStatus;
import org.vigil.model.Documents;
import org.vigil.model.Resolution;

/**
 * Triage changes: status, assignment, comments, their bulk form, and the people one can assign to.
 * Every change is audited before it is made ("no audit, no action") and written with the version it
 * was decided on, so two analysts acting at once cannot silently overwrite each other.
 */
final class TriageApi {
  private static final Logger LOG = LoggerFactory.getLogger(TriageApi.class);

  /** Who may change alerts; rule admins and auditors only read them. */
  static final Set<Role> TRIAGERS = Set.of(Role.ANALYST, Role.ADMIN);

  static final int MAX_BULK = 500;

  private final Vertx vertx;
  private final DashboardBackends backends;
  private final LongSupplier clock;
  private final Consumer<Alert> changed;

  /**
   * @param changed told of every alert after a change, from a worker thread
   */
  TriageApi(Vertx vertx, DashboardBackends backends, LongSupplier clock, Consumer<Alert> changed) {
    this.vertx = vertx;
    this.backends = backends;
    this.clock = clock;
    this.changed = changed;
  }

  void status(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, TRIAGERS)) {
      return;
    }
    User caller = CallerAuthHandler.caller(ctx);
    String id = ctx.pathParam("id");
    String client = clientAddress(ctx);
    run(
        ctx,
        200,
        () -> {
          JsonObject body = body(ctx);
          AlertStatus to = parseStatus(body.getValue("status"));
          Resolution resolution = parseResolution(body.getValue("resolution"));
          String reason = string(body.getValue("reason"), "reason");
          TriageWorkflow.checkRequest(to, resolution, reason);
          return AlertsApi.json(changeStatus(caller, client, id, to, resolution, reason));
        });
  }

  void assign(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, TRIAGERS)) {
      return;
    }
    User caller = CallerAuthHandler.caller(ctx);
    String id = ctx.pathParam("id");
    String client = clientAddress(ctx);
    run(
        ctx,
        200,
        () -> {
          JsonObject body = body(ctx);
          if (!body.containsKey("assignee")) {
            throw TriageRejection.badRequest(
                "assignee is required: a username, or null to unassign");
          }
          String assignee = string(body.getValue("assignee"), "assignee");
          return AlertsApi.json(assign(caller, client, id, assignee));
        });
  }

  void comment(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, TRIAGERS)) {
      return;
    }
    User caller = CallerAuthHandler.caller(ctx);
    String id = ctx.pathParam("id");
    String client = clientAddress(ctx);
    run(
        ctx,
        201,
        () -> {
          String text = string(body(ctx).getValue("text"), "text");
          if (text == null || text.isBlank()) {
            throw TriageRejection.badRequest("text is required: the comment");
          }
          if (text.length() > AlertActivity.MAX_COMMENT_LENGTH) {
            throw TriageRejection.badRequest(
                "a comment is at most "
                    + AlertActivity.MAX_COMMENT_LENGTH
                    + " characters: "
                    + text.length());
          }
          Alert alert =
              backends
                  .alerts()
                  .find(id, caller.scope())
                  .orElseThrow(() -> TriageRejection.notFound(id))
                  .alert();
          AlertActivity comment =
              activity(
                  caller, alert, AlertActivity.Kind.COMMENT, null, null, null, null, null, text);
          audit(caller, client, "alert.comment", id, Map.of("commentId", comment.id()));
          backends.activity().append(comment);
          return AlertDetailApi.comment(comment);
        });
  }

  void bulk(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, TRIAGERS)) {
      return;
    }
    User caller = CallerAuthHandler.caller(ctx);
    String client = clientAddress(ctx);
    run(
        ctx,
        200,
        () -> {
          JsonObject body = body(ctx);
          Set<String> ids = ids(body.getValue("ids"));
          String action = string(body.getValue("action"), "action");
          BulkAction change = bulkAction(action, body);
          int updated = 0;
          JsonArray failed = new JsonArray();
          for (String id : ids) {
            try {
              change.apply(caller, client, id);
              updated++;
            } catch (TriageRejection e) {
              if (e.status() == 503) {
                throw new TriageRejection(
                    503,
                    e.getMessage()
                        + "; "
                        + updated
                        + " of "
                        + ids.size()
                        + " alerts were changed before it stopped");
              }
              failed.add(new JsonObject().put("id", id).put("error", e.getMessage()));
            }
          }
          return new JsonObject().put("updated", updated).put("failed", failed);
        });
  }

  /** Users the caller could assign to: triagers who share an agency with the caller. */
  void assignees(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    AgencyScope callerScope = CallerAuthHandler.caller(ctx).scope();
    run(
        ctx,
        200,
        () -> {
          JsonArray users = new JsonArray();
          for (User user : backends.users().list()) {
            if (!user.disabled()
                && user.hasAnyRole(TRIAGERS)
                && overlaps(user.scope(), callerScope)) {
              users.add(new JsonObject().put("username", user.username()));
            }
          }
          return new JsonObject().put("users", users);
        });
  }

  Alert changeStatus(
      User caller, String client, String id, AlertStatus to, Resolution resolution, String reason) {
    return change(
        caller,
        client,
        id,
        "alert.status",
        current -> {
          TriageState next = TriageWorkflow.next(TriageState.of(current), to, resolution);
          Map<String, Object> details = new HashMap<>();
          details.put("from", current.status().wireName());
          details.put("to", to.wireName());
          if (resolution != null) {
            details.put("resolution", resolution.wireName());
          }
          if (reason != null) {
            details.put("reason", reason);
          }
          return new Planned(
              next,
              activity(
                  caller,
                  current,
                  AlertActivity.Kind.STATUS,
                  current.status(),
                  to,
                  next.resolution(),
                  reason,
                  null,
                  null),
              details);
        });
  }

  Alert assign(User caller, String client, String id, String assignee) {
    User target = assignee == null ? null : assignable(assignee);
    return change(
        caller,
        client,
        id,
        "alert.assign",
        current -> {
          if (target != null && !target.scope().permits(current.organizationId())) {
            throw TriageRejection.badRequest(
                "user "
                    + assignee
                    + " cannot see agency "
                    + current.organizationId()
                    + ": assign someone whose agencies include it");
          }
          if (java.util.Objects.equals(current.assignee(), assignee)) {
            throw TriageRejection.conflict(
                assignee == null
                    ? "the alert is already unassigned"
                    : "the alert is already assigned to " + assignee);
          }
          Map<String, Object> details = new HashMap<>();
          details.put("from", current.assignee() == null ? "" : current.assignee());
          details.put("to", assignee == null ? "" : assignee);
          return new Planned(
              TriageState.of(current).withAssignee(assignee),
              activity(
                  caller,
                  current,
                  AlertActivity.Kind.ASSIGN,
                  null,
                  null,
                  null,
                  null,
                  assignee,
                  null),
              details);
        });
  }

  /** An existing user with a triage role: someone who can act on the alert once it is theirs. */
  private User assignable(String username) {
    User user =
        backends
            .users()
            .find(username)
            .orElseThrow(() -> TriageRejection.badRequest("no user " + username + " to assign"));
    if (user.disabled()) {
      throw TriageRejection.badRequest("user " + username + " is disabled: assign someone else");
    }
    if (!user.hasAnyRole(TRIAGERS)) {
      throw TriageRejection.badRequest(
          "user " + username + " cannot triage alerts: assign an analyst or admin");
    }
    return user;
  }

  /** What one change will write, decided from the alert as read. */
  private record Planned(TriageState next, AlertActivity activity, Map<String, Object> details) {}

  @FunctionalInterface
  private interface Plan {
    Planned decide(Alert current);
  }

  /**
   * Reads, decides, audits, then writes guarded by the version read. A conflict means someone
   * changed the alert meanwhile: decide once more on the fresh copy, then give up with a 409.
   */
  private Alert change(User caller, String client, String id, String action, Plan plan) {
    boolean audited = false;
    for (int attempt = 0; attempt < 2; attempt++) {
      StoredAlert current =
          backends
              .alerts()
              .find(id, caller.scope())
              .orElseThrow(() -> TriageRejection.notFound(id));
      Planned planned;
      try {
        planned = plan.decide(current.alert());
      } catch (TriageRejection e) {
        if (audited) {
          auditNotApplied(caller, client, action, id, e.getMessage());
        }
        throw e;
      }
      if (!audited) {
        audit(caller, client, action, id, planned.details());
        audited = true;
      }
      try {
        backends.alerts().updateTriage(current, planned.next());
      } catch (AlertConflictException e) {
        LOG.info("alert {} changed while {} was changing it; retrying", id, caller.username());
        continue;
      }
      backends.activity().append(planned.activity());
      TriageState s = planned.next();
      Alert a = current.alert();
      Alert after =
          new Alert(
              a.id(),
              a.ruleId(),
              a.ruleName(),
              a.ruleVersion(),
              a.ruleset(),
              a.description(),
              a.severity(),
              a.techniqueId(),
              a.group(),
              a.count(),
              a.firstSeen(),
              a.lastSeen(),
              a.evidence(),
              a.organizationId(),
              s.status(),
              s.resolution(),
              s.assignee(),
              a.evidenceCreated(),
              a.evidenceReceived(),
              a.detected(),
              a.message(),
              a.riskScore());
      changed.accept(after);
      return after;
    }
    String message = "alert " + id + " kept changing while being updated: reload it and try again";
    auditNotApplied(caller, client, action, id, message);
    throw TriageRejection.conflict(message);
  }

  private AlertActivity activity(
      User caller,
      Alert alert,
      AlertActivity.Kind kind,
      AlertStatus from,
      AlertStatus to,
      Resolution resolution,
      String reason,
      String assignee,
      String text) {
    return new AlertActivity(
        UUID.randomUUID().toString(),
        alert.id(),
        alert.organizationId(),
        caller.username(),
        clock.getAsLong(),
        kind,
        from,
        to,
        resolution,
        reason,
        assignee,
        text);
  }

  /** Appends the audit record or refuses the action: a 503 that says nothing was done. */
  void audit(
      User caller, String client, String action, String target, Map<String, Object> details) {
    try {
      backends
          .audit()
          .append(AuditEvent.success(caller.username(), client, action, target, details));
    } catch (RuntimeException e) {
      LOG.warn("audit trail unavailable, refusing {} on {}: {}", action, target, e.toString());
      throw new TriageRejection(
          503, "audit trail unavailable: nothing was changed, try again shortly");
    }
  }

  /** Best effort: the audited change did not happen after all. */
  private void auditNotApplied(
      User caller, String client, String action, String target, String why) {
    try {
      backends
          .audit()
          .append(
              new AuditEvent(
                  caller.username(),
                  action,
                  target,
                  AuditEvent.FAILURE,
                  client,
                  Map.of("error", why)));
    } catch (RuntimeException e) {
      LOG.warn("cannot record that {} on {} was not applied: {}", action, target, e.toString());
    }
  }

  @FunctionalInterface
  private interface BulkAction {
    void apply(User caller, String client, String id);
  }

  private BulkAction bulkAction(String action, JsonObject body) {
    if (action == null) {
      throw TriageRejection.badRequest("action is required: assign, close or acknowledge");
    }
    switch (action) {
      case "acknowledge":
        return (caller, client, id) ->
            changeStatus(caller, client, id, AlertStatus.ACKNOWLEDGED, null, null);
      case "close":
        Resolution resolution = parseResolution(body.getValue("resolution"));
        String reason = string(body.getValue("reason"), "reason");
        TriageWorkflow.checkRequest(AlertStatus.CLOSED, resolution, reason);
        return (caller, client, id) ->
            changeStatus(caller, client, id, AlertStatus.CLOSED, resolution, reason);
      case "assign":
        if (!body.containsKey("assignee")) {
          throw TriageRejection.badRequest(
              "assignee is required for assign: a username, or null to unassign");
        }
        String assignee = string(body.getValue("assignee"), "assignee");
        if (assignee != null) {
          assignable(assignee); // an unknown user fails the whole request, not each alert
        }
        return (caller, client, id) -> assign(caller, client, id, assignee);
      default:
        throw TriageRejection.badRequest(
            "unknown action '" + action + "': use assign, close or acknowledge");
    }
  }

  private static Set<String> ids(Object value) {
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw TriageRejection.badRequest("ids is required: a non-empty array of alert ids");
    }
    if (array.size() > MAX_BULK) {
      throw TriageRejection.badRequest(
          "at most " + MAX_BULK + " alerts per bulk request: " + array.size());
    }
    Set<String> ids = new LinkedHashSet<>();
    for (Object id : array) {
      if (!(id instanceof String s) || s.isBlank()) {
        throw TriageRejection.badRequest("ids must be non-empty strings: " + id);
      }
      ids.add(s);
    }
    return ids;
  }

  private static boolean overlaps(AgencyScope a, AgencyScope b) {
    if (a.unrestricted() || b.unrestricted()) {
      return true;
    }
    List<String> shared = new ArrayList<>(a.organizationIds());
    shared.retainAll(b.organizationIds());
    return !shared.isEmpty();
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw TriageRejection.badRequest("send a JSON object body");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      throw TriageRejection.badRequest("the body is not a JSON object: " + e.getMessage());
    }
  }

  private static AlertStatus parseStatus(Object value) {
    String s = string(value, "status");
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return AlertStatus.fromWireName(s);
    } catch (IllegalArgumentException e) {
      throw TriageRejection.badRequest(
          "unknown status '" + s + "': use acknowledged, in_progress or closed");
    }
  }

  private static Resolution parseResolution(Object value) {
    String s = string(value, "resolution");
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Resolution.fromWireName(s);
    } catch (IllegalArgumentException e) {
      throw TriageRejection.badRequest(
          "unknown resolution '" + s + "': use true_positive, false_positive or benign");
    }
  }

  private static String string(Object value, String name) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw TriageRejection.badRequest(name + " must be a string");
    }
    return s;
  }

  static String clientAddress(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null
        ? null
        : ctx.request().remoteAddress().hostAddress();
  }

  /** Runs blocking work and answers with its JSON, or with the rejection's status. */
  void run(RoutingContext ctx, int okStatus, Callable<JsonObject> work) {
    vertx
        .executeBlocking(work, false)
        .onSuccess(body -> JsonResponses.send(ctx, okStatus, body))
        .onFailure(
            e -> {
              if (e instanceof TriageRejection r) {
                JsonResponses.error(ctx, r.status(), r.getMessage());
                return;
              }
              LOG.warn("triage request failed: {}", e.toString());
              JsonResponses.error(ctx, 503, "alert store unavailable, try again shortly");
            });
  }

  static String iso(long millis) {
    return millis == 0 ? null : Documents.isoTime(millis);
  }
}
