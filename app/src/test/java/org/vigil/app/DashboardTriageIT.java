package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.GetResponse;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.dashboards.DashboardBackends;
import org.vigil.dashboards.DashboardConfig;
import org.vigil.dashboards.DashboardServer;
import org.vigil.dashboards.HealthSources;
import org.vigil.dashboards.PasswordHasher;
import org.vigil.dashboards.Role;
import org.vigil.dashboards.User;
import org.vigil.dashboards.UserStore;
import org.vigil.elasticsearch.IndexTemplates;
import org.vigil.elasticsearch.Indices;
import org.vigil.model.Alert;
import org.vigil.model.AlertStatus;
import org.vigil.model.Documents;
import org.vigil.model.Event;
import org.vigil.model.Severity;

/** The triage API against the real Elasticsearch server: queue, detail, workflow, live stream. */
class DashboardTriageIT {
  private static final String PASSWORD = "triage-it-pass";
  private static final long NOW = System.currentTimeMillis();

  /** Keeps a queue query to the alerts indexed at setup, not those the stream test adds. */
  private static final String SETUP = "&to=" + Documents.isoTime(NOW);

  private static ScratchElasticsearch es;
  private static ElasticsearchClient client;
  private static Vertx vertx;
  private static DashboardServer dashboard;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private static Alert northSsh;
  private static Alert northScan;
  private static Alert southSsh;

  @BeforeAll
  static void start() throws Exception {
    es = ScratchElasticsearch.start("vigil-dash-triage-it");
    client = es.client();
    IndexTemplates.install(client);

    // Kafka is not started: the rules API is not under test here.
    DashboardBackends backends =
        DashboardStores.open(
            client, "127.0.0.1:1", new HealthSources(null, null, null, null), Clock.systemUTC());
    UserStore users = backends.users();
    String hash = new PasswordHasher().hash(PASSWORD);
    users.save(new User("ana", hash, Set.of(Role.ANALYST), List.of()));
    users.save(new User("north", hash, Set.of(Role.ANALYST), List.of("agency-north")));
    users.save(new User("aud", hash, Set.of(Role.AUDITOR), List.of()));

    index(
        new Event("it-e1", NOW - 120_000)
            .put("message", "Failed password for root from 203.0.113.9")
            .put("source.ip", "203.0.113.9")
            .put("organization.id", "agency-north")
            .put("vigil.asset.name", "mail-gw")
            .put("vigil.asset.criticality", "high")
            .put("threat.enrichments.matched.atomic", "203.0.113.9")
            .put("threat.enrichments.indicator.provider", "blocklist.txt"));
    index(
        new Event("it-e2", NOW - 110_000)
            .put("message", "Failed password for admin from 203.0.113.9")
            .put("source.ip", "203.0.113.9")
            .put("organization.id", "agency-north"));
    index(
        new Event("it-e3", NOW - 100_000)
            .put("message", "Failed password for root from 198.51.100.4")
            .put("organization.id", "agency-south"));
    northSsh =
        alert(
            "ssh-brute",
            "203.0.113.9",
            "agency-north",
            Severity.HIGH,
            NOW - 90_000,
            "it-e1",
            "it-e2");
    northScan =
        alert("port-scan", "203.0.113.9", "agency-north", Severity.LOW, NOW - 80_000, "it-e2");
    southSsh =
        alert(
            "ssh-brute", "198.51.100.4", "agency-south", Severity.CRITICAL, NOW - 70_000, "it-e3");
    for (Alert a : List.of(northSsh, northScan, southSsh)) {
      index(a);
    }

    vertx = Vertx.vertx();
    dashboard =
        DashboardServer.deploy(
                vertx, DashboardConfig.defaults().withHost("127.0.0.1").withPort(0), backends)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (es != null) {
      es.close();
    }
  }

