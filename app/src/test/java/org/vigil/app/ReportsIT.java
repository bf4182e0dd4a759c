package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.app.bench.FreePorts;
import org.vigil.app.kafka.EmbeddedKafka;
import org.vigil.app.kafka.KafkaTopics;
import org.vigil.dashboards.AuditQuery;
import org.vigil.dashboards.AuditRecord;
import org.vigil.dashboards.DashboardBackends;
import org.vigil.dashboards.DashboardConfig;
import org.vigil.dashboards.DashboardServer;
import org.vigil.dashboards.ElasticsearchAuditTrail;
import org.vigil.dashboards.HealthSources;
import org.vigil.dashboards.PasswordHasher;
import org.vigil.dashboards.Role;
import org.vigil.dashboards.User;
import org.vigil.dashboards.reports.ReportPdf;
import org.vigil.elasticsearch.IndexTemplates;
import org.vigil.elasticsearch.Indices;
import org.vigil.model.Documents;
import picocli.CommandLine;

/**
 * Compliance reports wired as a user meets them, against the real Elasticsearch and Kafka: {@code
 * vigil report generate} writes a PDF whose text (read back with poppler's pdftotext) holds every
 * section and the content hash, and the dashboard generates, keeps and serves reports to auditors
 * within their agencies. The sections' numbers are checked exactly by their own ITs.
 */
class ReportsIT {
  private static final String PASSWORD = "auditor passphrase 1";

  @TempDir static Path dir;

  private static EmbeddedKafka kafka;
  private static ScratchElasticsearch es;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void start() throws Exception {
    kafka =
        EmbeddedKafka.start(
            EmbeddedKafka.Settings.defaults(dir.resolve("kafka"))
                .withPorts(FreePorts.tcp(), FreePorts.tcp()));
    KafkaTopics.ensure(kafka.bootstrapServers(), 1);
    es = ScratchElasticsearch.start("vigil-reports-it");
    IndexTemplates.install(es.client());
    indexEvent(es.client(), Instant.now().minusSeconds(3_600), "10.20.0.5", "health");
    indexEvent(es.client(), Instant.now().minusSeconds(1_800), "10.30.0.7", "agency-south");
  }

