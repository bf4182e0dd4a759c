package org.vigil.app.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.GetResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.app.bench.FreePorts;
import org.vigil.correlation.sink.BulkRetryPolicy;
import org.vigil.correlation.sink.BulkRetryPolicy.Disposition;
import org.vigil.correlation.sink.ElasticsearchSink;
import org.vigil.elasticsearch.BulkBody;
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.elasticsearch.ElasticsearchSettings;
import org.vigil.elasticsearch.HttpStatusException;
import org.vigil.elasticsearch.IndexTemplates;
import org.vigil.elasticsearch.Indices;
import org.vigil.model.Alert;
import org.vigil.model.AlertStatus;
import org.vigil.model.Documents;
import org.vigil.model.Event;
import org.vigil.model.Severity;

/** The real Elasticsearch server from the distribution zip, written to by the real sink. */
class ElasticsearchProcessIT {
  private static final long T = Instant.parse("2025-06-01T10:00:00Z").toEpochMilli();

  private static Path dataDir;
  private static int httpPort;
  private static ElasticsearchProcess es;
  private static ElasticsearchSettings settings;
  private static ElasticsearchClients clients;

  @BeforeAll
  static void startServer() throws Exception {
    // Open to the service user: as root the server runs as vigil-es and must enter this folder.
    dataDir =
        Files.createTempDirectory(
            "vigil-es-it",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    httpPort = FreePorts.tcp();
    es =
        ElasticsearchProcess.start(
            ElasticsearchProcess.Options.defaults(dataDir)
                .withPorts(httpPort, FreePorts.tcp())
                .withStartTimeout(Duration.ofMinutes(3)));
    settings = ElasticsearchSettings.of(es.httpUrl());
    clients = ElasticsearchClients.create(settings);
    IndexTemplates.install(clients.client());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (clients != null) {
      clients.close();
    }
    if (es != null) {
      es.close();
      assertThat(es.isAlive()).isFalse();
    }
    if (dataDir != null) {
      try (Stream<Path> paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void runsUnderItsOwnUserWhenVigilRunsAsRoot() {
    String actual = ProcessHandle.of(es.pid()).flatMap(h -> h.info().user()).orElseThrow();
    if (ProcessUsers.isRoot()) {
      assertThat(es.user()).isEqualTo(ElasticsearchProcess.SERVICE_USER);
      assertThat(actual).isEqualTo(ElasticsearchProcess.SERVICE_USER);
      assertThat(es.home()).startsWith(dataDir);
    } else {
      assertThat(actual).isEqualTo(System.getProperty("user.name"));
    }
    assertThat(clients.isReady()).isTrue();
  }

  @Test
  void refusesASecondServerOnTheSamePortWithOneLine() throws Exception {
    Path other = Files.createTempDirectory("vigil-es-it-second");
    assertThatThrownBy(
            () ->
                ElasticsearchProcess.start(
                    ElasticsearchProcess.Options.defaults(other)
                        .withPorts(httpPort, FreePorts.tcp())))
        .isInstanceOf(ElasticsearchStartException.class)
        .hasMessageContaining("port " + httpPort)
        .hasMessageContaining("already in use")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    Files.delete(other);
  }

  @Test
  void indexesEventsWithTheirMappingsAndRejectsABadOneWithoutFailing() throws Exception {
    Event ssh =
        new Event("it-ev-1", T)
            .put("event.dataset", "syslog.sshd")
            .put("event.ingested", Documents.isoTime(T + 5))
            .put("source.ip", "203.0.113.9")
            .put("source.port", 52113)
            .put("message", "Failed password for root");
    Event flow =
        new Event("it-ev-2", T + 1)
            .put("source.ip", "2001:db8::1")
            .put("destination.ip", "198.51.100.2")
            .put("network.bytes", 1234L)
            .put("observer.ip", "192.0.2.1");
    Event bad = new Event("it-ev-bad", T + 2).put("source.ip", "not-an-address");
    run(List.of(ssh, bad, flow), ElasticsearchSink.events(settings));

    ElasticsearchClient client = clients.client();
    String index = Indices.events(T);
    client.indices().refresh(r -> r.index(index));
    assertThat(client.count(c -> c.index(index)).count()).isEqualTo(2);
    assertThat(client.exists(g -> g.index(index).id("it-ev-bad")).value()).isFalse();
    @SuppressWarnings("rawtypes")
    GetResponse<Map> stored = client.get(g -> g.index(index).id("it-ev-1"), Map.class);
    assertThat(Documents.get(castMap(stored.source()), "source.port")).isEqualTo(52113);

    Map<String, Property> props =
        client.indices().getMapping(m -> m.index(index)).get(index).mappings().properties();
    Map<String, Property> source = props.get("source").object().properties();
    assertThat(source.get("ip").isIp()).isTrue();
    assertThat(source.get("port").isLong()).isTrue();
    assertThat(props.get("@timestamp").isDate()).isTrue();
    assertThat(props.get("message").isText()).isTrue();
    assertThat(props.get("event").object().properties().get("dataset").isKeyword()).isTrue();
    assertThat(client.indices().existsAlias(a -> a.name(Indices.EVENTS_ALIAS)).value()).isTrue();
  }

  @Test
  void takesABulkBodyWholeAndFailsARefusedOneWithItsStatus() throws Exception {
    BulkBody body = new BulkBody(256);
    for (int i = 0; i < 3; i++) {
      body.index("vigil-events-bulk-it", "bulk-" + i, Documents.toJsonBytes(Map.of("n", i)));
    }
    BulkResponse response = clients.bulk(body, true).get();
    assertThat(response.errors()).isFalse();
    assertThat(response.items()).extracting(i -> i.status()).containsExactly(201, 201, 201);
    assertThat(clients.client().count(c -> c.index("vigil-events-bulk-it")).count()).isEqualTo(3);

    // An update whose action is not an object: Elasticsearch refuses the whole request (400).
    BulkBody refused =
        new BulkBody(64)
            .update("vigil-events-bulk-it", "bulk-0", 0, Documents.toJsonBytes(List.of()));
    assertThatThrownBy(() -> clients.bulk(refused, false).get())
        .isInstanceOf(ExecutionException.class)
        .satisfies(
            e -> {
              assertThat(e.getCause())
                  .isInstanceOf(HttpStatusException.class)
                  .hasMessageContaining("x_content_parse_exception");
              assertThat(((HttpStatusException) e.getCause()).status()).isEqualTo(400);
              assertThat(BulkRetryPolicy.forFailure(e)).isEqualTo(Disposition.FATAL);
            });
  }

  @Test
  void updatesAnAlertWithoutOverwritingTheAnalystsTriage() throws Exception {
    run(List.of(alert(1)), ElasticsearchSink.alerts(settings));
    ElasticsearchClient client = clients.client();
    Map<String, Object> first = alertSource(client);
    assertThat(Documents.get(first, "vigil.alert.status")).isEqualTo("new");
    assertThat(Documents.get(first, "vigil.latency.indexed")).isNotNull();

    client.update(
        u ->
            u.index(Indices.ALERTS)
                .id("it-alert-1")
                .doc(
                    Map.of(
                        "vigil",
                        Map.of("alert", Map.of("status", "acknowledged", "assignee", "ana")))),
        Object.class);

    run(List.of(alert(7)), ElasticsearchSink.alerts(settings));
    Map<String, Object> updated = alertSource(client);
    assertThat(Documents.get(updated, "vigil.alert.count")).isEqualTo(7);
    assertThat(Documents.get(updated, "vigil.alert.status")).isEqualTo("acknowledged");
    assertThat(Documents.get(updated, "vigil.alert.assignee")).isEqualTo("ana");

    client.indices().refresh(r -> r.index(Indices.ALERTS_ALIAS));
    assertThat(client.count(c -> c.index(Indices.ALERTS_PATTERN)).count()).isEqualTo(1);
    Map<String, Property> alertProps =
        client
            .indices()
            .getMapping(m -> m.index(Indices.ALERTS))
            .get(Indices.ALERTS)
            .mappings()
            .properties();
    assertThat(alertProps.get("source").object().properties().get("ip").isIp()).isTrue();
    assertThat(
            alertProps
                .get("vigil")
                .object()
                .properties()
                .get("latency")
                .object()
                .properties()
                .get("indexed")
                .isDate())
        .isTrue();
  }

  private static Map<String, Object> alertSource(ElasticsearchClient client) throws IOException {
    @SuppressWarnings("rawtypes")
    GetResponse<Map> got =
        client.get(g -> g.index(Indices.ALERTS_ALIAS).id("it-alert-1"), Map.class);
    assertThat(got.found()).isTrue();
    assertThat(got.index()).isEqualTo(Indices.ALERTS);
    return castMap(got.source());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private static Alert alert(long count) {
    return new Alert(
        "it-alert-1",
        "ssh-brute-force",
        "Many failed SSH logins from one source",
        1,
        "auth",
        "brute force",
        Severity.HIGH,
        "T1110",
        Map.of("source.ip", "203.0.113.9"),
        count,
        T,
        T + count * 1000,
        List.of("it-ev-1"),
        "agency-7",
        AlertStatus.NEW,
        null,
        null,
        T,
        T + 5,
        T + count * 1000 + 10,
        count + " failed logins");
  }

  private static <T> void run(List<T> input, Sink<T> sink) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.fromData(input).sinkTo(sink);
    env.execute("es-sink-it");
  }
}
