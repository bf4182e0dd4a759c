package org.vigil.dashboards;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.mapping.FieldType;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Generated reports in the {@code vigil-reports} index, files included (as {@code binary} fields:
 * stored, never indexed), so every dashboard process behind a proxy lists and serves the same
 * reports without a shared disk. A report is written with {@code op_type=create}: a scheduled run
 * that two processes both started is kept once.
 */
public final class ElasticsearchReportArchive implements ReportArchive {
  public static final String INDEX = "vigil-reports";

  /** The most reports one listing returns; older ones stay downloadable by id. */
  public static final int MAX_LIST = 1_000;

  private static final List<String> FILES = List.of("pdf", "csv");

  private final ElasticsearchClient client;

  public ElasticsearchReportArchive(ElasticsearchClient client) {
    this.client = client;
  }

  /** Creates the index when missing; strict, so a misspelt field fails instead of appearing. */
  public void ensureIndex() {
    DashboardIndex.createIfMissing(
        client,
        INDEX,
        m ->
            m.properties("id", p -> p.keyword(k -> k))
                .properties("name", p -> p.keyword(k -> k))
                .properties("title", p -> p.keyword(k -> k))
                .properties("framework", p -> p.keyword(k -> k))
                .properties("from", p -> p.date(d -> d))
                .properties("to", p -> p.date(d -> d))
                .properties("agencies", p -> p.keyword(k -> k))
                .properties("generated_at", p -> p.date(d -> d))
                .properties("generated_by", p -> p.keyword(k -> k))
                .properties("trigger", p -> p.keyword(k -> k))
                .properties("content_sha256", p -> p.keyword(k -> k))
                .properties("pdf_sha256", p -> p.keyword(k -> k))
                .properties("pdf_bytes", p -> p.long_(l -> l))
                .properties("csv_bytes", p -> p.long_(l -> l))
                .properties("pdf", p -> p.binary(b -> b))
                .properties("csv", p -> p.binary(b -> b)));
  }

