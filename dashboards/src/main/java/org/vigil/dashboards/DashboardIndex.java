package org.vigil.dashboards;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.mapping.DynamicMapping;
import co.elastic.clients.elasticsearch._types.mapping.TypeMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.UnaryOperator;

/**
 * The dashboard's own indices (users, tokens, audit trail, alert activity): small, so one shard
 * with a replica wherever a second node exists, and strict, so a misspelt field fails instead of
 * quietly becoming a new one.
 */
final class DashboardIndex {
  private DashboardIndex() {}

  /**
   * Creates the index with these properties unless it exists; another dashboard process creating it
   * at the same moment counts as existing.
   *
   * @return true when the index was there already
   */
  static boolean createIfMissing(
      ElasticsearchClient client, String index, UnaryOperator<TypeMapping.Builder> properties) {
    try {
      if (client.indices().exists(e -> e.index(index)).value()) {
        return true;
      }
      client
          .indices()
          .create(
              c ->
                  c.index(index)
                      .settings(s -> s.numberOfShards("1").autoExpandReplicas("0-1"))
                      .mappings(m -> properties.apply(m.dynamic(DynamicMapping.Strict))));
      return false;
    } catch (ElasticsearchException e) {
      if (e.error() != null && "resource_already_exists_exception".equals(e.error().type())) {
        return true;
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create index " + index + ": " + e.getMessage(), e);
    }
  }
}
