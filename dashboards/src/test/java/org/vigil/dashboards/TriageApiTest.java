package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.dashboards.DashboardServerTest.await;
import static org.vigil.dashboards.TestAlerts.alert;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vigil.model.Alert;
import org.vigil.model.AlertStatus;
import org.vigil.model.Event;
import org.vigil.model.Resolution;
import org.vigil.model.Severity;

@ExtendWith(VertxExtension.class)
class TriageApiTest {
  private static final String PASSWORD = "s3cret-pass";
  private static String hash;

  private final InMemoryUserStore users = new InMemoryUserStore();
  private final InMemoryAlertStore alerts = new InMemoryAlertStore();
  private final InMemoryAuditTrail audit = new InMemoryAuditTrail();
  private final InMemoryAlertActivityStore activity = new InMemoryAlertActivityStore();
  private final InMemoryEvidenceStore evidence = new InMemoryEvidenceStore();
  private final long now = System.currentTimeMillis();
  private Alert north;
  private Alert northRepeat;
  private Alert south;
  private WebClient client;
  private final List<HttpClient> streams = new java.util.ArrayList<>();
  private DashboardServer server;

  @BeforeAll
  static void hashOnce() {
    hash = new PasswordHasher().hash(PASSWORD);
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    users.save(new User("ana", hash, Set.of(Role.ANALYST), List.of()));
    users.save(new User("north", hash, Set.of(Role.ANALYST), List.of("agency-north")));
    users.save(new User("south", hash, Set.of(Role.ANALYST), List.of("agency-south")));
    users.save(new User("aud", hash, Set.of(Role.AUDITOR), List.of()));
    users.save(new User("rules", hash, Set.of(Role.RULE_ADMIN), List.of()));
    north = alert("ssh-brute", "203.0.113.9", "agency-north", Severity.HIGH, now - 60_000);
    northRepeat = alert("port-scan", "203.0.113.9", "agency-north", Severity.LOW, now - 30_000);
    south = alert("ssh-brute", "203.0.113.9", "agency-south", Severity.CRITICAL, now - 10_000);
    alerts.add(north);
    alerts.add(northRepeat);
    alerts.add(south);
    evidence.add(
        new Event("e1", now - 65_000)
            .put("message", "Failed password for root from 203.0.113.9")
            .put("organization.id", "agency-north")
            .put("vigil.asset.name", "mail-gw")
            .put("vigil.asset.owner", "IT north")
            .put("vigil.asset.criticality", "high")
            .put("threat.enrichments.matched.atomic", "203.0.113.9")
            .put("threat.enrichments.matched.field", "source.ip")
            .put("threat.enrichments.indicator.type", "ipv4-addr")
            .put("threat.enrichments.indicator.provider", "blocklist.txt"));
    evidence.add(
        new Event("e2", now - 64_000)
            .put("message", "Failed password for admin from 203.0.113.9")
            .put("organization.id", "agency-north"));
    server =
        await(
            DashboardServer.deploy(
                vertx,
                DashboardConfig.defaults().withHost("127.0.0.1").withPort(0),
                TestBackends.of(users)
                    .alerts(alerts)
                    .audit(audit)
                    .activity(activity)
                    .evidence(evidence)
                    .build()));
    client = WebClient.create(vertx);
  }

  /** An open event stream never completes: close the clients rather than wait them out. */
  @AfterEach
  void closeStreams() throws Exception {
    for (HttpClient http : streams) {
      await(http.shutdown(0, TimeUnit.SECONDS));
    }
  }

