package org.vigil.dashboards;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.vigil.dashboards.reports.ReportDefinition;
import org.vigil.dashboards.reports.ReportSchedule;
import org.vigil.dashboards.reports.ReportText;
import org.vigil.dashboards.reports.SectionKind;
import org.vigil.rules.engine.RuleDefinition;

/**
 * Compliance reports for auditors and admins: {@code GET /api/v1/reports/definitions} lists the
 * admin's definitions, {@code POST /api/v1/reports} generates one now (from a definition, or ad hoc
 * from a framework and period), {@code GET /api/v1/reports} lists kept reports and {@code GET
 * /api/v1/reports/{id}/{pdf|csv}} downloads one. Generating and downloading are audited, with the
 * content hash, before the answer goes out.
 *
 * <p>Agency scoping: a caller limited to some agencies gets reports on those only. Asking for none
 * means all of theirs; asking for another agency's is refused (403); a definition covering more is
 * narrowed to theirs. Kept reports are listed and served only when every agency they cover is the
 * caller's, so an agency auditor never sees a province-wide report.
 */
final class ReportsApi {
  private static final Set<Role> READERS = Set.of(Role.AUDITOR, Role.ADMIN);
  private static final int DEFAULT_LIST = 100;
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

  private final Vertx vertx;
  private final ReportBackends reports;
  private final AuditAppender audit;
  private final Clock clock;

  ReportsApi(Vertx vertx, ReportBackends reports, AuditAppender audit, Clock clock) {
    this.vertx = vertx;
    this.reports = reports;
    this.audit = audit;
    this.clock = clock;
  }