  @AfterAll
  static void stop() throws Exception {
    if (es != null) {
      es.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theCommandLineWritesAPdfWithEverySectionAndItsHashAndAuditsIt() throws Exception {
    Path rules = Files.writeString(dir.resolve("auth.drl"), shipped("rules/packs/auth.drl"));
    assertThat(
            run(
                "rules",
                "deploy",
                rules.toString(),
                "--kafka",
                kafka.bootstrapServers(),
                "--elasticsearch",
                es.url().toString(),
                "--user",
                "rita"))
        .as(err.toString())
        .isZero();
    Path pdf = dir.resolve("week.pdf");

    assertThat(
            run(
                "report",
                "generate",
                "--framework",
                "nist-800-53",
                "--period",
                "7d",
                "--format",
                "pdf",
                "--output",
                pdf.toString(),
                "--elasticsearch",
                es.url().toString(),
                "--kafka",
                kafka.bootstrapServers()))
        .as(err.toString())
        .isZero();

    String hash = out.toString().replaceAll("(?s).*content SHA-256 ([0-9a-f]{64}).*", "$1");
    assertThat(hash).hasSize(64);
    String text = pdftotext(pdf);
    assertThat(text)
        .contains("Monitoring coverage", "Detection", "Response", "Access", "Control mapping")
        .contains(hash)
        .contains("rita")
        .contains("AC-7");
    assertThat(ReportPdf.verify(Files.readAllBytes(pdf)).valid()).isTrue();
    assertThat(run("report", "verify", pdf.toString())).as(out.toString()).isZero();

    List<AuditRecord> audited =
        new ElasticsearchAuditTrail(es.client(), Clock.systemUTC())
            .search(new AuditQuery(null, "report.generate", null, null, null, 0, 10))
            .records();
    assertThat(audited)
        .anySatisfy(
            r -> {
              assertThat(r.actor()).startsWith("cli:");
              assertThat(r.details()).containsEntry("content_sha256", hash);
            });
  }

  @Test
  void theCsvFormatIsAZipWithOneFilePerTableAndItsChecksums() throws Exception {
    Path zip = dir.resolve("week.zip");
    assertThat(
            run(
                "report",
                "generate",
                "--agency",
                "health",
                "--section",
                "coverage",
                "--format",
                "csv",
                "--output",
                zip.toString(),
                "--elasticsearch",
                es.url().toString(),
                "--kafka",
                kafka.bootstrapServers()))
        .as(err.toString())
        .isZero();
    List<String> names = new ArrayList<>();
    try (ZipInputStream in =
        new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(zip)))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
      }
    }
    assertThat(names).contains("report.json", "SHA256SUMS", "coverage-volume.csv");
  }

  @Test
  void wrongAddressesSayWhichOptionToFix() throws Exception {
    Path pdf = dir.resolve("never.pdf");
    assertThat(
            run(
                "report",
                "generate",
                "--output",
                pdf.toString(),
                "--elasticsearch",
                "http://127.0.0.1:1",
                "--kafka",
                kafka.bootstrapServers()))
        .isEqualTo(Vigil.EXIT_ERROR);
    assertThat(err.toString()).contains("--elasticsearch");
    assertThat(
            run(
                "report",
                "generate",
                "--output",
                pdf.toString(),
                "--elasticsearch",
                es.url().toString(),
                "--kafka",
                "127.0.0.1:1"))
        .isEqualTo(Vigil.EXIT_ERROR);
    assertThat(err.toString()).contains("--kafka");
    assertThat(pdf).doesNotExist();
  }

  @Test
  void theDashboardGeneratesKeepsAndServesReportsWithinTheAuditorsAgencies() throws Exception {
    Path definitions = Files.createDirectories(dir.resolve("definitions"));
    Files.writeString(
        definitions.resolve("weekly.yaml"),
        "name: weekly-iso\nframework: iso-27001\nperiod: 7d\nschedule: \"0 6 * * MON\"\n");
    DashboardBackends backends =
        DashboardStores.open(
            es.client(),
            kafka.bootstrapServers(),
            new HealthSources(null, null, null, null),
            new DashboardStores.ReportSources(definitions, null, null),
            Clock.systemUTC());
    String hashed = new PasswordHasher().hash(PASSWORD);
    backends.users().save(new User("audrey", hashed, Set.of(Role.AUDITOR), List.of()));
    backends.users().save(new User("hoa", hashed, Set.of(Role.AUDITOR), List.of("health")));
    Vertx vertx = Vertx.vertx();
    try {
      DashboardServer dashboard =
          await(
              DashboardServer.deploy(
                  vertx, DashboardConfig.defaults().withHost("127.0.0.1").withPort(0), backends));
      WebClient web = WebClient.create(vertx);
      int port = dashboard.actualPort();

      HttpResponse<Buffer> province =
          await(
              web.post(port, "127.0.0.1", "/api/v1/reports")
                  .basicAuthentication("audrey", PASSWORD)
                  .sendJsonObject(new JsonObject().put("definition", "weekly-iso")));
      assertThat(province.statusCode()).as(province.bodyAsString()).isEqualTo(201);
      HttpResponse<Buffer> own =
          await(
              web.post(port, "127.0.0.1", "/api/v1/reports")
                  .basicAuthentication("hoa", PASSWORD)
                  .sendJsonObject(new JsonObject().put("period", "1d")));
      assertThat(own.statusCode()).as(own.bodyAsString()).isEqualTo(201);

      JsonArray hoaSees =
          await(
                  web.get(port, "127.0.0.1", "/api/v1/reports")
                      .basicAuthentication("hoa", PASSWORD)
                      .send())
              .bodyAsJsonObject()
              .getJsonArray("reports");
      assertThat(hoaSees).hasSize(1);
      assertThat(hoaSees.getJsonObject(0).getJsonArray("agencies")).containsExactly("health");

      String id = own.bodyAsJsonObject().getString("id");
      HttpResponse<Buffer> pdf =
          await(
              web.get(port, "127.0.0.1", "/api/v1/reports/" + id + "/pdf")
                  .basicAuthentication("hoa", PASSWORD)
                  .send());
      assertThat(pdf.statusCode()).isEqualTo(200);
      assertThat(ReportPdf.verify(pdf.body().getBytes()).valid()).isTrue();
      Path file = Files.write(dir.resolve("hoa.pdf"), pdf.body().getBytes());
      String text = pdftotext(file);
      assertThat(text)
          .contains(own.bodyAsJsonObject().getString("contentSha256"))
          .contains("health");
      assertThat(text).doesNotContain("agency-south");

      String provinceId = province.bodyAsJsonObject().getString("id");
      assertThat(
              await(
                      web.get(port, "127.0.0.1", "/api/v1/reports/" + provinceId + "/pdf")
                          .basicAuthentication("hoa", PASSWORD)
                          .send())
                  .statusCode())
          .isEqualTo(404);
      List<String> actions =
          new ElasticsearchAuditTrail(es.client(), Clock.systemUTC())
              .search(new AuditQuery("hoa", null, null, null, null, 0, 10)).records().stream()
                  .map(AuditRecord::action)
                  .toList();
      assertThat(actions).contains("report.generate", "report.download");
    } finally {
      await(vertx.close());
    }
  }

  private static void indexEvent(
      ElasticsearchClient client, Instant at, String observer, String agency) throws IOException {
    Map<String, Object> event =
        Map.of(
            "@timestamp", Documents.isoTime(at.toEpochMilli()),
            "event", Map.of("dataset", "syslog.sshd", "kind", "event"),
            "observer", Map.of("ip", observer),
            "organization", Map.of("id", agency),
            "message", "test event");
    client.index(
        i -> i.index(Indices.events(at.toEpochMilli())).document(event).refresh(Refresh.True));
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cl = Vigil.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static String pdftotext(Path pdf) throws Exception {
    Process p =
        new ProcessBuilder("pdftotext", pdf.toString(), "-").redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor())
        .as("pdftotext (poppler-utils, installed by .ci/setup): " + text)
        .isZero();
    return text;
  }

  private static String shipped(String resource) throws IOException {
    try (var in = ReportsIT.class.getClassLoader().getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