  @Test
  void workflowMovesThroughAcknowledgedAndInProgressToClosedAndRecordsHistory() throws Exception {
    assertThat(status("ana", north, "acknowledged").statusCode()).isEqualTo(200);
    assertThat(status("ana", north, "in_progress").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> closed =
        post(
            "ana",
            "/api/v1/alerts/" + north.id() + "/status",
            new JsonObject()
                .put("status", "closed")
                .put("resolution", "true_positive")
                .put("reason", "confirmed brute force from a known bad address"));
    assertThat(closed.statusCode()).isEqualTo(200);
    assertThat(closed.bodyAsJsonObject().getString("status")).isEqualTo("closed");
    assertThat(closed.bodyAsJsonObject().getString("resolution")).isEqualTo("true_positive");
    assertThat(alerts.get(north.id()).status()).isEqualTo(AlertStatus.CLOSED);
    assertThat(alerts.get(north.id()).resolution()).isEqualTo(Resolution.TRUE_POSITIVE);

    JsonArray history = detail("ana", north).bodyAsJsonObject().getJsonArray("history");
    assertThat(history.stream().map(h -> ((JsonObject) h).getString("to")))
        .containsExactly("acknowledged", "in_progress", "closed");
    assertThat(history.getJsonObject(2).getString("reason")).startsWith("confirmed");
    assertThat(history.getJsonObject(2).getString("actor")).isEqualTo("ana");
    assertThat(audit.events().stream().filter(e -> e.action().equals("alert.status")))
        .hasSize(3)
        .allMatch(e -> e.target().equals(north.id()) && e.actor().equals("ana"));
  }

  @Test
  void reopeningAClosedAlertClearsItsResolution() throws Exception {
    close("ana", north);
    assertThat(status("ana", north, "in_progress").statusCode()).isEqualTo(200);
    assertThat(alerts.get(north.id()).resolution()).isNull();
  }

  @Test
  void disallowedTransitionsAreConflicts() throws Exception {
    assertThat(status("ana", north, "in_progress").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> back = status("ana", north, "acknowledged");
    assertThat(back.statusCode()).isEqualTo(409);
    assertThat(back.bodyAsJsonObject().getString("error"))
        .contains("from in_progress to acknowledged");
    assertThat(status("ana", north, "in_progress").statusCode()).isEqualTo(409);
    assertThat(alerts.get(north.id()).status()).isEqualTo(AlertStatus.IN_PROGRESS);
  }

  @Test
  void closingNeedsAResolutionAndAReason() throws Exception {
    String path = "/api/v1/alerts/" + north.id() + "/status";
    HttpResponse<Buffer> noResolution =
        post("ana", path, new JsonObject().put("status", "closed").put("reason", "dup"));
    assertThat(noResolution.statusCode()).isEqualTo(400);
    assertThat(noResolution.bodyAsJsonObject().getString("error")).contains("resolution");
    HttpResponse<Buffer> noReason =
        post(
            "ana",
            path,
            new JsonObject()
                .put("status", "closed")
                .put("resolution", "benign")
                .put("reason", " "));
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(noReason.bodyAsJsonObject().getString("error")).contains("reason");
    HttpResponse<Buffer> badResolution =
        post(
            "ana",
            path,
            new JsonObject().put("status", "closed").put("resolution", "maybe").put("reason", "x"));
    assertThat(badResolution.statusCode()).isEqualTo(400);
    assertThat(post("ana", path, new JsonObject().put("status", "new")).statusCode())
        .isEqualTo(400);
    assertThat(alerts.get(north.id()).status()).isEqualTo(AlertStatus.NEW);
    assertThat(audit.events()).isEmpty();
  }

  @Test
  void auditorsAndRuleAdminsReadButCannotChange() throws Exception {
    for (String user : List.of("aud", "rules")) {
      assertThat(detail(user, north).statusCode()).as(user).isEqualTo(200);
      assertThat(status(user, north, "acknowledged").statusCode()).as(user).isEqualTo(403);
      assertThat(
              post(
                      user,
                      "/api/v1/alerts/" + north.id() + "/comments",
                      new JsonObject().put("text", "x"))
                  .statusCode())
          .as(user)
          .isEqualTo(403);
      assertThat(
              post(
                      user,
                      "/api/v1/alerts/bulk",
                      new JsonObject()
                          .put("ids", new JsonArray().add(north.id()))
                          .put("action", "acknowledge"))
                  .statusCode())
          .as(user)
          .isEqualTo(403);
    }
    assertThat(alerts.get(north.id()).status()).isEqualTo(AlertStatus.NEW);
  }

  @Test
  void anotherAgencysAlertIsNotFoundForEveryOperation() throws Exception {
    assertThat(detail("north", south).statusCode()).isEqualTo(404);
    assertThat(status("north", south, "acknowledged").statusCode()).isEqualTo(404);
    assertThat(
            post(
                    "north",
                    "/api/v1/alerts/" + south.id() + "/comments",
                    new JsonObject().put("text", "x"))
                .statusCode())
        .isEqualTo(404);
    assertThat(
            post(
                    "north",
                    "/api/v1/alerts/" + south.id() + "/assign",
                    new JsonObject().put("assignee", "north"))
                .statusCode())
        .isEqualTo(404);
    assertThat(alerts.get(south.id()).status()).isEqualTo(AlertStatus.NEW);
    assertThat(alerts.get(south.id()).assignee()).isNull();
  }

  @Test
  void detailShowsEvidenceTimelineEnrichmentAndRelatedInScope() throws Exception {
    post(
        "ana",
        "/api/v1/alerts/" + north.id() + "/comments",
        new JsonObject().put("text", "looking"));
    HttpResponse<Buffer> response = detail("north", north);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getJsonObject("alert").getString("id")).isEqualTo(north.id());
    assertThat(body.getJsonObject("alert").getLong("count")).isEqualTo(3);
    assertThat(body.getJsonArray("evidence").stream().map(e -> ((JsonObject) e).getString("id")))
        .containsExactly("e1", "e2");
    JsonObject enrichment = body.getJsonObject("enrichment");
    assertThat(enrichment.getString("asset")).isEqualTo("mail-gw");
    assertThat(enrichment.getString("owner")).isEqualTo("IT north");
    assertThat(enrichment.getString("criticality")).isEqualTo("high");
    assertThat(enrichment.getString("agency")).isEqualTo("agency-north");
    assertThat(enrichment.getJsonArray("intel").getJsonObject(0).getString("feed"))
        .isEqualTo("blocklist.txt");
    JsonArray timeline = body.getJsonArray("timeline");
    assertThat(timeline.stream().map(t -> ((JsonObject) t).getString("kind")))
        .containsExactly("event", "event", "detected", "comment");
    assertThat(body.getJsonArray("comments").getJsonObject(0).getString("author")).isEqualTo("ana");
    // Same source.ip: the other northern alert, never the southern one.
    assertThat(body.getJsonArray("related").stream().map(r -> ((JsonObject) r).getString("id")))
        .containsExactly(northRepeat.id());
    assertThat(audit.events())
        .anyMatch(e -> e.action().equals("alert.view") && e.actor().equals("north"));
  }

  @Test
  void withoutAuditNothingIsShownOrChanged(Vertx vertx) throws Exception {
    AuditTrail down =
        new InMemoryAuditTrail() {
          @Override
          public synchronized long append(AuditEvent event) {
            throw new java.io.UncheckedIOException(new java.io.IOException("audit index gone"));
          }
        };
    DashboardServer other =
        await(
            DashboardServer.deploy(
                vertx,
                DashboardConfig.defaults().withHost("127.0.0.1").withPort(0),
                TestBackends.of(users)
                    .alerts(alerts)
                    .audit(down)
                    .activity(activity)
                    .evidence(evidence)
                    .build()));
    HttpResponse<Buffer> view =
        await(
            client
                .get(other.actualPort(), "127.0.0.1", "/api/v1/alerts/" + north.id())
                .basicAuthentication("ana", PASSWORD)
                .send());
    assertThat(view.statusCode()).isEqualTo(503);
    assertThat(view.bodyAsJsonObject().containsKey("alert")).isFalse();
    HttpResponse<Buffer> change =
        await(
            client
                .post(other.actualPort(), "127.0.0.1", "/api/v1/alerts/" + north.id() + "/status")
                .basicAuthentication("ana", PASSWORD)
                .sendJsonObject(new JsonObject().put("status", "acknowledged")));
    assertThat(change.statusCode()).isEqualTo(503);
    assertThat(change.bodyAsJsonObject().getString("error")).contains("nothing was changed");
    assertThat(alerts.get(north.id()).status()).isEqualTo(AlertStatus.NEW);
    assertThat(activity.list(north.id())).isEmpty();
  }

  @Test
  void assignmentNeedsATriagerWhoCanSeeTheAgency() throws Exception {
    String path = "/api/v1/alerts/" + north.id() + "/assign";
    assertThat(post("ana", path, new JsonObject().put("assignee", "ghost")).statusCode())
        .isEqualTo(400);
    assertThat(post("ana", path, new JsonObject().put("assignee", "aud")).statusCode())
        .isEqualTo(400);
    HttpResponse<Buffer> wrongAgency = post("ana", path, new JsonObject().put("assignee", "south"));
    assertThat(wrongAgency.statusCode()).isEqualTo(400);
    assertThat(wrongAgency.bodyAsJsonObject().getString("error")).contains("agency-north");
    HttpResponse<Buffer> ok = post("ana", path, new JsonObject().put("assignee", "north"));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(alerts.get(north.id()).assignee()).isEqualTo("north");
    HttpResponse<Buffer> mine =
        await(
            asUser(
                    "north",
                    client.get(server.actualPort(), "127.0.0.1", "/api/v1/alerts?assignee=me"))
                .send());
    assertThat(mine.bodyAsJsonObject().getJsonArray("alerts").getJsonObject(0).getString("id"))
        .isEqualTo(north.id());
    HttpResponse<Buffer> unassign = post("ana", path, new JsonObject().putNull("assignee"));
    assertThat(unassign.statusCode()).isEqualTo(200);
    assertThat(alerts.get(north.id()).assignee()).isNull();
    assertThat(audit.events().stream().filter(e -> e.action().equals("alert.assign"))).hasSize(2);
  }

  @Test
  void aConcurrentChangeIsRetriedOnceOnTheFreshAlert() throws Exception {
    AtomicInteger interfered = new AtomicInteger();
    alerts.beforeUpdate =
        () -> {
          if (interfered.getAndIncrement() == 0) {
            // Another analyst assigns the alert between our read and our write.
            alerts.add(
                InMemoryAlertStore.withTriage(north, TriageState.of(north).withAssignee("north")));
          }
        };
    assertThat(status("ana", north, "acknowledged").statusCode()).isEqualTo(200);
    Alert now = alerts.get(north.id());
    assertThat(now.status()).isEqualTo(AlertStatus.ACKNOWLEDGED);
    assertThat(now.assignee()).as("the other change is kept").isEqualTo("north");
  }

  @Test
  void anAlertThatKeepsChangingIsAConflict() throws Exception {
    alerts.beforeUpdate = () -> alerts.add(alerts.get(north.id()));
    HttpResponse<Buffer> response = status("ana", north, "acknowledged");
    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(response.bodyAsJsonObject().getString("error")).contains("try again");
    assertThat(alerts.get(north.id()).status()).isEqualTo(AlertStatus.NEW);
    assertThat(audit.events()).anyMatch(e -> e.outcome().equals(AuditEvent.FAILURE));
  }

  @Test
  void commentsAreBoundedAndAnsweredWithTheComment() throws Exception {
    String path = "/api/v1/alerts/" + north.id() + "/comments";
    HttpResponse<Buffer> created =
        post("ana", path, new JsonObject().put("text", "escalated to CERT"));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("text")).isEqualTo("escalated to CERT");
    assertThat(created.bodyAsJsonObject().getString("id")).isNotBlank();
    assertThat(post("ana", path, new JsonObject().put("text", "x".repeat(10_001))).statusCode())
        .isEqualTo(400);
    assertThat(post("ana", path, new JsonObject().put("text", "")).statusCode()).isEqualTo(400);
    assertThat(audit.events().stream().filter(e -> e.action().equals("alert.comment"))).hasSize(1);
  }

