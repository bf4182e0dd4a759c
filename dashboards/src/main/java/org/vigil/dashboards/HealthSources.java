package org.vigil.dashboards;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the health page looks. Each part may be null when that component does not run (no Flink UI
 * port, no metrics port); it is then left off the page.
 *
 * @param flinkRestUrl Flink's REST API, e.g. {@code http://127.0.0.1:8081}
 * @param kafkaBootstrap Kafka bootstrap servers
 * @param consumerGroup the correlation job's consumer group
 * @param collectorMetricsUrl a collector's Prometheus endpoint, e.g. {@code
 *     http://127.0.0.1:9464/metrics}
 */
public record HealthSources(
    URI flinkRestUrl, String kafkaBootstrap, String consumerGroup, URI collectorMetricsUrl) {

  /** Lag from which the job is called slow, and stuck: a few seconds and a few minutes of input. */
  public static final long YELLOW_LAG = 50_000;

  public static final long RED_LAG = 5_000_000;

  /** The probes: Elasticsearch always, the others when configured. */
  public List<HealthProbe> probes(ElasticsearchClient elasticsearch, Clock clock) {
    List<HealthProbe> probes = new ArrayList<>();
    if (collectorMetricsUrl != null) {
      probes.add(new CollectorMetricsProbe(collectorMetricsUrl, clock));
    }
    if (kafkaBootstrap != null && consumerGroup != null) {
      probes.add(new KafkaLagProbe(kafkaBootstrap, consumerGroup, YELLOW_LAG, RED_LAG));
    }
    if (flinkRestUrl != null) {
      probes.add(new FlinkJobProbe(flinkRestUrl, null, clock));
    }
    probes.add(new ElasticsearchHealthProbe(elasticsearch));
    return List.copyOf(probes);
  }
}
