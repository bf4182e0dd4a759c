package org.vigil.dashboards;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Users in the {@code vigil-users} index, one document per user with the username as its id, so a
 * save is an idempotent overwrite and a lookup is a real-time get.
 */
public final class ElasticsearchUserStore implements UserStore {
  public static final String INDEX = "vigil-users";

  /** Far more users than a SOC has; listing them is one page. */
  private static final int MAX_USERS = 10_000;

  private final ElasticsearchClient client;
  private volatile boolean indexReady;

  public ElasticsearchUserStore(ElasticsearchClient client) {
    this.client = client;
  }

  /**
   * Creates the index when missing. Strict keyword mapping: the hash must never be analysed or
   * searchable, and a typo in a field name should fail rather than add a field.
   */
  public void ensureIndex() {
    if (indexReady) {
      return;
    }
    boolean existed =
        DashboardIndex.createIfMissing(
            client,
            INDEX,
            m ->
                m.properties("username", p -> p.keyword(k -> k))
                    .properties(
                        "password_hash",
                        p -> p.keyword(k -> k.index(false).docValues(d -> d.enabled(false))))
                    .properties("roles", p -> p.keyword(k -> k))
                    .properties("agencies", p -> p.keyword(k -> k))
                    .properties("disabled", p -> p.boolean_(b -> b)));
    if (existed) {
      try {
        // Indices made before users could be disabled: adding a field to a mapping is allowed.
        client
            .indices()
            .putMapping(m -> m.index(INDEX).properties("disabled", p -> p.boolean_(b -> b)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot update index " + INDEX + ": " + e.getMessage(), e);
      }
    }
    indexReady = true;
  }

  @Override
  public Optional<User> find(String username) {
    try {
      GetResponse<UserDocument> response =
          client.get(g -> g.index(INDEX).id(username), UserDocument.class);
      return response.found() && response.source() != null
          ? Optional.of(response.source().toUser())
          : Optional.empty();
    } catch (ElasticsearchException e) {
      if (e.status() == 404) {
        return Optional.empty(); // no index yet: nobody exists
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read user " + username + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void save(User user) {
    ensureIndex();
    try {
      client.index(
          i ->
              i.index(INDEX)
                  .id(user.username())
                  .document(UserDocument.of(user))
                  .refresh(Refresh.WaitFor));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot save user " + user.username() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean delete(String username) {
    try {
      return client
          .delete(d -> d.index(INDEX).id(username).refresh(Refresh.WaitFor))
          .result()
          .jsonValue()
          .equals("deleted");
    } catch (ElasticsearchException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete user " + username + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<User> list() {
    try {
      SearchResponse<UserDocument> response =
          client.search(
              s ->
                  s.index(INDEX)
                      .ignoreUnavailable(true)
                      .allowNoIndices(true)
                      .size(MAX_USERS)
                      .sort(o -> o.field(f -> f.field("username").order(SortOrder.Asc))),
              UserDocument.class);
      List<User> users = new ArrayList<>();
      for (Hit<UserDocument> hit : response.hits().hits()) {
        if (hit.source() != null) {
          users.add(hit.source().toUser());
        }
      }
      return users;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list users: " + e.getMessage(), e);
    }
  }

  /** The stored JSON object; a map keeps the field names explicit and the JSON mapper generic. */
  static final class UserDocument extends LinkedHashMap<String, Object> {

    static UserDocument of(User user) {
      UserDocument doc = new UserDocument();
      doc.put("username", user.username());
      doc.put("password_hash", user.passwordHash());
      doc.put(
          "roles", user.roles().stream().map(Role::wireName).sorted().collect(Collectors.toList()));
      doc.put("agencies", user.agencies());
      doc.put("disabled", user.disabled());
      return doc;
    }

    User toUser() {
      Set<Role> roles =
          strings(get("roles")).stream().map(Role::fromWireName).collect(Collectors.toSet());
      return new User(
          String.valueOf(get("username")),
          String.valueOf(get("password_hash")),
          roles,
          strings(get("agencies")),
          Boolean.TRUE.equals(get("disabled")));
    }

    private static List<String> strings(Object value) {
      if (value instanceof Collection<?> c) {
        return c.stream().map(String::valueOf).collect(Collectors.toList());
      }
      return value == null ? List.of() : List.of(String.valueOf(value));
    }

    /** Never print the hash. */
    @Override
    public String toString() {
      Map<String, Object> copy = new LinkedHashMap<>(this);
      copy.remove("password_hash");
      return copy.toString();
    }
  }
}