  @Test
  void bulkCloseChangesWhatItMayAndReportsTheRest() throws Exception {
    status("ana", northRepeat, "in_progress");
    close("ana", northRepeat);
    HttpResponse<Buffer> response =
        post(
            "north",
            "/api/v1/alerts/bulk",
            new JsonObject()
                .put("ids", new JsonArray().add(north.id()).add(northRepeat.id()).add(south.id()))
                .put("action", "close")
                .put("resolution", "false_positive")
                .put("reason", "scanner of the audit team"));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getInteger("updated")).isEqualTo(1);
    JsonArray failed = body.getJsonArray("failed");
    assertThat(failed.stream().map(f -> ((JsonObject) f).getString("id")))
        .containsExactly(northRepeat.id(), south.id());
    assertThat(failed.getJsonObject(1).getString("error")).isEqualTo("no alert " + south.id());
    assertThat(alerts.get(north.id()).resolution()).isEqualTo(Resolution.FALSE_POSITIVE);
    assertThat(alerts.get(south.id()).status()).isEqualTo(AlertStatus.NEW);
  }

  @Test
  void bulkRejectsBadRequestsWhole() throws Exception {
    for (JsonObject body :
        List.of(
            new JsonObject().put("ids", new JsonArray()).put("action", "acknowledge"),
            new JsonObject().put("ids", new JsonArray().add(north.id())).put("action", "delete"),
            new JsonObject().put("ids", new JsonArray().add(north.id())).put("action", "close"),
            new JsonObject()
                .put("ids", new JsonArray().add(north.id()))
                .put("action", "assign")
                .put("assignee", "ghost"))) {
      assertThat(post("ana", "/api/v1/alerts/bulk", body).statusCode())
          .as(body.encode())
          .isEqualTo(400);
    }
    assertThat(alerts.get(north.id()).status()).isEqualTo(AlertStatus.NEW);
  }

  @Test
  void assigneesAreTriagersSharingAnAgency() throws Exception {
    HttpResponse<Buffer> response =
        await(
            asUser("north", client.get(server.actualPort(), "127.0.0.1", "/api/v1/assignees"))
                .send());
    assertThat(
            response.bodyAsJsonObject().getJsonArray("users").stream()
                .map(u -> ((JsonObject) u).getString("username")))
        .containsExactly("ana", "north");
  }

  @Test
  void queueFiltersByStatusListsAgencyTimeAndEvidence() throws Exception {
    status("ana", north, "acknowledged");
    assertThat(queue("ana", "status=new,acknowledged&severity=high,low")).hasSize(2);
    assertThat(queue("ana", "organization.id=agency-south")).containsExactly(south.id());
    assertThat(queue("north", "organization.id=agency-south")).isEmpty();
    assertThat(queue("ana", "from=now-45s")).containsExactly(south.id(), northRepeat.id());
    assertThat(queue("ana", "event.id=e1&sort=severity&order=asc"))
        .containsExactly(northRepeat.id(), north.id(), south.id());
    assertThat(queue("ana", "assignee=none")).hasSize(3);
  }

  @Test
  void streamSendsNewAlertsInScopeOnly(Vertx vertx) throws Exception {
    StringBuffer received = openStream(vertx, "north");
    Alert newSouth =
        alert(
            "ssh-brute", "198.51.100.1", "agency-south", Severity.HIGH, System.currentTimeMillis());
    Alert newNorth =
        alert(
            "ssh-brute", "198.51.100.2", "agency-north", Severity.HIGH, System.currentTimeMillis());
    alerts.add(newSouth);
    alerts.add(newNorth);
    awaitText(received, newNorth.id());
    String stream = received.toString();
    assertThat(stream).contains("event: alert\nid: " + newNorth.id() + "\ndata: {");
    assertThat(stream).doesNotContain(newSouth.id()).doesNotContain(north.id() + "\n");
  }

  @Test
  void streamPushesTriageChangesAsTheyHappen(Vertx vertx) throws Exception {
    StringBuffer received = openStream(vertx, "north");
    assertThat(status("ana", north, "acknowledged").statusCode()).isEqualTo(200);
    assertThat(status("ana", south, "acknowledged").statusCode()).isEqualTo(200);
    awaitText(received, north.id());
    assertThat(received.toString())
        .contains("\"id\":\"" + north.id() + "\"")
        .contains("\"status\":\"acknowledged\"")
        .doesNotContain(south.id());
  }

  /** Opens the stream and waits until it has primed: what exists then is not news. */
  private StringBuffer openStream(Vertx vertx, String user) throws Exception {
    HttpClient http = vertx.createHttpClient();
    streams.add(http);
    HttpClientResponse response =
        await(
            http.request(
                    new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setHost("127.0.0.1")
                        .setPort(server.actualPort())
                        .setURI("/api/v1/alerts/stream")
                        .putHeader(
                            "Authorization",
                            "Basic "
                                + Base64.getEncoder()
                                    .encodeToString((user + ":" + PASSWORD).getBytes())))
                .compose(r -> r.send()));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/event-stream");
    StringBuffer received = new StringBuffer();
    response.handler(b -> received.append(b.toString()));
    Thread.sleep(2_500);
    return received;
  }

  private static void awaitText(StringBuffer received, String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!received.toString().contains(text) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  private List<String> queue(String user, String query) throws Exception {
    HttpResponse<Buffer> response =
        await(
            asUser(user, client.get(server.actualPort(), "127.0.0.1", "/api/v1/alerts?" + query))
                .send());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("alerts").stream()
        .map(a -> ((JsonObject) a).getString("id"))
        .toList();
  }

  private HttpResponse<Buffer> status(String user, Alert alert, String status) throws Exception {
    return post(
        user, "/api/v1/alerts/" + alert.id() + "/status", new JsonObject().put("status", status));
  }

  private void close(String user, Alert alert) throws Exception {
    HttpResponse<Buffer> response =
        post(
            user,
            "/api/v1/alerts/" + alert.id() + "/status",
            new JsonObject()
                .put("status", "closed")
                .put("resolution", "benign")
                .put("reason", "maintenance window"));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
  }

  private HttpResponse<Buffer> detail(String user, Alert alert) throws Exception {
    return await(
        asUser(user, client.get(server.actualPort(), "127.0.0.1", "/api/v1/alerts/" + alert.id()))
            .send());
  }

  private HttpResponse<Buffer> post(String user, String path, JsonObject body) throws Exception {
    return await(
        asUser(user, client.post(server.actualPort(), "127.0.0.1", path)).sendJsonObject(body));
  }

  private static HttpRequest<Buffer> asUser(String user, HttpRequest<Buffer> request) {
    return request.basicAuthentication(user, PASSWORD);
  }
}
