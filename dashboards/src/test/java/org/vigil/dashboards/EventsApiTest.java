package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.dashboards.DashboardServerTest.await;
import static org.vigil.dashboards.TestAlerts.T0;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vigil.model.Documents;

/** The event search, histogram, top-values and export API over an in-memory store. */
@ExtendWith(VertxExtension.class)
class EventsApiTest {
  private static final String RANGE = "from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z";
  private static String hash;

  private final InMemoryUserStore users = new InMemoryUserStore();
  private final InMemoryEventStore events = new InMemoryEventStore();
  private final InMemoryAuditTrail auditLog = new InMemoryAuditTrail();
  private final AtomicInteger storeCallsAtAudit = new AtomicInteger(-1);
  private volatile boolean auditDown;
  private WebClient client;
  private DashboardServer server;

  @BeforeAll
  static void hashOnce() {
    hash = new PasswordHasher().hash("pw-for-tests");
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    users.save(new User("soc", hash, Set.of(Role.ANALYST), List.of()));
    users.save(new User("north", hash, Set.of(Role.AUDITOR), List.of("agency-north")));
    users.save(new User("nobody", hash, Set.of(), List.of()));
    for (int i = 0; i < 7; i++) {
      events.add(event("n" + i, "agency-north", T0 + i * 60_000L, "10.0.0." + (i % 2)));
    }
    for (int i = 0; i < 3; i++) {
      events.add(event("s" + i, "agency-south", T0 + i * 60_000L + 30_000, "10.9.9.9"));
    }
    AuditTrail audit =
        new InMemoryAuditTrail() {
          @Override
          public synchronized long append(AuditEvent event) {
            if (auditDown) {
              throw new UncheckedIOException(new java.io.IOException("audit index unavailable"));
            }
            storeCallsAtAudit.set(events.scopesSeen.size());
            return auditLog.append(event);
          }
        };
    server =
        await(
            DashboardServer.deploy(
                vertx,
                DashboardConfig.defaults().withHost("127.0.0.1").withPort(0),
                TestBackends.of(users).audit(audit).events(events).build()));
    client = WebClient.create(vertx);
  }

  static StoredEvent event(String id, String org, long time, String sourceIp) {
    Map<String, Object> flat = new java.util.LinkedHashMap<>();
    flat.put("@timestamp", Documents.isoTime(time));
    flat.put("organization.id", org);
    flat.put("source.ip", sourceIp);
    flat.put("event.action", "ssh_login");
    flat.put("message", "login from " + sourceIp);
    return new StoredEvent(id, "vigil-events-2026.01.01", time, Documents.nest(flat));
  }

  private HttpResponse<Buffer> get(String user, String path) throws Exception {
    return await(
        client
            .get(server.actualPort(), "127.0.0.1", path)
            .basicAuthentication(user, "pw-for-tests")
            .send());
  }

