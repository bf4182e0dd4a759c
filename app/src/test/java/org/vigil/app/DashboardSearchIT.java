package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.app.bench.FreePorts;
import org.vigil.app.kafka.EmbeddedKafka;
import org.vigil.app.kafka.KafkaTopics;
import org.vigil.dashboards.ComponentHealth;
import org.vigil.dashboards.DashboardBackends;
import org.vigil.dashboards.DashboardConfig;
import org.vigil.dashboards.DashboardServer;
import org.vigil.dashboards.ElasticsearchAuditTrail;
import org.vigil.dashboards.ElasticsearchHealthProbe;
import org.vigil.dashboards.HealthSources;
import org.vigil.dashboards.HealthStatus;
import org.vigil.dashboards.KafkaLagProbe;
import org.vigil.dashboards.PasswordHasher;
import org.vigil.dashboards.Role;
import org.vigil.dashboards.User;
import org.vigil.elasticsearch.IndexTemplates;
import org.vigil.elasticsearch.Indices;
import org.vigil.model.Documents;
import org.vigil.model.Topics;

/**
 * Event search, histogram, top values, export and overview through the dashboard's API against the
 * real Elasticsearch, with events of two agencies: a user of agency A never sees B's.
 */
class DashboardSearchIT {
  private static final long T = Instant.parse("2026-03-01T14:00:00Z").toEpochMilli();
  private static final String RANGE = "from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z";
  private static final int A_LOGINS = 10_020;
  private static final int A_FLOWS = 20;
  private static final int B_LOGINS = 30;
  private static final int B_FLOWS = 5;
  private static final String PASSWORD = "it-password-1";

  private static final String UNREACHABLE_KAFKA = "127.0.0.1:1";
  private static ScratchElasticsearch es;
  private static Vertx vertx;
  private static DashboardServer server;
  private static WebClient web;
  private static String oneEventOfB;

  @BeforeAll
  static void start() throws Exception {
    es = ScratchElasticsearch.start("vigil-dash-search-it");
    ElasticsearchClient client = es.client();
    IndexTemplates.install(client);
    seed(client);

    // Kafka is not started: the rules API is not under test here.
    DashboardBackends backends =
        DashboardStores.open(
            client,
            UNREACHABLE_KAFKA,
            new HealthSources(null, null, null, null),
            Clock.systemUTC());
    String hash = new PasswordHasher().hash(PASSWORD);
    backends.users().save(new User("soc", hash, Set.of(Role.ANALYST), List.of()));
    backends.users().save(new User("ana-a", hash, Set.of(Role.ANALYST), List.of("agency-a")));
    vertx = Vertx.vertx();
    server =
        await(
            DashboardServer.deploy(
                vertx, DashboardConfig.defaults().withHost("127.0.0.1").withPort(0), backends));
    web = WebClient.create(vertx);
  }

