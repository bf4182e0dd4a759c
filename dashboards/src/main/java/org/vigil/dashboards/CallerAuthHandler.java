package org.vigil.dashboards;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates API callers: HTTP Basic for scripts, else the browser's login session. On success
 * the caller's {@link User} is put on the routing context for the APIs' role checks.
 */
final class CallerAuthHandler implements Handler<RoutingContext> {
  static final String SESSION_USERNAME = "username";
  private static final String CALLER = "vigil.caller";
  private static final String CHALLENGE = "Basic realm=\"vigil\"";
  private static final Logger LOG = LoggerFactory.getLogger(CallerAuthHandler.class);

  private final CredentialVerifier verifier;
  private final CredentialCache cache;

  CallerAuthHandler(CredentialVerifier verifier, CredentialCache cache) {
    this.verifier = verifier;
    this.cache = cache;
  }

  /** The authenticated caller of a request that passed this handler. */
  static User caller(RoutingContext ctx) {
    User user = ctx.get(CALLER);
    if (user == null) {
      throw new IllegalStateException("route is not behind " + CallerAuthHandler.class);
    }
    return user;
  }

  /** Answers 403 and returns false unless the caller has one of the roles. */
  static boolean requireAnyRole(RoutingContext ctx, Collection<Role> roles) {
    if (caller(ctx).hasAnyRole(roles)) {
      return true;
    }
    JsonResponses.error(
        ctx,
        403,
        "forbidden: needs one of the roles "
            + roles.stream().map(Role::wireName).sorted().collect(Collectors.joining(", ")));
    return false;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      basic(ctx, authorization.substring(6).trim());
      return;
    }
    // Touch the session only when the browser sent one: a lazily created session would
    // otherwise be stored (and a cookie sent) for every unauthenticated request.
    Session session =
        ctx.request().getCookie(DashboardServer.SESSION_COOKIE) == null ? null : ctx.session();
    String username = session == null ? null : session.get(SESSION_USERNAME);
    if (username == null) {
      unauthorized(ctx, "authentication required");
      return;
    }
    verifier
        .lookup(username)
        .onSuccess(
            user -> {
              if (user.isPresent()) {
                accept(ctx, user.get());
              } else {
                session.destroy(); // the user was deleted since logging in
                unauthorized(ctx, "authentication required");
              }
            })
        .onFailure(e -> storeUnavailable(ctx, e));
  }

  private void basic(RoutingContext ctx, String encoded) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      unauthorized(ctx, "malformed Basic credentials");
      return;
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      unauthorized(ctx, "malformed Basic credentials");
      return;
    }
    String username = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    Optional<User> cached = cache.get(username, password);
    if (cached.isPresent()) {
      accept(ctx, cached.get());
      return;
    }
    verifier
        .verify(username, password)
        .onSuccess(
            user -> {
              if (user.isPresent()) {
                cache.put(username, password, user.get());
                accept(ctx, user.get());
              } else {
                LOG.info("rejected Basic credentials for user {}", username);
                unauthorized(ctx, "wrong username or password");
              }
            })
        .onFailure(e -> storeUnavailable(ctx, e));
  }

  private static void accept(RoutingContext ctx, User user) {
    ctx.put(CALLER, user);
    ctx.next();
  }

  /**
   * The challenge makes browsers show their own login dialog, so it is left off for the web UI's
   * requests, which mark themselves with {@code X-Requested-With} and show their own login page.
   */
  private static void unauthorized(RoutingContext ctx, String message) {
    if (ctx.request().getHeader("X-Requested-With") == null) {
      ctx.response().putHeader("WWW-Authenticate", CHALLENGE);
    }
    JsonResponses.error(ctx, 401, message);
  }

  static void storeUnavailable(RoutingContext ctx, Throwable e) {
    LOG.warn("user store unavailable: {}", e.toString());
    JsonResponses.error(ctx, 503, "user store unavailable, try again shortly");
  }
}
