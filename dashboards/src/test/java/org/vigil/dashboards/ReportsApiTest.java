package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.dashboards.reports.Report;
import org.vigil.dashboards.reports.ReportDefinition;
import org.vigil.dashboards.reports.ReportFigure;
import org.vigil.dashboards.reports.ReportGenerator;
import org.vigil.dashboards.reports.ReportSection;
import org.vigil.dashboards.reports.ReportTable;
import org.vigil.dashboards.reports.SectionKind;

/**
 * The reports API over a generator that reports what it was asked (the definition's agencies), so
 * the tests see what scope reached the data; rendering and the archive are the real ones.
 */
@ExtendWith(VertxExtension.class)
class ReportsApiTest {
  private static String hash;

  private final InMemoryUserStore users = new InMemoryUserStore();
  private final InMemoryAuditTrail audit = new InMemoryAuditTrail();
  private final InMemoryReportArchive archive = new InMemoryReportArchive();
  private final List<ReportDefinition> asked = Collections.synchronizedList(new ArrayList<>());
  private WebClient client;
  private DashboardServer server;

  @TempDir Path definitions;

  @BeforeAll
  static void hashOnce() {
    hash = new PasswordHasher().hash("pass-word-1");
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    users.save(new User("ana", hash, Set.of(Role.ANALYST), List.of()));
    users.save(new User("audrey", hash, Set.of(Role.AUDITOR), List.of()));
    users.save(new User("hoa", hash, Set.of(Role.AUDITOR), List.of("health")));
    Files.writeString(
        definitions.resolve("weekly.yaml"),
        "name: weekly-health\nframework: iso-27001\nperiod: 7d\nagencies: [health, transport]\n"
            + "schedule: \"0 6 * * MON\"\n");
    Files.writeString(definitions.resolve("broken.yaml"), "name: broken\nperiodd: 7d\n");
    ReportGenerator generator =
        (definition, by, end) -> {
          asked.add(definition);
          Instant to = Instant.parse("2026-11-26T06:00:00Z");
          return new Report(
              definition,
              to.minus(definition.period()),
              to,
              to,
              by,
              List.of(
                  new ReportSection(
                      SectionKind.COVERAGE,
                      List.of("agencies asked: " + definition.agencies()),
                      List.of(new ReportFigure("events.total", "Events", "42")),
                      List.of(),
                      List.of(
                          new ReportTable(
                              "coverage-volume",
                              "Events per agency",
                              List.of("agency", "events"),
                              definition.agencies().stream()
                                  .map(a -> List.of(a, "21"))
                                  .toList())))));
        };
    ReportBackends reports =
        new ReportBackends(ReportCatalog.load(definitions), generator, archive);
    server =
        await(
            DashboardServer.deploy(
                vertx,
                DashboardConfig.defaults().withHost("127.0.0.1").withPort(0),
                TestBackends.of(users).audit(audit).reports(reports).build()));
    client = WebClient.create(vertx);
  }

  @Test
  void anAnalystNeitherGeneratesNorListsReports() throws Exception {
    assertThat(await(as("ana", post("/api/v1/reports")).sendJsonObject(adHoc())).statusCode())
        .isEqualTo(403);
    assertThat(await(as("ana", get("/api/v1/reports")).send()).statusCode()).isEqualTo(403);
    assertThat(asked).isEmpty();
    assertThat(audit.events()).isEmpty();
  }

