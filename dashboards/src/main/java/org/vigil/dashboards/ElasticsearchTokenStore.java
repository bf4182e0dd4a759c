package org.vigil.dashboards;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vigil.model.Documents;

/**
 * API tokens in the {@code vigil-tokens} index. The document id is the token's SHA-256, so
 * authenticating a request is one real-time get, never a search that could miss a token made since
 * the last refresh.
 */
public final class ElasticsearchTokenStore implements TokenStore {
  public static final String INDEX = "vigil-tokens";
  private static final int MAX_TOKENS = 10_000;

  private final ElasticsearchClient client;

  public ElasticsearchTokenStore(ElasticsearchClient client) {
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
                .properties("owner", p -> p.keyword(k -> k))
                .properties("created", p -> p.date(d -> d))
                .properties("expires", p -> p.date(d -> d))
                .properties("last_used", p -> p.date(d -> d)));
  }

  @Override
  public void save(ApiToken token) {
    try {
      client.index(
          i ->
              i.index(INDEX)
                  .id(token.tokenHash())
                  .document(TokenDocument.of(token))
                  .refresh(Refresh.WaitFor));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save token " + token.id() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<ApiToken> findByHash(String tokenHash) {
    try {
      GetResponse<TokenDocument> response =
          client.get(g -> g.index(INDEX).id(tokenHash), TokenDocument.class);
      return response.found() && response.source() != null
          ? Optional.of(response.source().toToken(tokenHash))
          : Optional.empty();
    } catch (ElasticsearchException e) {
      if (e.status() == 404) {
        return Optional.empty(); // no index yet: no tokens
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokens: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<ApiToken> find(String id) {
    List<ApiToken> found = search(Query.of(q -> q.term(t -> t.field("id").value(id))));
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  @Override
  public List<ApiToken> list(String owner) {
    return search(
        owner == null
            ? Query.of(q -> q.matchAll(a -> a))
            : Query.of(q -> q.term(t -> t.field("owner").value(owner))));
  }

  @Override
  public boolean revoke(String id) {
    Optional<ApiToken> token = find(id);
    if (token.isEmpty()) {
      return false;
    }
    try {
      return client
          .delete(d -> d.index(INDEX).id(token.get().tokenHash()).refresh(Refresh.WaitFor))
          .result()
          .jsonValue()
          .equals("deleted");
    } catch (ElasticsearchException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot revoke token " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void touch(String id, Instant when) {
    Optional<ApiToken> token = find(id);
    if (token.isEmpty()) {
      return;
    }
    try {
      client.update(
          u ->
              u.index(INDEX)
                  .id(token.get().tokenHash())
                  .doc(Map.of("last_used", Documents.isoTime(when.toEpochMilli()))),
          TokenDocument.class);
    } catch (ElasticsearchException e) {
      if (e.status() != 404) { // revoked meanwhile: nothing to record
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update token " + id + ": " + e.getMessage(), e);
    }
  }

  private List<ApiToken> search(Query query) {
    try {
      SearchResponse<TokenDocument> response =
          client.search(
              s ->
                  s.index(INDEX)
                      .ignoreUnavailable(true)
                      .allowNoIndices(true)
                      .size(MAX_TOKENS)
                      .query(query)
                      .sort(
                          o ->
                              o.field(
                                  f ->
                                      f.field("created")
                                          .order(SortOrder.Asc)
                                          .unmappedType(FieldType.Date))),
              TokenDocument.class);
      List<ApiToken> tokens = new ArrayList<>();
      for (Hit<TokenDocument> hit : response.hits().hits()) {
        if (hit.source() != null) {
          tokens.add(hit.source().toToken(hit.id()));
        }
      }
      return tokens;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list tokens: " + e.getMessage(), e);
    }
  }

  /** The stored JSON object; the hash is the document id, not a field. */
  static final class TokenDocument extends LinkedHashMap<String, Object> {

    static TokenDocument of(ApiToken token) {
      TokenDocument doc = new TokenDocument();
      doc.put("id", token.id());
      doc.put("name", token.name());
      doc.put("owner", token.owner());
      doc.put("created", Documents.isoTime(token.created().toEpochMilli()));
      doc.put("expires", Documents.isoTime(token.expires().toEpochMilli()));
      if (token.lastUsed() != null) {
        doc.put("last_used", Documents.isoTime(token.lastUsed().toEpochMilli()));
      }
      return doc;
    }

    ApiToken toToken(String tokenHash) {
      Object lastUsed = get("last_used");
      return new ApiToken(
          String.valueOf(get("id")),
          String.valueOf(get("name")),
          String.valueOf(get("owner")),
          tokenHash,
          Instant.parse(String.valueOf(get("created"))),
          Instant.parse(String.valueOf(get("expires"))),
          lastUsed == null ? null : Instant.parse(String.valueOf(lastUsed)));
    }
  }
}