  @Test
  void queueFiltersSortsAndKeepsOtherAgenciesOut() throws Exception {
    assertThat(ids(get("ana", "/api/v1/alerts?severity=high,critical" + SETUP)))
        .containsExactly(southSsh.id(), northSsh.id());
    assertThat(ids(get("ana", "/api/v1/alerts?event.id=it-e2&sort=severity&order=asc" + SETUP)))
        .containsExactly(northScan.id(), northSsh.id());
    assertThat(ids(get("ana", "/api/v1/alerts?organization.id=agency-south" + SETUP)))
        .containsExactly(southSsh.id());
    assertThat(ids(get("north", "/api/v1/alerts?organization.id=agency-south" + SETUP))).isEmpty();
    assertThat(ids(get("north", "/api/v1/alerts?rule.id=ssh-brute" + SETUP)))
        .containsExactly(northSsh.id());
    assertThat(
            ids(get("ana", "/api/v1/alerts?from=" + Documents.isoTime(NOW - 85_000) + "&to=now")))
        .contains(northScan.id(), southSsh.id())
        .doesNotContain(northSsh.id());
    JsonObject page = new JsonObject(get("ana", "/api/v1/alerts?offset=1&size=1").body());
    assertThat(page.getInteger("offset")).isEqualTo(1);
    assertThat(page.getJsonArray("alerts")).hasSize(1);
    assertThat(get("ana", "/api/v1/alerts?offset=9999&size=2").statusCode()).isEqualTo(400);
  }

