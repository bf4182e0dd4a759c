package org.vigil.dashboards;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.mapping.FieldType;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.core.search.TotalHits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vigil.model.Documents;

/**
 * The audit trail in the {@code vigil-audit} index. Record {@code n} has document id {@code n} and
 * is written with {@code op_type=create}, so two dashboard processes can never both write record
 * {@code n}: the loser re-reads the head and chains after the winner.
 */
public final class ElasticsearchAuditTrail implements AuditTrail {
  public static final String INDEX = "vigil-audit";
  private static final int MAX_CREATE_ATTEMPTS = 20;
  private static final int VERIFY_PAGE = 1000;

  private final ElasticsearchClient client;
  private final Clock clock;
  private long headSeq = -1; // unknown until first read
  private String headHash;

  public ElasticsearchAuditTrail(ElasticsearchClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * Creates the index when missing. Strict mapping: records are never updated, and {@code details}
   * is stored, not indexed, so what an action records cannot clash with another's field types.
   */
  public void ensureIndex() {
    DashboardIndex.createIfMissing(
        client,
        INDEX,
        m ->
            m.properties("seq", p -> p.long_(l -> l))
                .properties("@timestamp", p -> p.date(d -> d))
                .properties("actor", p -> p.keyword(k -> k))
                .properties("action", p -> p.keyword(k -> k))
                .properties("target", p -> p.keyword(k -> k))
                .properties("outcome", p -> p.keyword(k -> k))
                .properties("client_address", p -> p.keyword(k -> k))
                .properties("details", p -> p.object(o -> o.enabled(false)))
                .properties("prev_hash", p -> p.keyword(k -> k))
                .properties("hash", p -> p.keyword(k -> k)));
  }

  @Override
  public synchronized long append(AuditEvent event) {
    try {
      for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
        if (headSeq < 0) {
          readHead();
        }
        long seq = headSeq + 1;
        Map<String, Object> record =
            AuditChain.record(seq, Documents.isoTime(clock.millis()), headHash, event);
        if (create(seq, record)) {
          headSeq = seq;
          headHash = (String) record.get("hash");
          return seq;
        }
        headSeq = -1; // another process wrote record seq: chain after it
      }
      throw new UncheckedIOException(
          new IOException(
              "could not append to " + INDEX + ": " + MAX_CREATE_ATTEMPTS + " writers raced"));
    } catch (IOException e) {
      headSeq = -1;
      throw new UncheckedIOException("cannot write audit record: " + e.getMessage(), e);
    }
  }

