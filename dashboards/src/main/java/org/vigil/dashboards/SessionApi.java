package org.vigil.dashboards;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Browser login and logout: {@code /api/v1/session}. */
final class SessionApi {
  private static final Logger LOG = LoggerFactory.getLogger(SessionApi.class);

  private final CredentialVerifier verifier;

  SessionApi(CredentialVerifier verifier) {
    this.verifier = verifier;
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
    Session session = ctx.session();
    verifier
        .verify(username, password)
        .onSuccess(
            user -> {
              if (user.isEmpty()) {
                LOG.info("failed login for user {}", username);
                JsonResponses.error(ctx, 401, "wrong username or password");
                return;
              }
              // A fresh id on login: a session id planted before login is worth nothing after.
              session.regenerateId();
              session.put(CallerAuthHandler.SESSION_USERNAME, user.get().username());
              LOG.info("user {} logged in", user.get().username());
              JsonResponses.ok(ctx, JsonResponses.user(user.get()));
            })
        .onFailure(e -> CallerAuthHandler.storeUnavailable(ctx, e));
  }

  /** GET: who the caller is. */
  void current(RoutingContext ctx) {
    JsonResponses.ok(ctx, JsonResponses.user(CallerAuthHandler.caller(ctx)));
  }

  /** DELETE: ends the session; idempotent, so it needs no authentication. */
  void logout(RoutingContext ctx) {
    Session session = ctx.session();
    if (session != null && !session.isDestroyed()) {
      session.destroy();
    }
    ctx.response().setStatusCode(204).end();
  }

  private static String stringOrNull(Object value) {
    return value instanceof String s ? s : null;
  }
}
