package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.dashboards.DashboardServerTest.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** People and access: lockout, CSRF, API tokens, user management, disabled users, the audit API. */
@ExtendWith(VertxExtension.class)
class DashboardAccessTest {
  private static final PasswordHasher HASHER = new PasswordHasher();
  private static final String PASSWORD = "correct horse battery";
  private static String hash;

  private final InMemoryUserStore users = new InMemoryUserStore();
  private final InMemoryAuditTrail audit = new InMemoryAuditTrail();
  private final InMemoryTokenStore tokens = new InMemoryTokenStore();
  private WebClient client;
  private DashboardServer server;

  /** A logged-in browser: its cookie and CSRF token. */
  private record Browser(String cookie, String csrf) {}

  @BeforeAll
  static void hashOnce() {
    hash = HASHER.hash(PASSWORD);
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    users.save(new User("root", hash, Set.of(Role.ADMIN), List.of()));
    users.save(new User("ana", hash, Set.of(Role.ANALYST), List.of("agency-north")));
    users.save(new User("aud", hash, Set.of(Role.AUDITOR), List.of()));
    users.save(new User("rad", hash, Set.of(Role.RULE_ADMIN), List.of()));
    server =
        await(
            DashboardServer.deploy(
                vertx,
                DashboardConfig.defaults().withHost("127.0.0.1").withPort(0),
                TestBackends.of(users).audit(audit).tokens(tokens).build()));
    client = WebClient.create(vertx);
  }

  @Test
  void fiveWrongPasswordsLockTheUserWithRetryAfterAndAuditIt() throws Exception {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
      assertThat(login("ana", "wrong password " + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<Buffer> locked = login("ana", PASSWORD);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(locked.getHeader("Retry-After"))).isBetween(890L, 900L);
    assertThat(locked.bodyAsJsonObject().getString("error")).contains("locked");
    assertThat(login("aud", PASSWORD).statusCode()).as("others are not locked").isEqualTo(200);

    assertThat(audit.events().stream().map(AuditEvent::action))
        .containsSubsequence(
            "user.login_failed",
            "user.login_failed",
            "user.login_failed",
            "user.login_failed",
            "user.login_failed",
            "user.locked",
            "user.login");
    assertThat(audit.events())
        .filteredOn(e -> e.action().equals("user.login_failed"))
        .allMatch(e -> e.actor().equals("ana") && e.outcome().equals(AuditEvent.FAILURE))
        .allMatch(e -> !e.details().toString().contains("wrong password"));

    HttpResponse<Buffer> listed = await(basic(get("/api/v1/users"), "root").send());
    JsonObject ana = user(listed.bodyAsJsonObject(), "ana");
    assertThat(Instant.parse(ana.getString("lockedUntil"))).isAfter(Instant.now());
  }

  @Test
  void wrongBasicPasswordsCountTowardTheLockToo() throws Exception {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
      HttpResponse<Buffer> r =
          await(get("/api/v1/session").basicAuthentication("ana", "nope" + i).send());
      assertThat(r.statusCode()).isEqualTo(401);
    }
    HttpResponse<Buffer> right = await(basic(get("/api/v1/session"), "ana").send());
    assertThat(right.statusCode()).isEqualTo(429);
    assertThat(right.getHeader("Retry-After")).isNotNull();
    assertThat(audit.events()).anyMatch(e -> e.action().equals("user.locked"));
  }

  @Test
  void oneAddressTryingManyUsernamesIsRateLimited() throws Exception {
    int last = 0;
    for (int i = 0; i <= LoginThrottle.MAX_ATTEMPTS_PER_ADDRESS; i++) {
      last = login("guess" + i, "password").statusCode();
    }
    assertThat(last).isEqualTo(429);
  }

  @Test
  void loginReturnsACsrfTokenThatSessionChangesMustCarry() throws Exception {
    Browser browser = browser("ana");
    assertThat(browser.csrf()).hasSizeGreaterThan(40);
    HttpResponse<Buffer> me =
        await(get("/api/v1/session").putHeader("Cookie", browser.cookie()).send());
    assertThat(me.bodyAsJsonObject().getString("csrfToken")).isEqualTo(browser.csrf());

    JsonObject body = new JsonObject().put("name", "script");
    HttpResponse<Buffer> without =
        await(post("/api/v1/tokens").putHeader("Cookie", browser.cookie()).sendJsonObject(body));
    assertThat(without.statusCode()).isEqualTo(403);
    assertThat(without.bodyAsJsonObject().getString("error")).contains("X-CSRF-Token");
    HttpResponse<Buffer> wrong =
        await(
            post("/api/v1/tokens")
                .putHeader("Cookie", browser.cookie())
                .putHeader("X-CSRF-Token", browser.csrf() + "x")
                .sendJsonObject(body));
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(tokens.list(null)).isEmpty();
    HttpResponse<Buffer> right =
        await(
            post("/api/v1/tokens")
                .putHeader("Cookie", browser.cookie())
                .putHeader("X-CSRF-Token", browser.csrf())
                .sendJsonObject(body));
    assertThat(right.statusCode()).isEqualTo(201);
    HttpResponse<Buffer> scripted =
        await(basic(post("/api/v1/tokens"), "ana").sendJsonObject(body));
    assertThat(scripted.statusCode()).as("Basic needs no CSRF token").isEqualTo(201);
  }