  @Test
  void detailBringsEvidenceFromTheEventIndicesAndHidesOtherAgencies() throws Exception {
    HttpResponse<String> response = get("north", "/api/v1/alerts/" + northSsh.id());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getJsonArray("evidence").stream().map(e -> ((JsonObject) e).getString("id")))
        .containsExactly("it-e1", "it-e2");
    assertThat(body.getJsonObject("enrichment").getString("asset")).isEqualTo("mail-gw");
    assertThat(
            body.getJsonObject("enrichment")
                .getJsonArray("intel")
                .getJsonObject(0)
                .getString("feed"))
        .isEqualTo("blocklist.txt");
    assertThat(body.getJsonArray("related").stream().map(r -> ((JsonObject) r).getString("id")))
        .containsExactly(northScan.id());
    assertThat(get("north", "/api/v1/alerts/" + southSsh.id()).statusCode()).isEqualTo(404);
  }

  @Test
  void workflowWritesTheAlertAndConcurrentChangesAreBothKept() throws Exception {
    String base = "/api/v1/alerts/" + northScan.id();
    assertThat(
            post("aud", base + "/status", new JsonObject().put("status", "acknowledged"))
                .statusCode())
        .isEqualTo(403);
    // Two analysts at once: one acknowledges, one assigns. Each write is guarded by the
    // version it read; the loser re-reads and writes on top, so neither change is lost.
    CompletableFuture<HttpResponse<String>> ack =
        postAsync("ana", base + "/status", new JsonObject().put("status", "acknowledged"));
    CompletableFuture<HttpResponse<String>> assign =
        postAsync("north", base + "/assign", new JsonObject().put("assignee", "north"));
    assertThat(ack.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(assign.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    Map<String, Object> triage = triageFields(northScan.id());
    assertThat(triage).containsEntry("status", "acknowledged").containsEntry("assignee", "north");

    HttpResponse<String> close =
        post(
            "ana",
            base + "/status",
            new JsonObject()
                .put("status", "closed")
                .put("resolution", "true_positive")
                .put("reason", "scan preceded the brute force"));
    assertThat(close.statusCode()).as(close.body()).isEqualTo(200);
    assertThat(
            post("ana", base + "/status", new JsonObject().put("status", "acknowledged"))
                .statusCode())
        .isEqualTo(409);
    assertThat(post("ana", base + "/assign", new JsonObject().putNull("assignee")).statusCode())
        .isEqualTo(200);
    assertThat(
            post("ana", base + "/comments", new JsonObject().put("text", "reported to CERT"))
                .statusCode())
        .isEqualTo(201);
    triage = triageFields(northScan.id());
    assertThat(triage)
        .containsEntry("status", "closed")
        .containsEntry("resolution", "true_positive");
    assertThat(triage.get("assignee")).isNull();

    JsonObject detail = new JsonObject(get("ana", base).body());
    assertThat(
            detail.getJsonArray("history").stream().map(h -> ((JsonObject) h).getString("action")))
        .containsExactlyInAnyOrder("status", "assign", "status", "assign");
    assertThat(detail.getJsonArray("comments").getJsonObject(0).getString("text"))
        .isEqualTo("reported to CERT");
    assertThat(detail.getJsonObject("alert").getString("status")).isEqualTo("closed");
  }

  @Test
  void streamDeliversANewlyIndexedAlertInScope() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpRequest request =
        HttpRequest.newBuilder(uri("/api/v1/alerts/stream"))
            .header("Authorization", basic("north"))
            .GET()
            .build();
    CompletableFuture<HttpResponse<Stream<String>>> response =
        HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> open = response.get(10, TimeUnit.SECONDS);
    assertThat(open.statusCode()).isEqualTo(200);
    Thread reader = new Thread(() -> open.body().forEach(lines::add), "sse-reader");
    reader.setDaemon(true);
    reader.start();
    Thread.sleep(3_000); // the first poll learns what exists; only later alerts are news
    long t = System.currentTimeMillis();
    Alert fresh = alert("ssh-brute", "192.0.2.77", "agency-north", Severity.HIGH, t, "it-e1");
    Alert hidden = alert("ssh-brute", "192.0.2.78", "agency-south", Severity.HIGH, t, "it-e3");
    index(hidden);
    index(fresh);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> lines.stream().anyMatch(l -> l.equals("id: " + fresh.id())));
    assertThat(lines).anyMatch(l -> l.startsWith("data: {") && l.contains(fresh.id()));
    assertThat(lines).noneMatch(l -> l.contains(hidden.id()));
    open.body().close();
  }

  private static Alert alert(
      String ruleId, String ip, String org, Severity severity, long detected, String... evidence) {
    Map<String, String> group = Map.of("source.ip", ip);
    return new Alert(
        Alert.idFor("it", ruleId, group, detected),
        ruleId,
        "Rule " + ruleId,
        1,
        "it",
        "an IT rule",
        severity,
        "T1110",
        group,
        evidence.length,
        detected - 30_000,
        detected,
        List.of(evidence),
        org,
        AlertStatus.NEW,
        null,
        null,
        detected - 2_000,
        detected - 1_000,
        detected,
        "failed logins from " + ip);
  }

  private static void index(Alert alert) throws IOException {
    client.index(
        i ->
            i.index(Indices.ALERTS)
                .id(alert.id())
                .document(alert.toDocument())
                .refresh(Refresh.True));
  }

  private static void index(Event event) throws IOException {
    client.index(
        i ->
            i.index(Indices.events(event.getTimestamp()))
                .id(event.getId())
                .document(event.toDocument())
                .refresh(Refresh.True));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Map<String, Object> triageFields(String id) throws IOException {
    GetResponse<Map> doc = client.get(g -> g.index(Indices.ALERTS).id(id), Map.class);
    return (Map<String, Object>) ((Map<String, Object>) doc.source().get("vigil")).get("alert");
  }

  private static List<String> ids(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonArray alerts = new JsonObject(response.body()).getJsonArray("alerts");
    return alerts.stream().map(a -> ((JsonObject) a).getString("id")).toList();
  }

  private static HttpResponse<String> get(String user, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(path)).header("Authorization", basic(user)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String user, String path, JsonObject body)
      throws Exception {
    return postAsync(user, path, body).get(30, TimeUnit.SECONDS);
  }

  private static CompletableFuture<HttpResponse<String>> postAsync(
      String user, String path, JsonObject body) {
    return HTTP.sendAsync(
        HttpRequest.newBuilder(uri(path))
            .header("Authorization", basic(user))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + dashboard.actualPort() + path);
  }

  private static String basic(String user) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  }
}
