package org.vigil.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs Vigil's composable index templates and the alerts index.
 *
 * <p>One component template, {@code vigil-ecs-mappings}, holds the ECS mappings shared by events
 * and alerts (alerts carry the group-by fields such as {@code source.ip} at top level, so both need
 * the same types). The index templates {@code vigil-events} and {@code vigil-alerts} compose it and
 * add settings. The JSON lives in {@code templates/*.json} on the classpath, so an operator can
 * read exactly what is installed. Installing is idempotent: templates are replaced, the alerts
 * index is created only when missing.
 *
 * <p>Event indices refresh every 5 s rather than every second. A refresh writes a new segment, and
 * at a few thousand events a second the refreshes and the merges of their many small segments cost
 * Elasticsearch a tenth to a fifth of its CPU per event; five seconds is still fresh enough for
 * event search. Alerts keep the default: the alerts sink refreshes on write.
 */
public final class IndexTemplates {
  private static final Logger LOG = LoggerFactory.getLogger(IndexTemplates.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final String COMPONENT_MAPPINGS = "vigil-ecs-mappings";
  public static final String EVENTS_TEMPLATE = "vigil-events";
  public static final String ALERTS_TEMPLATE = "vigil-alerts";

  private IndexTemplates() {}

  /** Installs with 1 shard and 0 replicas, the single-node default. */
  public static void install(ElasticsearchClient client) throws IOException {
    install(client, 1, 0);
  }

  /**
   * Installs the templates with the given shard and replica counts, then creates {@link
   * Indices#ALERTS} with its alias when it does not exist.
   */
  public static void install(ElasticsearchClient client, int shards, int replicas)
      throws IOException {
    if (shards < 1 || replicas < 0) {
      throw new IllegalArgumentException(
          "shards must be at least 1 and replicas at least 0, got " + shards + "/" + replicas);
    }
    String mappings = resource("vigil-ecs-mappings.json").toString();
    client
        .cluster()
        .putComponentTemplate(r -> r.name(COMPONENT_MAPPINGS).withJson(new StringReader(mappings)));
    for (String name : new String[] {EVENTS_TEMPLATE, ALERTS_TEMPLATE}) {
      String body = indexTemplate(name, shards, replicas);
      client.indices().putIndexTemplate(r -> r.name(name).withJson(new StringReader(body)));
    }
    createAlertsIndex(client);
    LOG.info(
        "Installed Elasticsearch templates {}, {}, {} ({} shard(s), {} replica(s))",
        COMPONENT_MAPPINGS,
        EVENTS_TEMPLATE,
        ALERTS_TEMPLATE,
        shards,
        replicas);
  }

  /** The body of an index template as sent, with the shard and replica counts filled in. */
  static String indexTemplate(String name, int shards, int replicas) {
    ObjectNode body = resource(name + ".json");
    ObjectNode settings = body.withObject("/template/settings");
    settings.put("index.number_of_shards", shards);
    settings.put("index.number_of_replicas", replicas);
    return body.toString();
  }

  private static void createAlertsIndex(ElasticsearchClient client) throws IOException {
    if (client.indices().exists(e -> e.index(Indices.ALERTS)).value()) {
      return;
    }
    try {
      client
          .indices()
          .create(
              c ->
                  c.index(Indices.ALERTS).aliases(Indices.ALERTS_ALIAS, a -> a.isWriteIndex(true)));
    } catch (ElasticsearchException e) {
      // Another Vigil process created it between our check and our create.
      if (!"resource_already_exists_exception".equals(e.error().type())) {
        throw e;
      }
    }
  }

  /** A template resource, parsed, so callers get an error here rather than from the server. */
  static ObjectNode resource(String fileName) {
    String path = "/templates/" + fileName;
    try (InputStream in = IndexTemplates.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("template resource missing from the classpath: " + path);
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read template resource " + path, e);
    }
  }
}
