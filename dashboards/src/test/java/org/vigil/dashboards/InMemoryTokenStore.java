package org.vigil.dashboards;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** API tokens in a map keyed by hash, like the Elasticsearch store's document ids. */
final class InMemoryTokenStore implements TokenStore {
  private final Map<String, ApiToken> byHash = new ConcurrentHashMap<>();

  @Override
  public void save(ApiToken token) {
    byHash.put(token.tokenHash(), token);
  }

  @Override
  public Optional<ApiToken> findByHash(String tokenHash) {
    return Optional.ofNullable(byHash.get(tokenHash));
  }

  @Override
  public Optional<ApiToken> find(String id) {
    return byHash.values().stream().filter(t -> t.id().equals(id)).findFirst();
  }

  @Override
  public List<ApiToken> list(String owner) {
    return byHash.values().stream()
        .filter(t -> owner == null || t.owner().equals(owner))
        .sorted(Comparator.comparing(ApiToken::created))
        .toList();
  }

  @Override
  public boolean revoke(String id) {
    return find(id).map(t -> byHash.remove(t.tokenHash()) != null).orElse(false);
  }

  @Override
  public void touch(String id, Instant when) {
    find(id).ifPresent(t -> byHash.put(t.tokenHash(), t.withLastUsed(when)));
  }
}