  /**
   * Pages through every record by {@code search_after} on {@code seq}, which, unlike from/size,
   * reaches past 10,000 records and costs the same per page however deep.
   */
  @Override
  public AuditVerification verify() {
    AuditChainVerifier verifier = new AuditChainVerifier();
    try {
      Long after = null;
      while (true) {
        Long searchAfter = after;
        SearchResponse<AuditSource> page =
            client.search(
                s -> {
                  s.index(INDEX)
                      .ignoreUnavailable(true)
                      .allowNoIndices(true)
                      .size(VERIFY_PAGE)
                      .trackTotalHits(t -> t.enabled(false))
                      .sort(
                          o ->
                              o.field(
                                  f ->
                                      f.field("seq")
                                          .order(SortOrder.Asc)
                                          .unmappedType(FieldType.Long)));
                  if (searchAfter != null) {
                    s.searchAfter(searchAfter);
                  }
                  return s;
                },
                AuditSource.class);
        List<Hit<AuditSource>> hits = page.hits().hits();
        for (Hit<AuditSource> hit : hits) {
          if (!verifier.accept(hit.source() == null ? Map.of() : hit.source())) {
            return verifier.result();
          }
        }
        if (hits.size() < VERIFY_PAGE) {
          return verifier.result();
        }
        after = hits.get(hits.size() - 1).sort().get(0).longValue();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit trail: " + e.getMessage(), e);
    }
  }

  @Override
  public AuditPage search(AuditQuery query) {
    BoolQuery.Builder bool = new BoolQuery.Builder();
    term(bool, "actor", query.actor());
    term(bool, "action", query.action());
    term(bool, "target", query.target());
    if (query.from() != null || query.to() != null) {
      bool.filter(
          q ->
              q.range(
                  r ->
                      r.date(
                          d -> {
                            d.field("@timestamp");
                            if (query.from() != null) {
                              d.gte(query.from());
                            }
                            if (query.to() != null) {
                              d.lte(query.to());
                            }
                            return d;
                          })));
    }
    try {
      SearchResponse<AuditSource> response =
          client.search(
              s ->
                  s.index(INDEX)
                      .ignoreUnavailable(true)
                      .allowNoIndices(true)
                      .from(query.offset())
                      .size(query.size())
                      .trackTotalHits(t -> t.enabled(true))
                      .query(q -> q.bool(bool.build()))
                      .sort(
                          o ->
                              o.field(
                                  f ->
                                      f.field("seq")
                                          .order(SortOrder.Desc)
                                          .unmappedType(FieldType.Long))),
              AuditSource.class);
      List<AuditRecord> records = new ArrayList<>();
      for (Hit<AuditSource> hit : response.hits().hits()) {
        if (hit.source() != null) {
          records.add(AuditRecord.fromStored(hit.source()));
        }
      }
      TotalHits total = response.hits().total();
      return new AuditPage(total == null ? records.size() : total.value(), records);
    } catch (ElasticsearchException e) {
      if (e.status() == 400) {
        throw new IllegalArgumentException(
            "Elasticsearch rejected the audit query (check from and to): " + e.getMessage(), e);
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot search the audit trail: " + e.getMessage(), e);
    }
  }

  private static void term(BoolQuery.Builder bool, String field, String value) {
    if (value != null && !value.isBlank()) {
      bool.filter(q -> q.term(t -> t.field(field).value(value)));
    }
  }

  private boolean create(long seq, Map<String, Object> record) throws IOException {
    try {
      client.create(
          c -> c.index(INDEX).id(Long.toString(seq)).document(record).refresh(Refresh.WaitFor));
      return true;
    } catch (ElasticsearchException e) {
      if (e.status() == 409) {
        return false;
      }
      if (e.status() == 404) {
        ensureIndex();
        return false;
      }
      throw e;
    }
  }

  /**
   * The newest record: the highest {@code seq} search sees, then real-time gets past it for records
   * written since the last refresh.
   */
  private void readHead() throws IOException {
    long seq = 0;
    String hash = AuditChain.GENESIS;
    SearchResponse<AuditSource> newest =
        client.search(
            s ->
                s.index(INDEX)
                    .ignoreUnavailable(true)
                    .allowNoIndices(true)
                    .size(1)
                    .sort(
                        o ->
                            o.field(
                                f ->
                                    f.field("seq")
                                        .order(SortOrder.Desc)
                                        .unmappedType(FieldType.Long))),
            AuditSource.class);
    for (Hit<AuditSource> hit : newest.hits().hits()) {
      if (hit.source() != null) {
        seq = ((Number) hit.source().get("seq")).longValue();
        hash = (String) hit.source().get("hash");
      }
    }
    while (true) {
      long next = seq + 1;
      GetResponse<AuditSource> later;
      try {
        later = client.get(g -> g.index(INDEX).id(Long.toString(next)), AuditSource.class);
      } catch (ElasticsearchException e) {
        if (e.status() == 404) {
          break;
        }
        throw e;
      }
      if (!later.found() || later.source() == null) {
        break;
      }
      seq = next;
      hash = (String) later.source().get("hash");
    }
    headSeq = seq;
    headHash = hash;
  }

  /** A record's {@code _source}: a typed map so the client's JSON mapper can build it. */
  static final class AuditSource extends LinkedHashMap<String, Object> {}
}
