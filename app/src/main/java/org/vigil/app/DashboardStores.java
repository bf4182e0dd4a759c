package org.vigil.app;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.time.Clock;
import java.time.Duration;
import org.vigil.dashboards.DashboardBackends;
import org.vigil.dashboards.ElasticsearchAlertActivityStore;
import org.vigil.dashboards.ElasticsearchAlertStore;
import org.vigil.dashboards.ElasticsearchAuditTrail;
import org.vigil.dashboards.ElasticsearchEventStore;
import org.vigil.dashboards.ElasticsearchEvidenceStore;
import org.vigil.dashboards.ElasticsearchTokenStore;
import org.vigil.dashboards.ElasticsearchUserStore;
import org.vigil.dashboards.HealthSources;
import org.vigil.dashboards.KafkaRuleReleaseStore;

/**
 * The dashboard's production backends: every store on Elasticsearch, rule releases on Kafka. One
 * place wires them, so the all-in-one and the integration tests run the same dashboard.
 */
public final class DashboardStores {
  /** Bound on each Kafka request of the rules API: a dead broker answers 503, not a hang. */
  static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

  private DashboardStores() {}

  /**
   * Creates the dashboard's own indices when missing (users, audit trail, tokens, alert activity)
   * and returns the backends over them.
   *
   * @param kafkaBootstrap the Kafka holding {@code vigil.rules}, for the rules API
   * @param health what the health page probes besides Elasticsearch
   */
  public static DashboardBackends open(
      ElasticsearchClient client, String kafkaBootstrap, HealthSources health, Clock clock) {
    ElasticsearchUserStore users = new ElasticsearchUserStore(client);
    users.ensureIndex();
    ElasticsearchAuditTrail audit = new ElasticsearchAuditTrail(client, clock);
    audit.ensureIndex();
    ElasticsearchTokenStore tokens = new ElasticsearchTokenStore(client);
    tokens.ensureIndex();
    ElasticsearchAlertActivityStore activity = new ElasticsearchAlertActivityStore(client);
    activity.ensureIndex();
    return new DashboardBackends(
        users,
        new ElasticsearchAlertStore(client),
        audit,
        tokens,
        new KafkaRuleReleaseStore(kafkaBootstrap, KAFKA_TIMEOUT),
        new ElasticsearchEventStore(client),
        health.probes(client, clock),
        activity,
        new ElasticsearchEvidenceStore(client));
  }
}