  void definitions(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, READERS)) {
      return;
    }
    JsonArray list = new JsonArray();
    for (ReportDefinition d : reports.catalog().definitions()) {
      JsonObject json = new JsonObject(d.toMap());
      if (d.schedule() != null) {
        ReportSchedule.parse(d.schedule())
            .next(clock.instant())
            .ifPresent(next -> json.put("next_run", next.toString()));
      }
      list.add(json);
    }
    JsonResponses.ok(
        ctx,
        new JsonObject()
            .put("definitions", list)
            .put("problems", new JsonArray(reports.catalog().problems())));
  }

  void list(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, READERS)) {
      return;
    }
    AgencyScope scope = CallerAuthHandler.caller(ctx).scope();
    vertx
        .executeBlocking(() -> reports.archive().list(scope, DEFAULT_LIST), false)
        .onSuccess(
            kept -> {
              JsonArray list = new JsonArray();
              kept.forEach(r -> list.add(json(r)));
              JsonResponses.ok(ctx, new JsonObject().put("reports", list));
            })
        .onFailure(e -> AuditAppender.unavailable(ctx, e));
  }

  void generate(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, READERS)) {
      return;
    }
    JsonObject body = JsonBodies.object(ctx);
    if (body == null) {
      return;
    }
    User caller = CallerAuthHandler.caller(ctx);
    ReportDefinition definition;
    try {
      definition = requested(body, caller.scope());
    } catch (NotYours e) {
      JsonResponses.error(ctx, 403, e.getMessage());
      return;
    } catch (IllegalArgumentException | ClassCastException e) {
      JsonResponses.error(ctx, 400, e.getMessage());
      return;
    }
    ReportDefinition asked = definition;
    ReportRunner runner = reports.runner();
    vertx
        .executeBlocking(
            () -> runner.prepare(asked, caller.username(), ArchivedReport.ON_DEMAND, null, null),
            false)
        .compose(
            prepared ->
                audit
                    .success(
                        ctx,
                        caller.username(),
                        "report.generate",
                        prepared.archived().id(),
                        details(prepared.archived()))
                    .map(seq -> prepared))
        .compose(
            prepared -> vertx.executeBlocking(() -> runner.keep(prepared, asked.keep()), false))
        .onSuccess(kept -> JsonResponses.send(ctx, 201, json(kept)))
        .onFailure(
            e -> {
              if (e instanceof IllegalArgumentException) {
                JsonResponses.error(ctx, 400, e.getMessage());
              } else {
                JsonResponses.error(
                    ctx, 503, "the report could not be generated: " + e.getMessage());
              }
            });
  }

  void download(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, READERS)) {
      return;
    }
    ReportFormat format;
    try {
      format = ReportFormat.fromWire(ctx.pathParam("format"));
    } catch (IllegalArgumentException e) {
      JsonResponses.error(ctx, 404, e.getMessage());
      return;
    }
    String id = ctx.pathParam("id");
    User caller = CallerAuthHandler.caller(ctx);
    vertx
        .executeBlocking(
            () ->
                reports
                    .archive()
                    .get(id)
                    .filter(r -> r.visibleTo(caller.scope()))
                    .flatMap(r -> reports.archive().file(id, format).map(f -> Map.entry(r, f))),
            false)
        .onSuccess(
            found -> {
              if (found.isEmpty()) {
                JsonResponses.error(ctx, 404, "no such report");
                return;
              }
              ArchivedReport report = found.get().getKey();
              byte[] file = found.get().getValue();
              Map<String, Object> details = details(report);
              details.put("format", format.wireName());
              audit
                  .success(ctx, caller.username(), "report.download", id, details)
                  .onSuccess(
                      seq ->
                          ctx.response()
                              .putHeader("content-type", format.mediaType())
                              .putHeader(
                                  "content-disposition",
                                  "attachment; filename=\"" + fileName(report, format) + "\"")
                              .end(Buffer.buffer(file)))
                  .onFailure(e -> AuditAppender.unavailable(ctx, e));
            })
        .onFailure(e -> AuditAppender.unavailable(ctx, e));
  }

  /** The definition the body asks for, narrowed to what the caller may see. */
  private ReportDefinition requested(JsonObject body, AgencyScope scope) {
    List<String> asked = new ArrayList<>();
    JsonArray agencies = body.getJsonArray("agencies");
    if (agencies != null) {
      agencies.forEach(a -> asked.add(String.valueOf(a)));
    }
    String name = body.getString("definition");
    if (name != null) {
      ReportDefinition definition =
          reports
              .catalog()
              .find(name)
              .orElseThrow(
                  () -> new IllegalArgumentException("no report definition named '" + name + "'"));
      List<String> wanted = asked.isEmpty() ? definition.agencies() : asked;
      return definition.withAgencies(scoped(wanted, scope, agencies == null));
    }
    String period = body.getString("period");
    ReportDefinition adHoc =
        ReportDefinition.adHoc(
            body.getString("framework"),
            period == null ? null : RuleDefinition.parseDuration("period", period),
            List.of());
    JsonArray sections = body.getJsonArray("sections");
    if (sections != null) {
      List<SectionKind> kinds = new ArrayList<>();
      sections.forEach(s -> kinds.add(SectionKind.fromWire(String.valueOf(s))));
      adHoc =
          new ReportDefinition(
              adHoc.name(),
              adHoc.title(),
              adHoc.framework(),
              adHoc.period(),
              List.of(),
              kinds,
              adHoc.responseTargets(),
              adHoc.silence(),
              null,
              adHoc.keep());
    }
    return adHoc.withAgencies(scoped(asked, scope, false));
  }

  /**
   * The agencies a report for this caller covers.
   *
   * @param narrow true when the agencies come from a definition rather than the caller: more than
   *     theirs is narrowed instead of refused
   */
  static List<String> scoped(List<String> wanted, AgencyScope scope, boolean narrow) {
    if (scope.unrestricted()) {
      return wanted;
    }
    Set<String> mine = new TreeSet<>(scope.organizationIds());
    if (wanted.isEmpty()) {
      return List.copyOf(mine);
    }
    List<String> allowed = wanted.stream().filter(mine::contains).toList();
    if (allowed.size() < wanted.size() && !narrow) {
      throw new NotYours("you may report only on your agencies: " + String.join(", ", mine));
    }
    return allowed.isEmpty() ? List.copyOf(mine) : allowed;
  }

  private static Map<String, Object> details(ArchivedReport r) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("name", r.name());
    details.put("framework", r.framework());
    details.put("from", r.from().toString());
    details.put("to", r.to().toString());
    details.put("agencies", r.agencies());
    details.put("content_sha256", r.contentSha256());
    details.put("pdf_sha256", r.pdfSha256());
    return details;
  }

  static JsonObject json(ArchivedReport r) {
    return new JsonObject()
        .put("id", r.id())
        .put("name", r.name())
        .put("title", r.title())
        .put("framework", r.framework())
        .put("from", r.from().toString())
        .put("to", r.to().toString())
        .put("agencies", new JsonArray(r.agencies()))
        .put("generatedAt", r.generatedAt().toString())
        .put("generatedBy", r.generatedBy())
        .put("trigger", r.trigger())
        .put("contentSha256", r.contentSha256())
        .put("pdfSha256", r.pdfSha256())
        .put("pdfBytes", r.pdfBytes())
        .put("csvBytes", r.csvBytes())
        .put("period", ReportText.durationSpec(Duration.between(r.from(), r.to())));
  }

  static String fileName(ArchivedReport r, ReportFormat format) {
    return r.name() + "-" + FILE_TIME.format(r.generatedAt()) + "." + format.extension();
  }

  /** Asked for an agency the caller may not see. */
  private static final class NotYours extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotYours(String message) {
      super(message);
    }
  }
}