  @Test
  void anAuditorGeneratesAReportDownloadsItAndBothAreAudited() throws Exception {
    HttpResponse<Buffer> made =
        await(as("audrey", post("/api/v1/reports")).sendJsonObject(adHoc()));
    assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
    JsonObject kept = made.bodyAsJsonObject();
    assertThat(kept.getString("framework")).isEqualTo("nist-800-53");
    assertThat(kept.getJsonArray("agencies")).isEmpty();
    assertThat(asked).singleElement().satisfies(d -> assertThat(d.period()).hasDays(30));
    assertThat(audit.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.action()).isEqualTo("report.generate");
              assertThat(e.actor()).isEqualTo("audrey");
              assertThat(e.details())
                  .containsEntry("content_sha256", kept.getString("contentSha256"));
            });

    HttpResponse<Buffer> pdf =
        await(as("audrey", get("/api/v1/reports/" + kept.getString("id") + "/pdf")).send());
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.getHeader("content-type")).isEqualTo("application/pdf");
    assertThat(pdf.getHeader("content-disposition")).contains("attachment").contains(".pdf");
    assertThat(pdf.body().getString(0, 5)).isEqualTo("%PDF-");
    assertThat(ReportRunner.sha256(pdf.body().getBytes())).isEqualTo(kept.getString("pdfSha256"));

    HttpResponse<Buffer> csv =
        await(as("audrey", get("/api/v1/reports/" + kept.getString("id") + "/csv")).send());
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.getHeader("content-type")).isEqualTo("application/zip");
    assertThat(audit.events())
        .extracting(AuditEvent::action)
        .containsExactly("report.generate", "report.download", "report.download");
    assertThat(audit.events().get(1).details()).containsEntry("format", "pdf");
  }

  @Test
  void anAgencyAuditorGetsOnlyTheirAgencysReports() throws Exception {
    HttpResponse<Buffer> province =
        await(as("audrey", post("/api/v1/reports")).sendJsonObject(adHoc()));
    String provinceId = province.bodyAsJsonObject().getString("id");

    HttpResponse<Buffer> own = await(as("hoa", post("/api/v1/reports")).sendJsonObject(adHoc()));
    assertThat(own.statusCode()).isEqualTo(201);
    assertThat(own.bodyAsJsonObject().getJsonArray("agencies")).containsExactly("health");
    assertThat(asked.get(1).agencies()).containsExactly("health");

    HttpResponse<Buffer> other =
        await(
            as("hoa", post("/api/v1/reports"))
                .sendJsonObject(adHoc().put("agencies", new JsonArray().add("transport"))));
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(asked).hasSize(2);

    JsonArray listed =
        await(as("hoa", get("/api/v1/reports")).send()).bodyAsJsonObject().getJsonArray("reports");
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getJsonArray("agencies")).containsExactly("health");
    HttpResponse<Buffer> foreign =
        await(as("hoa", get("/api/v1/reports/" + provinceId + "/pdf")).send());
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(
            await(as("audrey", get("/api/v1/reports")).send())
                .bodyAsJsonObject()
                .getJsonArray("reports"))
        .hasSize(2);
  }

  @Test
  void aDefinitionIsNarrowedToTheAgencyAuditorsAgencies() throws Exception {
    HttpResponse<Buffer> made =
        await(
            as("hoa", post("/api/v1/reports"))
                .sendJsonObject(new JsonObject().put("definition", "weekly-health")));
    assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
    assertThat(asked)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.agencies()).containsExactly("health");
              assertThat(d.framework()).isEqualTo("iso-27001");
            });
  }

  @Test
  void definitionsAreListedWithTheirNextRunAndBrokenFilesWithTheirProblem() throws Exception {
    JsonObject body =
        await(as("audrey", get("/api/v1/reports/definitions")).send()).bodyAsJsonObject();
    JsonObject weekly = body.getJsonArray("definitions").getJsonObject(0);
    assertThat(weekly.getString("name")).isEqualTo("weekly-health");
    assertThat(Instant.parse(weekly.getString("next_run")))
        .isAfter(Instant.now())
        .isBefore(Instant.now().plus(Duration.ofDays(8)));
    assertThat(body.getJsonArray("problems").encode()).contains("broken.yaml").contains("periodd");
  }

  @Test
  void badRequestsAreRefusedWithAReason() throws Exception {
    HttpResponse<Buffer> unknown =
        await(
            as("audrey", post("/api/v1/reports"))
                .sendJsonObject(new JsonObject().put("definition", "nope")));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.bodyAsString()).contains("nope");
    HttpResponse<Buffer> period =
        await(as("audrey", post("/api/v1/reports")).sendJsonObject(adHoc().put("period", "soon")));
    assertThat(period.statusCode()).isEqualTo(400);
    assertThat(await(as("audrey", get("/api/v1/reports/x/docx")).send()).statusCode())
        .isEqualTo(404);
    assertThat(asked).isEmpty();
  }

  private static JsonObject adHoc() {
    return new JsonObject().put("framework", "nist-800-53").put("period", "30d");
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