  @Override
  public boolean store(ArchivedReport report, byte[] pdf, byte[] csvZip) {
    Map<String, Object> doc = metadata(report);
    doc.put("pdf", Base64.getEncoder().encodeToString(pdf));
    doc.put("csv", Base64.getEncoder().encodeToString(csvZip));
    try {
      client.create(c -> c.index(INDEX).id(report.id()).document(doc).refresh(Refresh.WaitFor));
      return true;
    } catch (ElasticsearchException e) {
      if (e.status() == 409) {
        return false;
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot keep report " + report.id() + " in " + INDEX + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<ArchivedReport> list(AgencyScope scope, int size) {
    Query query = scope.unrestricted() ? Query.of(q -> q.matchAll(a -> a)) : scopeQuery(scope);
    // The query already keeps what the scope may read; the filter keeps the rule in one place.
    return search(query, Math.min(Math.max(size, 1), MAX_LIST), SortOrder.Desc).stream()
        .filter(r -> r.visibleTo(scope))
        .toList();
  }

  @Override
  public Optional<ArchivedReport> get(String id) {
    return getSource(id, List.of()).map(ElasticsearchReportArchive::fromSource);
  }

  @Override
  public Optional<byte[]> file(String id, ReportFormat format) {
    String field = format == ReportFormat.PDF ? "pdf" : "csv";
    return getSource(id, List.of(field))
        .map(source -> source.get(field))
        .map(value -> Base64.getDecoder().decode(value.toString()));
  }

  @Override
  public void prune(String name, int keep) {
    Query query =
        Query.of(
            q ->
                q.bool(
                    b ->
                        b.filter(f -> f.term(t -> t.field("name").value(name)))
                            .filter(
                                f ->
                                    f.term(
                                        t -> t.field("trigger").value(ArchivedReport.SCHEDULE)))));
    List<ArchivedReport> kept = search(query, MAX_LIST, SortOrder.Desc);
    for (ArchivedReport old : kept.subList(Math.min(keep, kept.size()), kept.size())) {
      try {
        client.delete(d -> d.index(INDEX).id(old.id()).refresh(Refresh.WaitFor));
      } catch (ElasticsearchException e) {
        if (e.status() != 404) { // another process pruned it first
          throw e;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete report " + old.id() + ": " + e, e);
      }
    }
  }

  /** Reports whose every agency is in scope: some agency of theirs, and none outside. */
  private static Query scopeQuery(AgencyScope scope) {
    List<FieldValue> mine = scope.organizationIds().stream().map(FieldValue::of).toList();
    return Query.of(
        q ->
            q.bool(
                b ->
                    b.filter(f -> f.terms(t -> t.field("agencies").terms(v -> v.value(mine))))
                        .mustNot(
                            n ->
                                n.bool(
                                    o ->
                                        o.filter(f -> f.exists(e -> e.field("agencies")))
                                            .mustNot(
                                                m ->
                                                    m.terms(
                                                        t ->
                                                            t.field("agencies")
                                                                .terms(v -> v.value(mine))))))));
  }

  private List<ArchivedReport> search(Query query, int size, SortOrder order) {
    try {
      @SuppressWarnings("rawtypes")
      SearchResponse<Map> response =
          client.search(
              s ->
                  s.index(INDEX)
                      .ignoreUnavailable(true)
                      .allowNoIndices(true)
                      .size(size)
                      .query(query)
                      .source(src -> src.filter(f -> f.excludes(FILES)))
                      .sort(
                          o ->
                              o.field(
                                  f ->
                                      f.field("generated_at")
                                          .order(order)
                                          .unmappedType(FieldType.Date))),
              Map.class);
      List<ArchivedReport> reports = new ArrayList<>();
      for (@SuppressWarnings("rawtypes") Hit<Map> hit : response.hits().hits()) {
        if (hit.source() != null) {
          reports.add(fromSource(cast(hit.source())));
        }
      }
      return reports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list reports: " + e.getMessage(), e);
    }
  }

  private Optional<Map<String, Object>> getSource(String id, List<String> includes) {
    try {
      @SuppressWarnings("rawtypes")
      GetResponse<Map> response =
          client.get(
              g ->
                  g.index(INDEX)
                      .id(id)
                      .sourceIncludes(includes)
                      .sourceExcludes(includes.isEmpty() ? FILES : List.of()),
              Map.class);
      return response.found() && response.source() != null
          ? Optional.of(cast(response.source()))
          : Optional.empty();
    } catch (ElasticsearchException e) {
      if (e.status() == 404) {
        return Optional.empty(); // no index yet: no reports
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read report " + id + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(@SuppressWarnings("rawtypes") Map source) {
    return (Map<String, Object>) source;
  }

  private static Map<String, Object> metadata(ArchivedReport r) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("id", r.id());
    doc.put("name", r.name());
    doc.put("title", r.title());
    doc.put("framework", r.framework());
    doc.put("from", r.from().toString());
    doc.put("to", r.to().toString());
    doc.put("agencies", r.agencies());
    doc.put("generated_at", r.generatedAt().toString());
    doc.put("generated_by", r.generatedBy());
    doc.put("trigger", r.trigger());
    doc.put("content_sha256", r.contentSha256());
    doc.put("pdf_sha256", r.pdfSha256());
    doc.put("pdf_bytes", r.pdfBytes());
    doc.put("csv_bytes", r.csvBytes());
    return doc;
  }

  private static ArchivedReport fromSource(Map<String, Object> s) {
    Object agencies = s.get("agencies");
    List<String> list = new ArrayList<>();
    if (agencies instanceof List<?> values) {
      values.forEach(v -> list.add(String.valueOf(v)));
    } else if (agencies != null) {
      list.add(agencies.toString());
    }
    return new ArchivedReport(
        (String) s.get("id"),
        (String) s.get("name"),
        (String) s.get("title"),
        (String) s.get("framework"),
        Instant.parse((String) s.get("from")),
        Instant.parse((String) s.get("to")),
        list,
        Instant.parse((String) s.get("generated_at")),
        (String) s.get("generated_by"),
        (String) s.get("trigger"),
        (String) s.get("content_sha256"),
        (String) s.get("pdf_sha256"),
        ((Number) s.get("pdf_bytes")).longValue(),
        ((Number) s.get("csv_bytes")).longValue());
  }
}