  private static void seed(ElasticsearchClient client) throws IOException {
    BulkRequest.Builder bulk =
        new BulkRequest.Builder().refresh(co.elastic.clients.elasticsearch._types.Refresh.True);
    for (int i = 0; i < A_LOGINS; i++) {
      Map<String, Object> e = base(T + i * 5_000L, "agency-a", "syslog.sshd");
      e.put("event.action", "ssh_login");
      e.put("event.outcome", i % 3 == 0 ? "failure" : "success");
      e.put("user.name", "user" + (i % 5));
      e.put("source.ip", "10.1.0." + (i % 50));
      e.put("message", "Accepted password for user" + (i % 5));
      add(bulk, "a-" + i, T + i * 5_000L, e);
    }
    for (int i = 0; i < A_FLOWS; i++) {
      Map<String, Object> e = base(T + i * 1_000L, "agency-a", "netflow.flow");
      e.put("source.ip", "10.1.9.1");
      e.put("destination.ip", "192.0.2." + (i % 3));
      e.put("network.bytes", 1_000L * (i % 3 + 1));
      add(bulk, "af-" + i, T + i * 1_000L, e);
    }
    for (int i = 0; i < B_LOGINS; i++) {
      Map<String, Object> e = base(T + i * 7_000L, "agency-b", "syslog.sshd");
      e.put("event.action", "ssh_login");
      e.put("event.outcome", "failure");
      e.put("user.name", "bob");
      e.put("source.ip", "10.2.0." + (i % 3));
      e.put("message", "Failed password for bob, from \"outside\"");
      add(bulk, "b-" + i, T + i * 7_000L, e);
    }
    for (int i = 0; i < B_FLOWS; i++) {
      Map<String, Object> e = base(T + i * 1_000L, "agency-b", "ipfix.flow");
      e.put("source.ip", "10.2.9.9");
      e.put("destination.ip", "198.51.100.1");
      e.put("network.bytes", 1_000_000_000L);
      add(bulk, "bf-" + i, T + i * 1_000L, e);
    }
    oneEventOfB = "b-7";
    alert(bulk, "alert-a-1", "ssh-brute", "SSH brute force", "high", "agency-a", T + 60_000);
    alert(bulk, "alert-a-2", "ssh-brute", "SSH brute force", "high", "agency-a", T + 120_000);
    alert(bulk, "alert-a-3", "port-scan", "Port scan", "medium", "agency-a", T + 180_000);
    alert(bulk, "alert-b-1", "b-secret-rule", "Only B has this", "critical", "agency-b", T);
    alert(bulk, "alert-b-2", "b-secret-rule", "Only B has this", "critical", "agency-b", T);
    BulkResponse response = client.bulk(bulk.build());
    assertThat(response.errors()).as("bulk errors").isFalse();
  }

