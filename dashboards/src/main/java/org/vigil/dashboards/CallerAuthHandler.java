package org.vigil.dashboards;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates API callers: an API token ({@code Authorization: Bearer}) or HTTP Basic for
 * scripts, else the browser's login session. On success the caller's current {@link User} is put on
 * the routing context for the APIs' role checks; a disabled or deleted user is refused whichever
 * way they come. Basic password checks go through the {@link LoginThrottle} like logins do.
 */
final class CallerAuthHandler implements Handler<RoutingContext> {
  static final String SESSION_USERNAME = "username";
  private static final String CALLER = "vigil.caller";
  private static final String CHALLENGE = "Basic realm=\"vigil\"";
  private static final Logger LOG = LoggerFactory.getLogger(CallerAuthHandler.class);

  /** A token's last use is written at most this often: not one store write per request. */
  private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

  private final Vertx vertx;
  private final CredentialVerifier verifier;
  private final CredentialCache cache;
  private final LoginThrottle throttle;
  private final AuditAppender audit;
  private final TokenStore tokens;
  private final Clock clock;

  CallerAuthHandler(
      Vertx vertx,
      CredentialVerifier verifier,
      CredentialCache cache,
      LoginThrottle throttle,
      AuditAppender audit,
      TokenStore tokens,
      Clock clock) {
    this.vertx = vertx;
    this.verifier = verifier;
    this.cache = cache;
    this.throttle = throttle;
    this.audit = audit;
    this.tokens = tokens;
    this.clock = clock;
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
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      bearer(ctx, authorization.substring(7).trim());
      return;
    }
    if (authorization != null) {
      unauthorized(ctx, "unsupported Authorization scheme: use Basic or Bearer");
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
              if (user.isPresent() && !user.get().disabled()) {
                accept(ctx, user.get());
              } else {
                session.destroy(); // the user was deleted or disabled since logging in
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
    // A hit is the exact password verified moments ago: no guess, so no throttling either.
    Optional<User> cached = cache.get(username, password);
    if (cached.isPresent()) {
      accept(ctx, cached.get());
      return;
    }
    LoginThrottle.Decision decision = throttle.attempt(username, AuditAppender.clientAddress(ctx));
    if (!decision.allowed()) {
      tooManyAttempts(ctx, decision);
      return;
    }
    verifier
        .verify(username, password)
        .onSuccess(
            user -> {
              if (user.isPresent()) {
                throttle.succeeded(username);
                cache.put(username, password, user.get());
                accept(ctx, user.get());
              } else {
                LOG.info("rejected Basic credentials for user {}", username);
                loginFailed(ctx, throttle, audit, username, "basic")
                    .onSuccess(v -> unauthorized(ctx, "wrong username or password"))
                    .onFailure(e -> AuditAppender.unavailable(ctx, e));
              }
            })
        .onFailure(e -> storeUnavailable(ctx, e));
  }

  /**
   * Counts and audits a wrong password ({@code user.login_failed}, and {@code user.locked} when
   * this failure locked the username). Never records the password.
   */
  static Future<Void> loginFailed(
      RoutingContext ctx,
      LoginThrottle throttle,
      AuditAppender audit,
      String username,
      String method) {
    String actor = username.length() > 100 ? username.substring(0, 100) : username;
    boolean locked = throttle.failed(username);
    Future<Long> failed =
        audit.failure(ctx, actor, "user.login_failed", actor, Map.of("method", method));
    if (!locked) {
      return failed.mapEmpty();
    }
    return failed
        .compose(
            seq ->
                audit.failure(
                    ctx,
                    actor,
                    "user.locked",
                    actor,
                    Map.of(
                        "failures",
                        LoginThrottle.MAX_FAILURES,
                        "minutes",
                        LoginThrottle.LOCK.toMinutes())))
        .mapEmpty();
  }

  static void tooManyAttempts(RoutingContext ctx, LoginThrottle.Decision decision) {
    ctx.response().putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
    JsonResponses.error(ctx, 429, decision.reason());
  }

  /**
   * The token's owner as they are now: a disabled or deleted owner or an expired token is refused
   * alike, without saying which, so a stolen token reveals nothing.
   */
  private void bearer(RoutingContext ctx, String secret) {
    if (!secret.startsWith(ApiToken.PREFIX)) {
      unauthorized(ctx, "malformed Bearer token: Vigil tokens start with " + ApiToken.PREFIX);
      return;
    }
    vertx
        .executeBlocking(() -> tokenOwner(secret), false)
        .onSuccess(
            user -> {
              if (user.isPresent()) {
                accept(ctx, user.get());
              } else {
                unauthorized(ctx, "invalid, expired or revoked token");
              }
            })
        .onFailure(e -> storeUnavailable(ctx, e));
  }

  private Optional<User> tokenOwner(String secret) {
    Optional<ApiToken> token = tokens.findByHash(ApiToken.hash(secret));
    Instant now = clock.instant();
    if (token.isEmpty() || token.get().expiredAt(now)) {
      return Optional.empty();
    }
    Optional<User> owner = verifier.find(token.get().owner());
    if (owner.isEmpty() || owner.get().disabled()) {
      return Optional.empty();
    }
    Instant lastUsed = token.get().lastUsed();
    if (lastUsed == null || lastUsed.plus(LAST_USED_RESOLUTION).isBefore(now)) {
      try {
        tokens.touch(token.get().id(), now);
      } catch (RuntimeException e) {
        LOG.warn("could not record use of token {}: {}", token.get().id(), e.toString());
      }
    }
    return owner;
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
