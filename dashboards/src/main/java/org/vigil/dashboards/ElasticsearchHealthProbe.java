package org.vigil.dashboards;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;

/** Elasticsearch's own cluster health: green, yellow (replicas unassigned), red (a primary). */
public final class ElasticsearchHealthProbe implements HealthProbe {
  private final ElasticsearchClient client;

  public ElasticsearchHealthProbe(ElasticsearchClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "elasticsearch";
  }

  @Override
  public ComponentHealth probe() throws Exception {
    HealthResponse h =
        client.cluster().health(r -> r.timeout(t -> t.time(TIMEOUT.toMillis() + "ms")));
    String detail =
        "cluster "
            + h.clusterName()
            + " "
            + h.status().jsonValue()
            + ", "
            + h.numberOfNodes()
            + " node(s), "
            + h.activeShards()
            + " active shards, "
            + h.unassignedShards()
            + " unassigned";
    return switch (h.status()) {
      case Red ->
          new ComponentHealth(
              name(),
              HealthStatus.RED,
              detail,
              "A primary shard is unassigned: check disk space against Elasticsearch's watermarks"
                  + " and its log (GET _cluster/allocation/explain says why).");
      case Unknown, Unavailable ->
          new ComponentHealth(
              name(),
              HealthStatus.RED,
              detail,
              "Elasticsearch cannot tell its cluster's health: check that a master node is"
                  + " elected (GET _cat/nodes) and the nodes can reach each other.");
      case Yellow ->
          new ComponentHealth(
              name(),
              HealthStatus.YELLOW,
              detail,
              "Replica shards are unassigned: add a node or set number_of_replicas to 0 on a"
                  + " single-node cluster.");
      case Green -> ComponentHealth.green(name(), detail);
    };
  }

  @Override
  public String unreachable() {
    return "Elasticsearch does not answer: check that its process is running and reachable at the"
        + " configured URL, and its log for out-of-memory or disk errors.";
  }
}