  private static Map<String, Object> base(long time, String org, String dataset) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("organization.id", org);
    e.put("event.dataset", dataset);
    return e;
  }

  private static void add(
      BulkRequest.Builder bulk, String id, long time, Map<String, Object> flat) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("@timestamp", Documents.isoTime(time));
    doc.putAll(Documents.nest(flat));
    bulk.operations(o -> o.index(x -> x.index(Indices.events(time)).id(id).document(doc)));
  }

  private static void alert(
      BulkRequest.Builder bulk,
      String id,
      String ruleId,
      String ruleName,
      String severity,
      String org,
      long time) {
    Map<String, Object> flat = new LinkedHashMap<>();
    flat.put("rule.id", ruleId);
    flat.put("rule.name", ruleName);
    flat.put("vigil.alert.severity", severity);
    flat.put("vigil.alert.status", "new");
    flat.put("organization.id", org);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("@timestamp", Documents.isoTime(time));
    doc.putAll(Documents.nest(flat));
    bulk.operations(o -> o.index(x -> x.index(Indices.ALERTS).id(id).document(doc)));
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

  private static HttpResponse<Buffer> get(String user, String path) throws Exception {
    return await(
        web.get(server.actualPort(), "127.0.0.1", path).basicAuthentication(user, PASSWORD).send());
  }

  private static String q(String query) {
    return "q=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
  }

  @Test
  void queryStringSearchFindsMatchingEventsNewestFirst() throws Exception {
    HttpResponse<Buffer> response =
        get(
            "soc",
            "/api/v1/events?size=5&" + RANGE + "&" + q("user.name:user1 event.outcome:failure"));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    // user1 is i % 5 == 1, failure is i % 3 == 0: i % 15 == 6.
    long expected = (A_LOGINS - 6 + 14) / 15;
    assertThat(body.getLong("total")).isEqualTo(expected);
    JsonArray events = body.getJsonArray("events");
    assertThat(events).hasSize(5);
    String first = events.getJsonObject(0).getString("timestamp");
    String second = events.getJsonObject(1).getString("timestamp");
    assertThat(first).isGreaterThan(second);
    JsonObject source = events.getJsonObject(0).getJsonObject("source");
    assertThat(source.getJsonObject("user").getString("name")).isEqualTo("user1");
    assertThat(body.getString("nextCursor")).isNotBlank();
  }

  @Test
  void badQueryIsABadRequestWithElasticsearchsReason() throws Exception {
    HttpResponse<Buffer> response =
        get("soc", "/api/v1/events?" + RANGE + "&" + q("user.name:(alice"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("error")).contains("Cannot parse");
    HttpResponse<Buffer> leading =
        get("soc", "/api/v1/events?" + RANGE + "&" + q("user.name:*lice"));
    assertThat(leading.statusCode()).isEqualTo(400);
    // Over a range without events Elasticsearch would skip parsing: the store asks it to parse.
    HttpResponse<Buffer> emptyRange =
        get("soc", "/api/v1/events?from=now-1h&" + q("user.name:(alice"));
    assertThat(emptyRange.statusCode()).isEqualTo(400);
    assertThat(emptyRange.bodyAsJsonObject().getString("error")).contains("Cannot parse");
    for (String path :
        List.of(
            "/api/v1/events/histogram",
            "/api/v1/events/top?field=user.name&",
            "/api/v1/events/export")) {
      String sep = path.endsWith("&") ? "" : "?";
      HttpResponse<Buffer> other = get("soc", path + sep + "from=now-1h&" + q("user.name:(alice"));
      assertThat(other.statusCode()).as(path).isEqualTo(400);
    }
  }

  @Test
  void cursorPagesPastTenThousandHitsWithoutRepeats() throws Exception {
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      String path =
          "/api/v1/events?size=500&"
              + RANGE
              + "&"
              + q("event.dataset:syslog.sshd")
              + (cursor == null ? "" : "&cursor=" + cursor);
      JsonObject body = get("ana-a", path).bodyAsJsonObject();
      assertThat(body.getLong("total")).isEqualTo(A_LOGINS);
      for (Object e : body.getJsonArray("events")) {
        assertThat(seen.add(((JsonObject) e).getString("id"))).isTrue();
      }
      cursor = body.getString("nextCursor");
      pages++;
    } while (cursor != null && pages < 40);
    assertThat(seen).hasSize(A_LOGINS);
    assertThat(seen).allMatch(id -> id.startsWith("a-"));
  }

  @Test
  void histogramCountsEveryEventOnceInBucketsOverTheRange() throws Exception {
    JsonObject body = get("soc", "/api/v1/events/histogram?buckets=48&" + RANGE).bodyAsJsonObject();
    assertThat(body.getLong("interval")).isEqualTo(3_600_000L);
    JsonArray buckets = body.getJsonArray("buckets");
    assertThat(buckets.size()).isBetween(48, 49);
    long sum = buckets.stream().mapToLong(b -> ((JsonObject) b).getLong("count")).sum();
    assertThat(sum).isEqualTo(A_LOGINS + A_FLOWS + B_LOGINS + B_FLOWS);
  }

  @Test
  void topValuesCountAFieldAndRefuseFullText() throws Exception {
    JsonObject body =
        get("soc", "/api/v1/events/top?field=user.name&size=3&" + RANGE).bodyAsJsonObject();
    JsonArray values = body.getJsonArray("values");
    assertThat(values).hasSize(3);
    assertThat(values.getJsonObject(0).getLong("count")).isEqualTo(A_LOGINS / 5);
    HttpResponse<Buffer> text = get("soc", "/api/v1/events/top?field=message&" + RANGE);
    assertThat(text.statusCode()).isEqualTo(400);
    assertThat(text.bodyAsJsonObject().getString("error")).contains("full text");
  }

  @Test
  void exportStreamsCsvOfTheQuery() throws Exception {
    HttpResponse<Buffer> response =
        get(
            "soc",
            "/api/v1/events/export?fields=user.name,source.ip,message&"
                + RANGE
                + "&"
                + q("organization.id:agency-b AND event.dataset:syslog.sshd"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("X-Vigil-Rows")).isEqualTo(Integer.toString(B_LOGINS));
    String[] lines = response.bodyAsString().split("\r\n");
    assertThat(lines).hasSize(B_LOGINS + 1);
    assertThat(lines[0]).isEqualTo("user.name,source.ip,message");
    assertThat(lines[1])
        .matches("bob,10\\.2\\.0\\.[0-2],\"Failed password for bob, from \"\"outside\"\"\"");
  }

  @Test
  void exportPagesThroughMoreThanOnePage() throws Exception {
    HttpResponse<Buffer> response = get("ana-a", "/api/v1/events/export?fields=source.ip&" + RANGE);
    assertThat(response.statusCode()).isEqualTo(200);
    String[] lines = response.bodyAsString().split("\r\n");
    assertThat(lines).hasSize(A_LOGINS + A_FLOWS + 1);
  }

  @Test
  void overviewCountsEventsAlertsRulesAndTalkers() throws Exception {
    JsonObject body = get("soc", "/api/v1/overview?" + RANGE).bodyAsJsonObject();
    JsonArray agencies = body.getJsonArray("agencies");
    assertThat(agencies).hasSize(2);
    assertThat(agencies.getJsonObject(0).getString("id")).isEqualTo("agency-a");
    assertThat(agencies.getJsonObject(0).getLong("events")).isEqualTo(A_LOGINS + A_FLOWS);
    assertThat(agencies.getJsonObject(0).getLong("alerts")).isEqualTo(3);
    assertThat(agencies.getJsonObject(1).getLong("alerts")).isEqualTo(2);
    JsonObject topTalker = body.getJsonArray("topTalkers").getJsonObject(0);
    assertThat(topTalker.getString("source")).isEqualTo("10.2.9.9");
    assertThat(topTalker.getLong("bytes")).isEqualTo(B_FLOWS * 1_000_000_000L);
    assertThat(body.getJsonArray("topRules").getJsonObject(0).getString("ruleName")).isNotBlank();
    double total =
        body.getJsonArray("eventsBySourceType").stream()
            .mapToDouble(r -> ((JsonObject) r).getDouble("perSecond"))
            .sum();
    assertThat(total * body.getLong("interval") / 1000.0)
        .isCloseTo(
            A_LOGINS + A_FLOWS + B_LOGINS + B_FLOWS, org.assertj.core.data.Offset.offset(0.5));
    assertThat(
            body.getJsonArray("alertsBySeverity").stream()
                .mapToLong(s -> ((JsonObject) s).getLong("count"))
                .sum())
        .isEqualTo(5);
  }

  @Test
  void agencyUserNeverSeesAnotherAgencysEvents() throws Exception {
    JsonObject search = get("ana-a", "/api/v1/events?" + RANGE).bodyAsJsonObject();
    assertThat(search.getLong("total")).isEqualTo(A_LOGINS + A_FLOWS);
    JsonObject forB =
        get("ana-a", "/api/v1/events?" + RANGE + "&" + q("organization.id:agency-b"))
            .bodyAsJsonObject();
    assertThat(forB.getLong("total")).isZero();
    assertThat(get("soc", "/api/v1/events/" + oneEventOfB).statusCode()).isEqualTo(200);
    assertThat(get("ana-a", "/api/v1/events/" + oneEventOfB).statusCode()).isEqualTo(404);
    assertThat(get("ana-a", "/api/v1/events/a-1").statusCode()).isEqualTo(200);

    long histogram =
        get("ana-a", "/api/v1/events/histogram?" + RANGE)
            .bodyAsJsonObject()
            .getJsonArray("buckets")
            .stream()
            .mapToLong(b -> ((JsonObject) b).getLong("count"))
            .sum();
    assertThat(histogram).isEqualTo(A_LOGINS + A_FLOWS);

    JsonArray top =
        get("ana-a", "/api/v1/events/top?field=source.ip&size=100&" + RANGE)
            .bodyAsJsonObject()
            .getJsonArray("values");
    assertThat(top.stream().map(v -> ((JsonObject) v).getString("value")))
        .isNotEmpty()
        .allMatch(ip -> ip.startsWith("10.1."));

    HttpResponse<Buffer> export =
        get("ana-a", "/api/v1/events/export?" + RANGE + "&" + q("organization.id:agency-b"));
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.bodyAsString().split("\r\n")).hasSize(1);
    assertThat(export.getHeader("X-Vigil-Rows")).isEqualTo("0");

    JsonObject overview = get("ana-a", "/api/v1/overview?" + RANGE).bodyAsJsonObject();
    assertThat(overview.getJsonArray("agencies")).hasSize(1);
    assertThat(overview.getJsonArray("agencies").getJsonObject(0).getString("id"))
        .isEqualTo("agency-a");
    assertThat(overview.encode()).doesNotContain("10.2.").doesNotContain("b-secret-rule");
  }

  @Test
  void elasticsearchHealthIsReportedFromTheCluster() throws Exception {
    ComponentHealth health = new ElasticsearchHealthProbe(es.client()).probe();
    assertThat(health.status()).isNotEqualTo(HealthStatus.RED);
    assertThat(health.detail()).contains("1 node(s)");
    JsonObject page = get("soc", "/api/v1/health/components").bodyAsJsonObject();
    assertThat(page.getJsonArray("components").getJsonObject(0).getString("name"))
        .isEqualTo("elasticsearch");
    assertThat(page.getString("status")).isIn("green", "yellow");
  }

  @Test
  void kafkaLagIsLatestMinusCommittedOffsetsOfTheGroup(@TempDir Path kafkaDir) throws Exception {
    try (EmbeddedKafka kafka =
        EmbeddedKafka.start(
            EmbeddedKafka.Settings.defaults(kafkaDir)
                .withPorts(FreePorts.tcp(), FreePorts.tcp()))) {
      KafkaTopics.ensure(kafka.bootstrapServers(), 1);
      Map<String, Object> producerProps =
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
              ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
              ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>(Topics.RAW_SYSLOG, 0, null, "line " + i)).get();
        }
      }
      KafkaLagProbe probe = new KafkaLagProbe(kafka.bootstrapServers(), "it-group", 5, 100);
      ComponentHealth before = probe.probe();
      assertThat(before.status()).isEqualTo(HealthStatus.YELLOW);
      assertThat(before.detail()).contains("committed no offsets");

      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        admin
            .alterConsumerGroupOffsets(
                "it-group",
                Map.of(new TopicPartition(Topics.RAW_SYSLOG, 0), new OffsetAndMetadata(4)))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      ComponentHealth lagging = probe.probe();
      assertThat(lagging.detail()).isEqualTo("group it-group lags 6 records on 1 partition(s)");
      assertThat(lagging.status()).isEqualTo(HealthStatus.YELLOW);
      assertThat(lagging.check()).isNotBlank();
    }
  }

  @Test
  void exportIsInTheAuditTrailWithItsQueryAndRows() throws Exception {
    get("ana-a", "/api/v1/events/export?" + RANGE + "&" + q("user.name:user3"));
    es.client().indices().refresh(r -> r.index(ElasticsearchAuditTrail.INDEX));
    var hits =
        es.client()
            .search(
                s ->
                    s.index(ElasticsearchAuditTrail.INDEX)
                        .query(qq -> qq.term(t -> t.field("actor").value("ana-a"))),
                AuditDoc.class)
            .hits()
            .hits();
    assertThat(hits)
        .anySatisfy(
            h -> {
              String json = String.valueOf(h.source());
              assertThat(json).contains("events.export").contains("user.name:user3");
              assertThat(json).contains("rows=" + A_LOGINS / 5);
            });
  }

  /** An audit record's source. */
  static final class AuditDoc extends LinkedHashMap<String, Object> {}

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
