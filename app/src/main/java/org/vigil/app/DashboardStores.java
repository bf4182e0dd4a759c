package org.vigil.app;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.vigil.dashboards.AuditTrail;
import org.vigil.dashboards.DashboardBackends;
import org.vigil.dashboards.ElasticsearchAlertActivityStore;
import org.vigil.dashboards.ElasticsearchAlertStore;
import org.vigil.dashboards.ElasticsearchAuditTrail;
import org.vigil.dashboards.ElasticsearchEventStore;
import org.vigil.dashboards.ElasticsearchEvidenceStore;
import org.vigil.dashboards.ElasticsearchReportArchive;
import org.vigil.dashboards.ElasticsearchTokenStore;
import org.vigil.dashboards.ElasticsearchUserStore;
import org.vigil.dashboards.HealthSources;
import org.vigil.dashboards.KafkaRuleReleaseStore;
import org.vigil.dashboards.ReportBackends;
import org.vigil.dashboards.ReportCatalog;
import org.vigil.dashboards.UserStore;
import org.vigil.dashboards.reports.ComplianceFrameworks;
import org.vigil.dashboards.reports.ElasticsearchReportGenerator;
import org.vigil.dashboards.reports.InventoryAssets;
import org.vigil.rules.release.RuleReleasePublisher;

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
    return open(client, kafkaBootstrap, health, ReportSources.NONE, clock);
  }

  /**
   * Where compliance reports find what is not in Elasticsearch. Each may be null.
   *
   * @param definitions the folder of report definition files ({@code *.yaml}) the dashboard offers
   *     and runs on their schedules
   * @param inventory the asset inventory CSV ({@code vigil up --assets}): the assets expected to
   *     send logs or flows
   * @param mappings a folder of compliance mapping files extending the shipped frameworks
   */
  public record ReportSources(Path definitions, Path inventory, Path mappings) {
    public static final ReportSources NONE = new ReportSources(null, null, null);

    /** The generator over these sources; reading the inventory and mappings fails early. */
    public ElasticsearchReportGenerator generator(
        ElasticsearchClient client,
        AuditTrail audit,
        UserStore users,
        String kafkaBootstrap,
        Clock clock) {
      RuleReleasePublisher releases = new RuleReleasePublisher(kafkaBootstrap, KAFKA_TIMEOUT);
      ComplianceFrameworks frameworks;
      try {
        frameworks =
            mappings == null ? ComplianceFrameworks.builtIn() : ComplianceFrameworks.load(mappings);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read compliance mappings: " + e.getMessage(), e);
      }
      return new ElasticsearchReportGenerator(
          client,
          audit,
          users,
          releases::allHistory,
          inventory == null ? List.of() : InventoryAssets.read(inventory),
          frameworks,
          clock);
    }
  }

  /**
   * As {@link #open(ElasticsearchClient, String, HealthSources, Clock)}, with the report sources.
   */
  public static DashboardBackends open(
      ElasticsearchClient client,
      String kafkaBootstrap,
      HealthSources health,
      ReportSources reportSources,
      Clock clock) {
    ElasticsearchUserStore users = new ElasticsearchUserStore(client);
    users.ensureIndex();
    ElasticsearchAuditTrail audit = new ElasticsearchAuditTrail(client, clock);
    audit.ensureIndex();
    ElasticsearchTokenStore tokens = new ElasticsearchTokenStore(client);
    tokens.ensureIndex();
    ElasticsearchAlertActivityStore activity = new ElasticsearchAlertActivityStore(client);
    activity.ensureIndex();
    ElasticsearchReportArchive archive = new ElasticsearchReportArchive(client);
    archive.ensureIndex();
    ReportBackends reports =
        new ReportBackends(
            ReportCatalog.load(reportSources.definitions()),
            reportSources.generator(client, audit, users, kafkaBootstrap, clock),
            archive);
    return new DashboardBackends(
        users,
        new ElasticsearchAlertStore(client),
        audit,
        tokens,
        new KafkaRuleReleaseStore(kafkaBootstrap, KAFKA_TIMEOUT),
        new ElasticsearchEventStore(client),
        health.probes(client, clock),
        activity,
        new ElasticsearchEvidenceStore(client),
        reports);
  }
}
