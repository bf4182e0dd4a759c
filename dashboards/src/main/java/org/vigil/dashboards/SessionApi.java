package org.vigil.dashboards;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browser login and logout ({@code /api/v1/session}) and a user's own password change. Logins are
 * throttled by {@link LoginThrottle} and audited; passwords are never logged or audited.
 */
final class SessionApi {
  private static final Logger LOG = LoggerFactory.getLogger(SessionApi.class);

  private final Vertx vertx;
  private final CredentialVerifier verifier;
  private final LoginThrottle throttle;
  private final AuditAppender audit;
  private final UserStore users;
  private final PasswordHasher hasher;
  private final CredentialCache cache;

  SessionApi(
      Vertx vertx,
      CredentialVerifier verifier,
      LoginThrottle throttle,
      AuditAppender audit,
      UserStore users,
      PasswordHasher hasher,
      CredentialCache cache) {
    this.vertx = vertx;
    this.verifier = verifier;
    this.throttle = throttle;
    this.audit = audit;
    this.users = users;
    this.hasher = hasher;
    this.cache = cache;
  }

  /** POST: JSON or form {@code username} and {@code password}; starts a session. */
  void login(RoutingContext ctx) {
    String username;
    String password;
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType != null && contentType.toLowerCase().startsWith("application/json")) {
      JsonObject body;
      try {
        body = ctx.body().asJsonObject();
      } catch (DecodeException | ClassCastException e) {
        JsonResponses.error(ctx, 400, "the body is not a JSON object");
        return;
      }
      if (body == null) {
        JsonResponses.error(ctx, 400, "send username and password as JSON or a form");
        return;
      }
      username = stringOrNull(body.getValue("username"));
      password = stringOrNull(body.getValue("password"));
    } else {
      username = ctx.request().getFormAttribute("username");
      password = ctx.request().getFormAttribute("password");
    }
    if (username == null || username.isBlank() || password == null || password.isEmpty()) {
      JsonResponses.error(ctx, 400, "username and password are required");
      return;
    }
    LoginThrottle.Decision decision = throttle.attempt(username, AuditAppender.clientAddress(ctx));
    if (!decision.allowed()) {
      CallerAuthHandler.tooManyAttempts(ctx, decision);
      return;
    }
    Session session = ctx.session();
    verifier
        .verify(username, password)
        .onSuccess(
            user -> {
              if (user.isEmpty()) {
                LOG.info("failed login for user {}", username);
                CallerAuthHandler.loginFailed(ctx, throttle, audit, username, "session")
                    .onSuccess(v -> JsonResponses.error(ctx, 401, "wrong username or password"))
                    .onFailure(e -> AuditAppender.unavailable(ctx, e));
                return;
              }
              throttle.succeeded(username);
              String name = user.get().username();
              audit
                  .success(ctx, name, "user.login", name, Map.of("method", "session"))
                  .onSuccess(
                      seq -> {
                        // A fresh id on login: a session id planted before login is worth nothing
                        // after.
                        session.regenerateId();
                        session.put(CallerAuthHandler.SESSION_USERNAME, name);
                        String csrf = CsrfGuard.newToken();
                        session.put(CsrfGuard.SESSION_KEY, csrf);
                        LOG.info("user {} logged in", name);
                        JsonResponses.ok(
                            ctx, JsonResponses.user(user.get()).put("csrfToken", csrf));
                      })
                  .onFailure(e -> AuditAppender.unavailable(ctx, e));
            })
        .onFailure(e -> CallerAuthHandler.storeUnavailable(ctx, e));
  }

  /** GET: who the caller is, with the session's CSRF token when the caller has a session. */
  void current(RoutingContext ctx) {
    JsonObject body = JsonResponses.user(CallerAuthHandler.caller(ctx));
    if (ctx.request().getCookie(DashboardServer.SESSION_COOKIE) != null
        && ctx.session() != null
        && ctx.session().get(CsrfGuard.SESSION_KEY) != null) {
      body.put("csrfToken", (String) ctx.session().get(CsrfGuard.SESSION_KEY));
    }
    JsonResponses.ok(ctx, body);
  }

  /**
   * POST /session/password: {@code current} and {@code new}. The current password is checked like a
   * login (throttled, failures audited), so a walk-up attacker at an open session cannot take the
   * account over.
   */
  void changePassword(RoutingContext ctx) {
    User caller = CallerAuthHandler.caller(ctx);
    JsonObject body = JsonBodies.object(ctx);
    if (body == null) {
      return;
    }
    String current = stringOrNull(body.getValue("current"));
    String fresh = stringOrNull(body.getValue("new"));
    if (current == null || current.isEmpty() || fresh == null) {
      JsonResponses.error(ctx, 400, "send the current password as 'current' and the new as 'new'");
      return;
    }
    try {
      PasswordHasher.requireAcceptable(fresh);
    } catch (IllegalArgumentException e) {
      JsonResponses.error(ctx, 400, e.getMessage());
      return;
    }
    String name = caller.username();
    LoginThrottle.Decision decision = throttle.attempt(name, AuditAppender.clientAddress(ctx));
    if (!decision.allowed()) {
      CallerAuthHandler.tooManyAttempts(ctx, decision);
      return;
    }
    verifier
        .verify(name, current)
        .onSuccess(
            user -> {
              if (user.isEmpty()) {
                CallerAuthHandler.loginFailed(ctx, throttle, audit, name, "password_change")
                    .onSuccess(v -> JsonResponses.error(ctx, 400, "the current password is wrong"))
                    .onFailure(e -> AuditAppender.unavailable(ctx, e));
                return;
              }
              throttle.succeeded(name);
              audit
                  .success(ctx, name, "user.password", name, Map.of("by", "self"))
                  .compose(
                      seq ->
                          vertx.executeBlocking(
                              () -> {
                                users.save(user.get().withPasswordHash(hasher.hash(fresh)));
                                return seq;
                              },
                              false))
                  .onSuccess(
                      seq -> {
                        cache.forget(name);
                        ctx.response().setStatusCode(204).end();
                      })
                  .onFailure(e -> AuditAppender.unavailable(ctx, e));
            })
        .onFailure(e -> CallerAuthHandler.storeUnavailable(ctx, e));
  }

  /** DELETE: ends the session; idempotent, so it needs no authentication. */
  void logout(RoutingContext ctx) {
    Session session = ctx.session();
    if (session != null && !session.isDestroyed()) {
      session.destroy();
    }
    ctx.response().setStatusCode(204).end();
  }

  static String stringOrNull(Object value) {
    return value instanceof String s ? s : null;
  }
}
