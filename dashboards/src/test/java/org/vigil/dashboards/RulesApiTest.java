package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RulesApiTest {
  private static final String DRL =
      """
      package org.vigil.rules.test;

      import java.util.List;
      import org.vigil.model.Event;

      global org.vigil.rules.engine.Detections detections;

      rule "Three failed logins"
        @id("test-three-failures")
        @severity("medium")
        @technique("T1110")
        @groupBy("source.ip")
        @window("60s")
        @category("authentication")
        @description("Three failed logins from one source within a minute.")
      when
        $t : Event( outcome == "failure", $ip : sourceIp != null )
        $f : List( size >= 3 ) from collect(
            Event( outcome == "failure", sourceIp == $ip, this before[0s, 60s] $t ) )
      then
        detections.raise( $f );
      end
      """;
  private static String hash;

  private final InMemoryUserStore users = new InMemoryUserStore();
  private final InMemoryAuditTrail audit = new InMemoryAuditTrail();
  private final InMemoryRuleReleaseStore releases = new InMemoryRuleReleaseStore();
  private WebClient client;
  private DashboardServer server;

  @BeforeAll
  static void hashOnce() {
    hash = new PasswordHasher().hash("pass-word-1");
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    users.save(new User("ana", hash, Set.of(Role.ANALYST), List.of()));
    users.save(new User("rita", hash, Set.of(Role.RULE_ADMIN), List.of()));
    server =
        await(
            DashboardServer.deploy(
                vertx,
                DashboardConfig.defaults().withHost("127.0.0.1").withPort(0),
                TestBackends.of(users).audit(audit).rules(releases).build()));
    client = WebClient.create(vertx);
  }

  @Test
  void anAnalystCannotDeployRules() throws Exception {
    HttpResponse<Buffer> response =
        await(as("ana", post("/api/v1/rules/releases")).sendJsonObject(deploy(DRL)));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(releases.history("vigil")).isEmpty();
    assertThat(audit.events()).isEmpty();
  }

  @Test
  void aRuleAdminDeploysTheNextVersionAndTheDeployIsAudited() throws Exception {
    HttpResponse<Buffer> response =
        await(as("rita", post("/api/v1/rules/releases")).sendJsonObject(deploy(DRL)));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(response.bodyAsJsonObject().getInteger("version")).isEqualTo(1);
    assertThat(releases.history("vigil"))
        .singleElement()
        .satisfies(r -> assertThat(r.deployedBy()).isEqualTo("rita"));
    assertThat(audit.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.action()).isEqualTo("rules.deploy");
              assertThat(e.actor()).isEqualTo("rita");
              assertThat(e.target()).isEqualTo("vigil@1");
            });

    HttpResponse<Buffer> live = await(as("ana", get("/api/v1/rules")).send());
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.bodyAsJsonObject().getInteger("version")).isEqualTo(1);
    assertThat(live.bodyAsJsonObject().getJsonArray("rules").getJsonObject(0).getString("id"))
        .isEqualTo("test-three-failures");
  }

  @Test
  void aBrokenRuleIsRefusedWithItsLineAndNothingIsPublished() throws Exception {
    HttpResponse<Buffer> response =
        await(
            as("rita", post("/api/v1/rules/releases"))
                .sendJsonObject(deploy(DRL.replace("then", "thenn"))));
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.bodyAsJsonObject().getJsonArray("problems").encode()).contains("test.drl:");
    assertThat(releases.history("vigil")).isEmpty();
    assertThat(audit.events()).isEmpty();
  }

  @Test
  void withoutReleasesTheShippedRulesAreListed() throws Exception {
    HttpResponse<Buffer> response = await(as("ana", get("/api/v1/rules")).send());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getInteger("version")).isZero();
    assertThat(response.bodyAsJsonObject().getJsonArray("rules").encode())
        .contains("auth-brute-force");
  }

  @Test
  void validateReportsWithoutPublishing() throws Exception {
    HttpResponse<Buffer> response =
        await(as("rita", post("/api/v1/rules/validate")).sendJsonObject(deploy(DRL)));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getBoolean("valid")).isTrue();
    assertThat(releases.history("vigil")).isEmpty();
  }

  private static JsonObject deploy(String drl) {
    return new JsonObject().put("note", "test").put("files", new JsonObject().put("test.drl", drl));
  }

  private HttpRequest<Buffer> get(String path) {
    return client.get(server.actualPort(), "127.0.0.1", path);
  }

  private HttpRequest<Buffer> post(String path) {
    return client.post(server.actualPort(), "127.0.0.1", path);
  }

  private static HttpRequest<Buffer> as(String user, HttpRequest<Buffer> request) {
    return request.basicAuthentication(user, "pass-word-1");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