  @Test
  void analystsAuditorsAndRuleAdminsCannotManageUsers() throws Exception {
    JsonObject newUser =
        new JsonObject()
            .put("username", "eve")
            .put("password", PASSWORD)
            .put("roles", new JsonArray().add("admin"));
    for (String who : List.of("ana", "aud", "rad")) {
      assertThat(await(basic(get("/api/v1/users"), who).send()).statusCode())
          .as(who)
          .isEqualTo(403);
      assertThat(await(basic(post("/api/v1/users"), who).sendJsonObject(newUser)).statusCode())
          .as(who)
          .isEqualTo(403);
      HttpResponse<Buffer> patch =
          await(
              basic(request(HttpMethod.PATCH, "/api/v1/users/" + who), who)
                  .sendJsonObject(new JsonObject().put("roles", new JsonArray().add("admin"))));
      assertThat(patch.statusCode()).as(who).isEqualTo(403);
    }
    assertThat(users.find("eve")).isEmpty();
    assertThat(users.find("ana").orElseThrow().roles()).containsExactly(Role.ANALYST);
  }

  @Test
  void adminAddsAUserWhoCanThenLogIn() throws Exception {
    JsonObject newUser =
        new JsonObject()
            .put("username", "nina")
            .put("password", "another long passphrase")
            .put("roles", new JsonArray().add("analyst"))
            .put("agencies", new JsonArray().add("agency-south"));
    HttpResponse<Buffer> created =
        await(basic(post("/api/v1/users"), "root").sendJsonObject(newUser));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getJsonArray("roles")).containsExactly("analyst");
    assertThat(created.bodyAsJsonObject().getBoolean("disabled")).isFalse();
    assertThat(created.bodyAsString()).doesNotContain("passphrase").doesNotContain("argon");
    assertThat(login("nina", "another long passphrase").statusCode()).isEqualTo(200);
    assertThat(await(basic(post("/api/v1/users"), "root").sendJsonObject(newUser)).statusCode())
        .isEqualTo(409);
    assertThat(
            await(
                    basic(post("/api/v1/users"), "root")
                        .sendJsonObject(
                            newUser.copy().put("username", "x").put("password", "short")))
                .statusCode())
        .isEqualTo(400);
    assertThat(audit.events())
        .filteredOn(e -> e.action().equals("user.add"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.actor()).isEqualTo("root");
              assertThat(e.target()).isEqualTo("nina");
              assertThat(e.details().toString()).doesNotContain("passphrase");
            });
  }

  @Test
  void disabledUserLosesSessionTokenAndPassword() throws Exception {
    Browser browser = browser("ana");
    String token =
        await(
                basic(post("/api/v1/tokens"), "ana")
                    .sendJsonObject(new JsonObject().put("name", "t")))
            .bodyAsJsonObject()
            .getString("token");
    assertThat(await(bearer(get("/api/v1/session"), token).send()).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> disable =
        await(
            basic(request(HttpMethod.PATCH, "/api/v1/users/ana"), "root")
                .sendJsonObject(new JsonObject().put("disabled", true)));
    assertThat(disable.statusCode()).isEqualTo(200);
    assertThat(disable.bodyAsJsonObject().getBoolean("disabled")).isTrue();

    assertThat(
            await(get("/api/v1/session").putHeader("Cookie", browser.cookie()).send()).statusCode())
        .isEqualTo(401);
    assertThat(await(bearer(get("/api/v1/session"), token).send()).statusCode()).isEqualTo(401);
    assertThat(await(basic(get("/api/v1/session"), "ana").send()).statusCode()).isEqualTo(401);
    assertThat(login("ana", PASSWORD).statusCode()).isEqualTo(401);
    assertThat(audit.events())
        .anyMatch(e -> e.action().equals("user.disable") && e.target().equals("ana"));

    await(
        basic(request(HttpMethod.PATCH, "/api/v1/users/ana"), "root")
            .sendJsonObject(new JsonObject().put("disabled", false)));
    assertThat(login("ana", PASSWORD).statusCode()).isEqualTo(200);
  }

  @Test
  void adminCannotDisableThemselvesOrDropTheirAdminRole() throws Exception {
    HttpResponse<Buffer> disable =
        await(
            basic(request(HttpMethod.PATCH, "/api/v1/users/root"), "root")
                .sendJsonObject(new JsonObject().put("disabled", true)));
    assertThat(disable.statusCode()).isEqualTo(409);
    HttpResponse<Buffer> demote =
        await(
            basic(request(HttpMethod.PATCH, "/api/v1/users/root"), "root")
                .sendJsonObject(new JsonObject().put("roles", new JsonArray().add("analyst"))));
    assertThat(demote.statusCode()).isEqualTo(409);
    assertThat(users.find("root").orElseThrow().roles()).contains(Role.ADMIN);
  }

  @Test
  void tokenActsAsItsOwnerWithTheOwnersCurrentRoles() throws Exception {
    HttpResponse<Buffer> created =
        await(
            basic(post("/api/v1/tokens"), "ana")
                .sendJsonObject(
                    new JsonObject().put("name", "nightly export").put("expiresInDays", 7)));
    assertThat(created.statusCode()).isEqualTo(201);
    String token = created.bodyAsJsonObject().getString("token");
    assertThat(token).startsWith("vgl_").hasSize(4 + 43);
    assertThat(tokens.list("ana").get(0).tokenHash()).isEqualTo(ApiToken.hash(token));

    HttpResponse<Buffer> me = await(bearer(get("/api/v1/session"), token).send());
    assertThat(me.bodyAsJsonObject().getString("username")).isEqualTo("ana");
    assertThat(me.bodyAsJsonObject().getJsonArray("agencies")).containsExactly("agency-north");
    assertThat(await(bearer(get("/api/v1/users"), token).send()).statusCode()).isEqualTo(403);

    users.save(users.find("ana").orElseThrow().withRoles(Set.of(Role.ADMIN)));
    assertThat(await(bearer(get("/api/v1/users"), token).send()).statusCode())
        .as("roles are read at each request")
        .isEqualTo(200);

    HttpResponse<Buffer> listed = await(basic(get("/api/v1/tokens"), "ana").send());
    JsonObject listedToken = listed.bodyAsJsonObject().getJsonArray("tokens").getJsonObject(0);
    assertThat(listedToken.getString("name")).isEqualTo("nightly export");
    assertThat(listedToken.getString("lastUsed")).isNotNull();
    assertThat(listed.bodyAsString()).doesNotContain(token);
    assertThat(audit.events()).anyMatch(e -> e.action().equals("token.create"));
  }

  @Test
  void expiredRevokedAndUnknownTokensAreUnauthorized() throws Exception {
    String expired = ApiToken.generateSecret();
    Instant past = Instant.now().minus(Duration.ofDays(10));
    tokens.save(
        new ApiToken(
            "old",
            "old",
            "ana",
            ApiToken.hash(expired),
            past,
            past.plus(Duration.ofDays(1)),
            null));
    assertThat(await(bearer(get("/api/v1/session"), expired).send()).statusCode()).isEqualTo(401);
    assertThat(await(bearer(get("/api/v1/session"), ApiToken.generateSecret()).send()).statusCode())
        .isEqualTo(401);
    assertThat(await(bearer(get("/api/v1/session"), "not-a-token").send()).statusCode())
        .isEqualTo(401);

    JsonObject created =
        await(
                basic(post("/api/v1/tokens"), "ana")
                    .sendJsonObject(new JsonObject().put("name", "t")))
            .bodyAsJsonObject();
    String id = created.getString("id");
    assertThat(
            await(basic(request(HttpMethod.DELETE, "/api/v1/tokens/" + id), "aud").send())
                .statusCode())
        .as("someone else's token")
        .isEqualTo(404);
    assertThat(
            await(basic(request(HttpMethod.DELETE, "/api/v1/tokens/" + id), "ana").send())
                .statusCode())
        .isEqualTo(204);
    assertThat(
            await(bearer(get("/api/v1/session"), created.getString("token")).send()).statusCode())
        .isEqualTo(401);
    assertThat(audit.events())
        .anyMatch(e -> e.action().equals("token.revoke") && e.target().equals(id));
  }

  @Test
  void ownPasswordChangeNeedsTheCurrentPassword() throws Exception {
    HttpResponse<Buffer> wrong =
        await(
            basic(post("/api/v1/session/password"), "ana")
                .sendJsonObject(
                    new JsonObject().put("current", "nope").put("new", "a brand new passphrase")));
    assertThat(wrong.statusCode()).isEqualTo(400);
    HttpResponse<Buffer> changed =
        await(
            basic(post("/api/v1/session/password"), "ana")
                .sendJsonObject(
                    new JsonObject()
                        .put("current", PASSWORD)
                        .put("new", "a brand new passphrase")));
    assertThat(changed.statusCode()).isEqualTo(204);
    assertThat(login("ana", "a brand new passphrase").statusCode()).isEqualTo(200);
    assertThat(login("ana", PASSWORD).statusCode()).isEqualTo(401);
    assertThat(audit.events()).anyMatch(e -> e.action().equals("user.password"));
  }

  @Test
  void auditorsVerifyTheChainAndSeeTheTamperedRecord() throws Exception {
    login("ana", PASSWORD);
    login("ana", "wrong");
    assertThat(await(basic(get("/api/v1/audit/verify"), "ana").send()).statusCode()).isEqualTo(403);
    assertThat(await(basic(get("/api/v1/audit"), "rad").send()).statusCode()).isEqualTo(403);

    JsonObject intact = await(basic(get("/api/v1/audit/verify"), "aud").send()).bodyAsJsonObject();
    assertThat(intact.getBoolean("valid")).isTrue();
    assertThat(intact.getLong("records")).isEqualTo(2);
    assertThat(intact.getString("head")).hasSize(64);
    assertThat(intact.getString("message")).isEqualTo("chain intact: 2 records");
    assertThat(audit.events().get(2).action()).as("verify is audited").isEqualTo("audit.verify");

    audit.tamper(2, "actor", "someone-else");
    JsonObject broken = await(basic(get("/api/v1/audit/verify"), "root").send()).bodyAsJsonObject();
    assertThat(broken.getBoolean("valid")).isFalse();
    assertThat(broken.getJsonObject("firstBroken").getLong("seq")).isEqualTo(2);
    assertThat(broken.getString("message")).startsWith("chain broken at record 2: ");
  }

  @Test
  void auditListFiltersByActionNewestFirst() throws Exception {
    login("ana", PASSWORD);
    login("aud", PASSWORD);
    login("ana", "wrong");
    JsonObject page =
        await(basic(get("/api/v1/audit?action=user.login&size=10"), "aud").send())
            .bodyAsJsonObject();
    assertThat(page.getLong("total")).isEqualTo(2);
    JsonArray records = page.getJsonArray("records");
    assertThat(records.getJsonObject(0).getString("actor")).isEqualTo("aud");
    assertThat(records.getJsonObject(0).getLong("seq")).isEqualTo(2);
    assertThat(records.getJsonObject(0).getString("prevHash"))
        .isEqualTo(records.getJsonObject(1).getString("hash"));
    assertThat(records.getJsonObject(0).getString("clientAddress")).isEqualTo("127.0.0.1");
    assertThat(await(basic(get("/api/v1/audit?size=5000"), "aud").send()).statusCode())
        .isEqualTo(400);
  }

  private HttpResponse<Buffer> login(String username, String password) throws Exception {
    return await(
        post("/api/v1/session")
            .sendJsonObject(new JsonObject().put("username", username).put("password", password)));
  }

  private Browser browser(String username) throws Exception {
    HttpResponse<Buffer> login = login(username, PASSWORD);
    assertThat(login.statusCode()).isEqualTo(200);
    String setCookie =
        login.cookies().stream()
            .filter(c -> c.startsWith(DashboardServer.SESSION_COOKIE + "="))
            .findFirst()
            .orElseThrow();
    return new Browser(
        setCookie.substring(0, setCookie.indexOf(';')),
        login.bodyAsJsonObject().getString("csrfToken"));
  }

  private static JsonObject user(JsonObject list, String username) {
    return list.getJsonArray("users").stream()
        .map(JsonObject.class::cast)
        .filter(u -> u.getString("username").equals(username))
        .findFirst()
        .orElseThrow();
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.request(method, server.actualPort(), "127.0.0.1", path);
  }

  private HttpRequest<Buffer> get(String path) {
    return request(HttpMethod.GET, path);
  }

  private HttpRequest<Buffer> post(String path) {
    return request(HttpMethod.POST, path);
  }

  private static HttpRequest<Buffer> basic(HttpRequest<Buffer> request, String username) {
    return request.basicAuthentication(username, PASSWORD);
  }

  private static HttpRequest<Buffer> bearer(HttpRequest<Buffer> request, String token) {
    return request.putHeader("Authorization", "Bearer " + token);
  }
}
