package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigil.dashboards.TestAlerts.T0;
import static org.vigil.dashboards.TestAlerts.alert;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vigil.model.Severity;

@ExtendWith(VertxExtension.class)
class DashboardServerTest {
  private static final PasswordHasher HASHER = new PasswordHasher();
  private static String analystHash;
  private static String otherHash;

  private final InMemoryUserStore users = new InMemoryUserStore();
  private final InMemoryAlertStore alerts = new InMemoryAlertStore();
  private WebClient client;
  private DashboardServer server;

  @BeforeAll
  static void hashOnce() {
    analystHash = HASHER.hash("s3cret-analyst");
    otherHash = HASHER.hash("s3cret-other");
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    users.save(new User("ana", analystHash, Set.of(Role.ANALYST), List.of()));
    users.save(new User("nobody", otherHash, Set.of(), List.of()));
    users.save(new User("north", otherHash, Set.of(Role.ANALYST), List.of("agency-north")));
    users.save(new User("root", otherHash, Set.of(Role.ADMIN), List.of("agency-north")));
    alerts.add(alert("ssh-brute", "203.0.113.9", "agency-north", Severity.HIGH, T0));
    alerts.add(alert("ssh-brute", "203.0.113.10", "agency-south", Severity.LOW, T0 + 20_000));
    alerts.add(alert("port-scan", "198.51.100.7", "agency-north", Severity.CRITICAL, T0 + 10_000));
    server =
        await(
            DashboardServer.deploy(
                vertx,
                DashboardConfig.defaults().withHost("127.0.0.1").withPort(0),
                TestBackends.of(users).alerts(alerts).build()));
    client = WebClient.create(vertx);
  }

  @Test
  void healthAnswersWithoutCredentials() throws Exception {
    HttpResponse<Buffer> response = await(get("/api/v1/health").send());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("ok");
  }

