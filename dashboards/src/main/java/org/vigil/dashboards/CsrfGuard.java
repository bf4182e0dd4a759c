package org.vigil.dashboards;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * Refuses state-changing requests that ride on the session cookie without the session's CSRF token
 * in {@code X-CSRF-Token}. A cross-site page can make the browser send the cookie but cannot read
 * the token, which the UI got from {@code /api/v1/session}. Requests with an {@code Authorization}
 * header carry their own credentials, which a browser never adds by itself, so they are exempt.
 *
 * <p>Vert.x's {@code CSRFHandler} was not used: it hands the token out in its own cookie and
 * rotates it per request, whereas the API contract returns one token per session in JSON.
 */
final class CsrfGuard implements Handler<RoutingContext> {
  static final String HEADER = "X-CSRF-Token";
  static final String SESSION_KEY = "csrfToken";
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new token for a session: 32 random bytes, base64url. */
  static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (SAFE.contains(ctx.request().method())
        || ctx.request().method() == HttpMethod.OPTIONS
        || ctx.request().getHeader(HttpHeaders.AUTHORIZATION) != null) {
      ctx.next();
      return;
    }
    Session session = ctx.session();
    String expected = session == null ? null : session.get(SESSION_KEY);
    String sent = ctx.request().getHeader(HEADER);
    if (expected == null
        || sent == null
        || !MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8))) {
      JsonResponses.error(
          ctx,
          403,
          "missing or wrong "
              + HEADER
              + " header: send the csrfToken from /api/v1/session with every change");
      return;
    }
    ctx.next();
  }
}
