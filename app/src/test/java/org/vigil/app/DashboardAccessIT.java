package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.vigil.dashboards.AdminBootstrap;
import org.vigil.dashboards.DashboardBackends;
import org.vigil.dashboards.DashboardConfig;
import org.vigil.dashboards.DashboardServer;
import org.vigil.dashboards.ElasticsearchAuditTrail;
import org.vigil.dashboards.HealthSources;
import org.vigil.dashboards.PasswordHasher;
import picocli.CommandLine;

/**
 * Users, tokens and the audit chain against the real Elasticsearch, with the stores wired as
 * AllInOne wires them and the {@code vigil users} command writing to the same indices. The tests
 * share one trail, so they run in order: the last ones tamper with it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardAccessIT {
  private static final String ADMIN_PASSWORD = "admin passphrase for the IT";
  private static final String PASSWORD = "analyst passphrase 1";

  private static ScratchElasticsearch es;
  private static Vertx vertx;
  private static DashboardServer dashboard;
  private static WebClient web;

  @BeforeAll
  static void start() throws Exception {
    es = ScratchElasticsearch.start("vigil-access-it");
    ElasticsearchClient client = es.client();
    // Kafka is not started: the rules API is not under test here.
    DashboardBackends backends =
        DashboardStores.open(
            client, "127.0.0.1:1", new HealthSources(null, null, null, null), Clock.systemUTC());
    new AdminBootstrap(backends.users(), new PasswordHasher()).ensureAdmin(ADMIN_PASSWORD);
    vertx = Vertx.vertx();
    dashboard =
        await(
            DashboardServer.deploy(
                vertx, DashboardConfig.defaults().withHost("127.0.0.1").withPort(0), backends));
    web = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
    if (es != null) {
      es.close();
    }
  }

  @Test
  @Order(1)
  void adminManagesUsersAndTheirTokensThroughTheApi() throws Exception {
    HttpResponse<Buffer> added =
        await(
            admin(request(HttpMethod.POST, "/api/v1/users"))
                .sendJsonObject(
                    new JsonObject()
                        .put("username", "ana")
                        .put("password", PASSWORD)
                        .put("roles", new JsonArray().add("analyst"))
                        .put("agencies", new JsonArray().add("agency-north"))));
    assertThat(added.statusCode()).isEqualTo(201);

    HttpResponse<Buffer> login =
        await(
            request(HttpMethod.POST, "/api/v1/session")
                .sendJsonObject(new JsonObject().put("username", "ana").put("password", PASSWORD)));
    assertThat(login.statusCode()).isEqualTo(200);
    String csrf = login.bodyAsJsonObject().getString("csrfToken");
    String setCookie = login.cookies().get(0);
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    assertThat(
            await(request(HttpMethod.GET, "/api/v1/users").putHeader("Cookie", cookie).send())
                .statusCode())
        .as("an analyst cannot manage users")
        .isEqualTo(403);

    HttpResponse<Buffer> created =
        await(
            request(HttpMethod.POST, "/api/v1/tokens")
                .putHeader("Cookie", cookie)
                .putHeader("X-CSRF-Token", csrf)
                .sendJsonObject(new JsonObject().put("name", "nightly")));
    assertThat(created.statusCode()).isEqualTo(201);
    String token = created.bodyAsJsonObject().getString("token");
    String tokenId = created.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> asToken = await(bearer(request(HttpMethod.GET, "/api/v1/session"), token));
    assertThat(asToken.statusCode()).isEqualTo(200);
    assertThat(asToken.bodyAsJsonObject().getString("username")).isEqualTo("ana");
    // The last use is recorded without a refresh: listing (a search) sees it a moment later.
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonArray listed =
                  await(admin(request(HttpMethod.GET, "/api/v1/tokens")).send())
                      .bodyAsJsonObject()
                      .getJsonArray("tokens");
              assertThat(listed.size()).isEqualTo(1);
              assertThat(listed.getJsonObject(0).getString("lastUsed")).isNotNull();
              assertThat(listed.encode()).doesNotContain(token);
            });

    patch("ana", new JsonObject().put("disabled", true));
    assertThat(await(bearer(request(HttpMethod.GET, "/api/v1/session"), token)).statusCode())
        .isEqualTo(401);
    assertThat(
            await(request(HttpMethod.GET, "/api/v1/session").putHeader("Cookie", cookie).send())
                .statusCode())
        .isEqualTo(401);
    patch("ana", new JsonObject().put("disabled", false));
    assertThat(await(bearer(request(HttpMethod.GET, "/api/v1/session"), token)).statusCode())
        .isEqualTo(200);

    HttpResponse<Buffer> revoked =
        await(admin(request(HttpMethod.DELETE, "/api/v1/tokens/" + tokenId)).send());
    assertThat(revoked.statusCode()).isEqualTo(204);
    assertThat(await(bearer(request(HttpMethod.GET, "/api/v1/session"), token)).statusCode())
        .isEqualTo(401);
  }

  @Test
  @Order(2)
  void usersCommandWritesTheSameStoreAndTrail() throws Exception {
    String url = "--elasticsearch=" + es.url();
    assertThat(
            cli(
                "clio passphrase 12\n",
                "users",
                "add",
                "clio",
                "--role",
                "auditor",
                url,
                "--password-stdin"))
        .isZero();
    assertThat(login("clio", "clio passphrase 12")).isEqualTo(200);
    assertThat(cli("", "users", "disable", "clio", url)).isZero();
    assertThat(login("clio", "clio passphrase 12")).isEqualTo(401);
    StringWriter out = new StringWriter();
    assertThat(cli(out, "", "users", "list", url)).isZero();
    assertThat(out.toString()).contains("clio").contains("disabled").contains("admin");
    assertThat(cli("", "users", "enable", "clio", url)).isZero();
    assertThat(cli("short\n", "users", "passwd", "clio", url, "--password-stdin"))
        .as("too short a password")
        .isEqualTo(2);
    assertThat(cli("clio passphrase 13\n", "users", "passwd", "clio", url, "--password-stdin"))
        .isZero();
    assertThat(login("clio", "clio passphrase 13")).isEqualTo(200);

    JsonArray records =
        await(
                admin(
                        request(
                            HttpMethod.GET,
                            "/api/v1/audit?actor=cli:" + System.getProperty("user.name")))
                    .send())
            .bodyAsJsonObject()
            .getJsonArray("records");
    assertThat(records.stream().map(r -> ((JsonObject) r).getString("action")))
        .containsExactly("user.password", "user.change", "user.disable", "user.add");
  }

  @Test
  @Order(3)
  void verifyProvesTheChainThenNamesATamperedAndADeletedRecord() throws Exception {
    JsonObject intact = verify();
    assertThat(intact.getBoolean("valid")).as(intact.encode()).isTrue();
    long records = intact.getLong("records");
    // Test 1 wrote 6 records and test 2 seven, the CLI's among them.
    assertThat(records).isGreaterThanOrEqualTo(13);
    JsonArray logins =
        await(admin(request(HttpMethod.GET, "/api/v1/audit?action=user.login")).send())
            .bodyAsJsonObject()
            .getJsonArray("records");
    assertThat(logins).isNotEmpty();

    ElasticsearchClient client = es.client();
    Map<String, Object> original =
        client.get(g -> g.index(ElasticsearchAuditTrail.INDEX).id("3"), AuditSource.class).source();
    client.update(
        u ->
            u.index(ElasticsearchAuditTrail.INDEX)
                .id("3")
                .doc(Map.of("actor", "mallory"))
                .refresh(Refresh.True),
        AuditSource.class);
    JsonObject tampered = verify();
    assertThat(tampered.getBoolean("valid")).isFalse();
    assertThat(tampered.getJsonObject("firstBroken").getLong("seq")).isEqualTo(3);
    assertThat(tampered.getString("message")).startsWith("chain broken at record 3: ");

    client.update(
        u ->
            u.index(ElasticsearchAuditTrail.INDEX)
                .id("3")
                .doc(Map.of("actor", original.get("actor")))
                .refresh(Refresh.True),
        AuditSource.class);
    assertThat(verify().getBoolean("valid")).as("restored").isTrue();

    client.delete(d -> d.index(ElasticsearchAuditTrail.INDEX).id("7").refresh(Refresh.True));
    JsonObject gap = verify();
    assertThat(gap.getBoolean("valid")).isFalse();
    assertThat(gap.getJsonObject("firstBroken").getLong("seq")).isEqualTo(7);
    assertThat(gap.getJsonObject("firstBroken").getString("reason"))
        .contains("record 7 is missing");
  }

  private static JsonObject verify() throws Exception {
    HttpResponse<Buffer> response =
        await(admin(request(HttpMethod.GET, "/api/v1/audit/verify")).send());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static void patch(String username, JsonObject change) throws Exception {
    HttpResponse<Buffer> response =
        await(admin(request(HttpMethod.PATCH, "/api/v1/users/" + username)).sendJsonObject(change));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
  }

  private static int login(String username, String password) throws Exception {
    return await(
            request(HttpMethod.POST, "/api/v1/session")
                .sendJsonObject(
                    new JsonObject().put("username", username).put("password", password)))
        .statusCode();
  }

  private static int cli(String stdin, String... args) {
    return cli(new StringWriter(), stdin, args);
  }

  /** Runs {@code vigil} in this JVM with {@code stdin} as standard input. */
  private static synchronized int cli(StringWriter out, String stdin, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      CommandLine cl = Vigil.commandLine();
      cl.setOut(new PrintWriter(out, true));
      StringWriter err = new StringWriter();
      cl.setErr(new PrintWriter(err, true));
      int code = cl.execute(args);
      if (code != 0) {
        System.err.println("vigil " + List.of(args) + ": " + err);
      }
      return code;
    } finally {
      System.setIn(saved);
    }
  }

  private static HttpRequest<Buffer> request(HttpMethod method, String path) {
    return web.request(method, dashboard.actualPort(), "127.0.0.1", path);
  }

  private static HttpRequest<Buffer> admin(HttpRequest<Buffer> request) {
    return request.basicAuthentication(AdminBootstrap.ADMIN, ADMIN_PASSWORD);
  }

  private static Future<HttpResponse<Buffer>> bearer(HttpRequest<Buffer> request, String token) {
    return request.putHeader("Authorization", "Bearer " + token).send();
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** A record's {@code _source}: a typed map so the client's JSON mapper can build it. */
  static final class AuditSource extends java.util.LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;
  }
}