  @Test
  void alertsWithoutCredentialsAreChallengedWithBasic() throws Exception {
    HttpResponse<Buffer> response = await(get("/api/v1/alerts").send());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Basic realm=\"vigil\"");
    assertThat(response.bodyAsJsonObject().getString("error")).isNotBlank();
    assertThat(response.cookies()).isEmpty();
  }

  @Test
  void webUiRequestsGetNoChallengeSoTheBrowserShowsNoDialog() throws Exception {
    HttpResponse<Buffer> response =
        await(get("/api/v1/alerts").putHeader("X-Requested-With", "vigil-ui").send());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).isNull();
  }

  @Test
  void wrongPasswordIsUnauthorized() throws Exception {
    HttpResponse<Buffer> response =
        await(get("/api/v1/alerts").basicAuthentication("ana", "wrong").send());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Basic realm=\"vigil\"");
  }

  @Test
  void unknownUserIsUnauthorized() throws Exception {
    HttpResponse<Buffer> response =
        await(get("/api/v1/alerts").basicAuthentication("ghost", "s3cret-analyst").send());
    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void malformedBasicHeaderIsUnauthorized() throws Exception {
    HttpResponse<Buffer> response =
        await(get("/api/v1/alerts").putHeader("Authorization", "Basic %%%not-base64").send());
    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void basicCredentialsListAlertsNewestFirst() throws Exception {
    HttpResponse<Buffer> response = await(asAnalyst(get("/api/v1/alerts")).send());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getLong("total")).isEqualTo(3);
    JsonArray list = body.getJsonArray("alerts");
    assertThat(list.stream().map(a -> ((JsonObject) a).getString("groupKey")))
        .containsExactly(
            "source.ip=203.0.113.10", "source.ip=198.51.100.7", "source.ip=203.0.113.9");
    JsonObject newest = list.getJsonObject(0);
    assertThat(newest.getString("timestamp")).isEqualTo("2026-01-01T00:00:20Z");
    assertThat(newest.getString("severity")).isEqualTo("low");
    assertThat(newest.getString("ruleName")).isEqualTo("Rule ssh-brute");
    assertThat(newest.getLong("count")).isEqualTo(3);
    assertThat(newest.getString("status")).isEqualTo("new");
    assertThat(newest.getJsonObject("group").getString("source.ip")).isEqualTo("203.0.113.10");
  }

  @Test
  void filtersAndPagingReachTheStore() throws Exception {
    HttpResponse<Buffer> bySeverity =
        await(asAnalyst(get("/api/v1/alerts?severity=critical")).send());
    assertThat(bySeverity.bodyAsJsonObject().getJsonArray("alerts").size()).isEqualTo(1);
    HttpResponse<Buffer> bySource =
        await(asAnalyst(get("/api/v1/alerts?source.ip=203.0.113.9&rule.id=ssh-brute")).send());
    assertThat(bySource.bodyAsJsonObject().getJsonArray("alerts").getJsonObject(0).getString("id"))
        .isEqualTo(alert("ssh-brute", "203.0.113.9", "agency-north", Severity.HIGH, T0).id());
    assertThat(bySource.bodyAsJsonObject().getLong("total")).isEqualTo(1);
    HttpResponse<Buffer> page = await(asAnalyst(get("/api/v1/alerts?offset=1&size=1")).send());
    JsonObject body = page.bodyAsJsonObject();
    assertThat(body.getLong("total")).isEqualTo(3);
    assertThat(body.getJsonArray("alerts").getJsonObject(0).getString("groupKey"))
        .isEqualTo("source.ip=198.51.100.7");
  }

  @Test
  void invalidQueriesAreBadRequests() throws Exception {
    for (String query :
        List.of(
            "size=501",
            "size=0",
            "offset=-1",
            "offset=9950",
            "severity=severe",
            "size=x",
            "source.ip=not-an-ip",
            "from=yesterday",
            "sort=name",
            "order=up",
            "status=open")) {
      HttpResponse<Buffer> response = await(asAnalyst(get("/api/v1/alerts?" + query)).send());
      assertThat(response.statusCode()).as(query).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getString("error")).as(query).isNotBlank();
    }
  }

  @Test
  void scriptsUsingBasicGetNoSessionCookie() throws Exception {
    HttpResponse<Buffer> response = await(asAnalyst(get("/api/v1/alerts")).send());
    assertThat(response.cookies()).noneMatch(c -> c.startsWith(DashboardServer.SESSION_COOKIE));
  }

  @Test
  void verifiedBasicCredentialsAreCachedInsteadOfHashedAgain() throws Exception {
    await(asAnalyst(get("/api/v1/alerts")).send());
    int findsAfterFirst = users.finds.get();
    HttpResponse<Buffer> second = await(asAnalyst(get("/api/v1/alerts")).send());
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(users.finds.get()).isEqualTo(findsAfterFirst);
    HttpResponse<Buffer> wrong =
        await(get("/api/v1/alerts").basicAuthentication("ana", "s3cret-analysT").send());
    assertThat(wrong.statusCode()).isEqualTo(401);
  }

  @Test
  void userWithoutDashboardRoleIsForbidden() throws Exception {
    HttpResponse<Buffer> response =
        await(get("/api/v1/alerts").basicAuthentication("nobody", "s3cret-other").send());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.bodyAsJsonObject().getString("error")).contains("analyst");
  }

  @Test
  void agencyUserSeesOnlyTheirAgenciesAlerts() throws Exception {
    HttpResponse<Buffer> response =
        await(get("/api/v1/alerts").basicAuthentication("north", "s3cret-other").send());
    JsonArray list = response.bodyAsJsonObject().getJsonArray("alerts");
    assertThat(list.stream().map(a -> ((JsonObject) a).getString("organizationId")))
        .hasSize(2)
        .allMatch("agency-north"::equals);
  }

  @Test
  void adminSeesEveryAgencyEvenWithAgenciesListed() throws Exception {
    HttpResponse<Buffer> response =
        await(get("/api/v1/alerts").basicAuthentication("root", "s3cret-other").send());
    assertThat(response.bodyAsJsonObject().getJsonArray("alerts").size()).isEqualTo(3);
  }

  @Test
  void withACertificateItServesHttpsOnlyAndMarksTheSessionCookieSecure(Vertx vertx)
      throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    DashboardServer https =
        await(
            DashboardServer.deploy(
                vertx,
                DashboardConfig.defaults()
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withTls(
                        Path.of(certificate.certificatePath()),
                        Path.of(certificate.privateKeyPath())),
                TestBackends.of(users).alerts(alerts).build()));
    WebClient tlsClient =
        WebClient.create(
            vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    HttpResponse<Buffer> login =
        await(
            tlsClient
                .post(https.actualPort(), "127.0.0.1", "/api/v1/session")
                .sendJsonObject(
                    new JsonObject().put("username", "ana").put("password", "s3cret-analyst")));
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.cookies())
        .filteredOn(c -> c.startsWith(DashboardServer.SESSION_COOKIE + "="))
        .singleElement()
        .satisfies(
            c -> assertThat(c).containsIgnoringCase("Secure").containsIgnoringCase("HttpOnly"));

    Future<HttpResponse<Buffer>> plain =
        client.get(https.actualPort(), "127.0.0.1", "/api/v1/health").send();
    assertThatThrownBy(() -> await(plain)).isNotNull();
  }

  @Test
  void halfATlsConfigurationIsRefusedNamingBothOptions() {
    assertThatThrownBy(() -> DashboardConfig.defaults().withTls(Path.of("/etc/hostname"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--dashboard-tls-cert")
        .hasMessageContaining("--dashboard-tls-key");
  }

  @Test
  void sessionLoginGivesAStrictHttpOnlyCookieUntilLogout() throws Exception {
    HttpResponse<Buffer> login =
        await(
            post("/api/v1/session")
                .sendJsonObject(
                    new JsonObject().put("username", "ana").put("password", "s3cret-analyst")));
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.bodyAsJsonObject().getString("username")).isEqualTo("ana");
    assertThat(login.bodyAsJsonObject().getJsonArray("roles")).containsExactly("analyst");
    String setCookie =
        login.cookies().stream()
            .filter(c -> c.startsWith(DashboardServer.SESSION_COOKIE + "="))
            .findFirst()
            .orElseThrow();
    assertThat(setCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    HttpResponse<Buffer> list = await(get("/api/v1/alerts").putHeader("Cookie", cookie).send());
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.bodyAsJsonObject().getJsonArray("alerts").size()).isEqualTo(3);
    HttpResponse<Buffer> me = await(get("/api/v1/session").putHeader("Cookie", cookie).send());
    assertThat(me.bodyAsJsonObject().getString("username")).isEqualTo("ana");

    HttpResponse<Buffer> logout =
        await(
            client
                .delete(port(), "127.0.0.1", "/api/v1/session")
                .putHeader("Cookie", cookie)
                .send());
    assertThat(logout.statusCode()).isEqualTo(204);
    HttpResponse<Buffer> after = await(get("/api/v1/alerts").putHeader("Cookie", cookie).send());
    assertThat(after.statusCode()).isEqualTo(401);
  }

  @Test
  void formLoginStartsASessionToo() throws Exception {
    HttpResponse<Buffer> login =
        await(
            post("/api/v1/session")
                .sendForm(
                    MultiMap.caseInsensitiveMultiMap()
                        .add("username", "ana")
                        .add("password", "s3cret-analyst")));
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.cookies()).anyMatch(c -> c.startsWith(DashboardServer.SESSION_COOKIE + "="));
  }

  @Test
  void loginWithWrongPasswordIsUnauthorizedWithoutChallenge() throws Exception {
    HttpResponse<Buffer> login =
        await(
            post("/api/v1/session")
                .sendJsonObject(new JsonObject().put("username", "ana").put("password", "nope")));
    assertThat(login.statusCode()).isEqualTo(401);
    assertThat(login.getHeader("WWW-Authenticate")).isNull();
    assertThat(login.bodyAsJsonObject().getString("error")).isEqualTo("wrong username or password");
  }

  @Test
  void loginWithoutPasswordIsABadRequest() throws Exception {
    HttpResponse<Buffer> login =
        await(post("/api/v1/session").sendJsonObject(new JsonObject().put("username", "ana")));
    assertThat(login.statusCode()).isEqualTo(400);
    HttpResponse<Buffer> garbage =
        await(
            post("/api/v1/session")
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{not json")));
    assertThat(garbage.statusCode()).isEqualTo(400);
  }

  @Test
  void sessionOfADeletedUserStopsWorking() throws Exception {
    HttpResponse<Buffer> login =
        await(
            post("/api/v1/session")
                .sendJsonObject(
                    new JsonObject().put("username", "ana").put("password", "s3cret-analyst")));
    String setCookie = login.cookies().get(0);
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    users.delete("ana");
    HttpResponse<Buffer> after = await(get("/api/v1/alerts").putHeader("Cookie", cookie).send());
    assertThat(after.statusCode()).isEqualTo(401);
  }

  @Test
  void servesTheWebUiWithSecurityHeaders() throws Exception {
    HttpResponse<Buffer> page = await(get("/").send());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("id=\"login-username\"", "id=\"view\"");
    assertThat(page.getHeader("Content-Security-Policy"))
        .contains("default-src 'self'")
        .contains("frame-ancestors 'none'");
    assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.getHeader("X-Frame-Options")).isEqualTo("DENY");
    HttpResponse<Buffer> script = await(get("/app.js").send());
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.getHeader("Content-Type")).contains("javascript");
  }

  @Test
  void unknownApiPathIsJsonNotFoundForAuthenticatedCallers() throws Exception {
    HttpResponse<Buffer> response = await(asAnalyst(get("/api/v1/nothing")).send());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getString("error")).isNotBlank();
  }

  @Test
  void storeOutageIsServiceUnavailable(Vertx vertx) throws Exception {
    AlertStore down =
        new InMemoryAlertStore() {
          @Override
          public AlertPage search(AlertQuery query) {
            throw new java.io.UncheckedIOException(new java.io.IOException("connection refused"));
          }
        };
    DashboardServer other =
        await(
            DashboardServer.deploy(
                vertx,
                DashboardConfig.defaults().withHost("127.0.0.1").withPort(0),
                TestBackends.of(users).alerts(down).build()));
    HttpResponse<Buffer> response =
        await(
            client
                .get(other.actualPort(), "127.0.0.1", "/api/v1/alerts")
                .basicAuthentication("ana", "s3cret-analyst")
                .send());
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.bodyAsJsonObject().getString("error")).contains("unavailable");
  }

  @Test
  void portInUseFailsWithAMessageNamingThePort(Vertx vertx) {
    int taken = port();
    Future<DashboardServer> second =
        DashboardServer.deploy(
            vertx,
            DashboardConfig.defaults().withHost("127.0.0.1").withPort(taken),
            TestBackends.of(users).alerts(alerts).build());
    assertThatThrownBy(() -> await(second))
        .isInstanceOf(IllegalStateException.class)
        .hasRootCauseInstanceOf(java.net.BindException.class)
        .hasMessageContaining("port " + taken)
        .hasMessageContaining("already in use")
        .hasMessageNotContaining("\n");
  }

  private int port() {
    return server.actualPort();
  }

  private HttpRequest<Buffer> get(String path) {
    return client.get(port(), "127.0.0.1", path);
  }

  private HttpRequest<Buffer> post(String path) {
    return client.post(port(), "127.0.0.1", path);
  }

  private static HttpRequest<Buffer> asAnalyst(HttpRequest<Buffer> request) {
    return request.basicAuthentication("ana", "s3cret-analyst");
  }

  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