  @Test
  void searchListsNewestFirstWithinTheCallersAgencies() throws Exception {
    HttpResponse<Buffer> response = get("north", "/api/v1/events?" + RANGE);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getLong("total")).isEqualTo(7);
    JsonArray list = body.getJsonArray("events");
    assertThat(list.stream().map(e -> ((JsonObject) e).getString("id")))
        .containsExactly("n6", "n5", "n4", "n3", "n2", "n1", "n0");
    JsonObject newest = list.getJsonObject(0);
    assertThat(newest.getString("timestamp")).isEqualTo(Documents.isoTime(T0 + 360_000));
    assertThat(newest.getJsonObject("source").getJsonObject("organization").getString("id"))
        .isEqualTo("agency-north");
    assertThat(body.getValue("nextCursor")).isNull();
    assertThat(events.scopesSeen).containsOnly(AgencyScope.only(List.of("agency-north")));
  }

  @Test
  void cursorPagesThroughEveryEventOnce() throws Exception {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String path = "/api/v1/events?size=3&" + RANGE + (cursor == null ? "" : "&cursor=" + cursor);
      JsonObject body = get("soc", path).bodyAsJsonObject();
      body.getJsonArray("events").forEach(e -> seen.add(((JsonObject) e).getString("id")));
      cursor = body.getString("nextCursor");
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(seen).hasSize(10).doesNotHaveDuplicates();
    assertThat(pages).isEqualTo(4);
  }

  @Test
  void invalidParametersAreBadRequestsThatSayWhatToFix() throws Exception {
    for (String query :
        List.of(
            "size=0",
            "size=501",
            "size=ten",
            "sort=sideways",
            "cursor=not-a-cursor",
            "from=yesterday",
            "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
            "q=" + URLEncoder.encode("message:(unclosed", StandardCharsets.UTF_8))) {
      HttpResponse<Buffer> response = get("soc", "/api/v1/events?" + query);
      assertThat(response.statusCode()).as(query).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getString("error")).as(query).isNotBlank();
    }
  }

  @Test
  void dateMathRangesAreAccepted() throws Exception {
    assertThat(get("soc", "/api/v1/events?from=now-15m&to=now").statusCode()).isEqualTo(200);
    assertThat(get("soc", "/api/v1/events?from=now-7d/d").statusCode()).isEqualTo(200);
  }

  @Test
  void eventOutsideTheCallersAgenciesIsNotFound() throws Exception {
    assertThat(get("north", "/api/v1/events/n1").statusCode()).isEqualTo(200);
    assertThat(get("north", "/api/v1/events/n1").bodyAsJsonObject().getString("id"))
        .isEqualTo("n1");
    HttpResponse<Buffer> other = get("north", "/api/v1/events/s1");
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(get("soc", "/api/v1/events/s1").statusCode()).isEqualTo(200);
  }

  @Test
  void histogramCountsEventsPerBucketIncludingEmptyOnes() throws Exception {
    JsonObject body =
        get("north", "/api/v1/events/histogram?buckets=6&" + RANGE).bodyAsJsonObject();
    assertThat(body.getLong("interval")).isEqualTo(600_000L);
    JsonArray buckets = body.getJsonArray("buckets");
    assertThat(buckets.getJsonObject(0).getLong("count")).isEqualTo(7);
    assertThat(buckets.getJsonObject(0).getString("time")).isEqualTo(Documents.isoTime(T0));
    assertThat(buckets.stream().mapToLong(b -> ((JsonObject) b).getLong("count")).sum())
        .isEqualTo(7);
    assertThat(get("north", "/api/v1/events/histogram?buckets=0").statusCode()).isEqualTo(400);
  }

  @Test
  void topCountsValuesAndRefusesTextFields() throws Exception {
    JsonObject body =
        get("north", "/api/v1/events/top?field=source.ip&" + RANGE).bodyAsJsonObject();
    assertThat(body.getString("field")).isEqualTo("source.ip");
    JsonObject first = body.getJsonArray("values").getJsonObject(0);
    assertThat(first.getString("value")).isEqualTo("10.0.0.0");
    assertThat(first.getLong("count")).isEqualTo(4);
    HttpResponse<Buffer> text = get("north", "/api/v1/events/top?field=message&" + RANGE);
    assertThat(text.statusCode()).isEqualTo(400);
    assertThat(text.bodyAsJsonObject().getString("error")).contains("message");
    assertThat(get("north", "/api/v1/events/top?" + RANGE).statusCode()).isEqualTo(400);
  }

  @Test
  void exportIsAuditedBeforeStreamingEscapedCsv() throws Exception {
    Map<String, Object> flat = new java.util.LinkedHashMap<>();
    flat.put("organization.id", "agency-north");
    flat.put("user.name", "=HYPERLINK(\"http://evil\")");
    flat.put("message", "line one, \"quoted\"\nline two");
    events.add(
        new StoredEvent("tricky", "vigil-events-2026.01.01", T0 + 3_000_000, Documents.nest(flat)));

    HttpResponse<Buffer> response =
        get(
            "north",
            "/api/v1/events/export?fields=user.name,message,organization.id&q="
                + URLEncoder.encode("organization.id:agency-north", StandardCharsets.UTF_8)
                + "&"
                + RANGE);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/csv");
    assertThat(response.getHeader("X-Vigil-Truncated")).isEqualTo("false");
    String csv = response.bodyAsString();
    assertThat(csv)
        .startsWith(
            "user.name,message,organization.id\r\n"
                + "\"'=HYPERLINK(\"\"http://evil\"\")\",\"line one, \"\"quoted\"\"\nline two\","
                + "agency-north\r\n");
    assertThat(csv.split("\r\n")).hasSize(9);

    assertThat(auditLog.events()).hasSize(1);
    AuditEvent audit = auditLog.events().get(0);
    assertThat(audit.actor()).isEqualTo("north");
    assertThat(audit.action()).isEqualTo("events.export");
    assertThat(audit.details())
        .containsEntry("query", "organization.id:agency-north")
        .containsEntry("rows", 8L)
        .containsEntry("from", "2026-01-01T00:00:00Z");
    // Only the count had reached the store when the record was written: no event left before it.
    assertThat(storeCallsAtAudit.get()).isEqualTo(1);
  }

  @Test
  void exportWithoutAnAuditRecordIsRefused() throws Exception {
    auditDown = true;
    HttpResponse<Buffer> response = get("soc", "/api/v1/events/export?" + RANGE);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.bodyAsJsonObject().getString("error")).contains("audit");
    assertThat(events.scopesSeen).hasSize(1); // counted, never searched
  }

  @Test
  void defaultExportColumnsStartWithTheTimestamp() throws Exception {
    String csv = get("soc", "/api/v1/events/export?" + RANGE).bodyAsString();
    assertThat(csv).startsWith(String.join(",", EventsApi.DEFAULT_COLUMNS) + "\r\n");
    assertThat(csv.split("\r\n")[1]).startsWith(Documents.isoTime(T0 + 360_000) + ",agency-north");
  }

  @Test
  void storeOutageIsServiceUnavailable() throws Exception {
    events.failure = new UncheckedIOException(new java.io.IOException("connection refused"));
    assertThat(get("soc", "/api/v1/events?" + RANGE).statusCode()).isEqualTo(503);
    assertThat(get("soc", "/api/v1/events/export?" + RANGE).statusCode()).isEqualTo(503);
    assertThat(get("soc", "/api/v1/overview").statusCode()).isEqualTo(503);
    assertThat(auditLog.events()).isEmpty();
  }

  @Test
  void overviewCountsOnlyTheCallersAgencies() throws Exception {
    JsonObject body = get("north", "/api/v1/overview?" + RANGE).bodyAsJsonObject();
    JsonArray agencies = body.getJsonArray("agencies");
    assertThat(agencies).hasSize(1);
    assertThat(agencies.getJsonObject(0).getString("id")).isEqualTo("agency-north");
    assertThat(agencies.getJsonObject(0).getLong("events")).isEqualTo(7);
  }

  @Test
  void callersWithoutADashboardRoleAreForbidden() throws Exception {
    for (String path :
        List.of(
            "/api/v1/events",
            "/api/v1/events/n1",
            "/api/v1/events/histogram",
            "/api/v1/events/top?field=source.ip",
            "/api/v1/events/export",
            "/api/v1/overview",
            "/api/v1/health/components")) {
      assertThat(get("nobody", path).statusCode()).as(path).isEqualTo(403);
    }
    assertThat(auditLog.events()).isEmpty();
  }
}
