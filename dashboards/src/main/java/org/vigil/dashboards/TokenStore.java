package org.vigil.dashboards;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where API tokens live. Calls may block (network): keep them off the event loop. */
public interface TokenStore {

  /** Stores a new token. */
  void save(ApiToken token);

  /** The token whose secret hashes to {@code tokenHash}, expired or not. */
  Optional<ApiToken> findByHash(String tokenHash);

  /** The token with this public id. */
  Optional<ApiToken> find(String id);

  /** Tokens of {@code owner}, or of everyone when null, oldest first. */
  List<ApiToken> list(String owner);

  /** Deletes the token; returns true when there was one. */
  boolean revoke(String id);

  /** Records that the token was used at {@code when}. */
  void touch(String id, Instant when);
}
