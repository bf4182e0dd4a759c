package org.vigil.correlation;

import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.vigil.correlation.enrich.EnrichmentSettings;
import org.vigil.correlation.netflow.NetflowDecodeSettings;
import org.vigil.elasticsearch.ElasticsearchSettings;

/**
 * What the correlation job needs to know about its surroundings and its time handling.
 *
 * @param kafkaBootstrap Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}
 * @param consumerGroup consumer group whose committed offsets say where a fresh start resumes
 * @param elasticsearch where events and alerts are indexed
 * @param defaultZone zone for device timestamps that carry none (RFC 3164)
 * @param maxClockSkew device time further than this from the receive time is not trusted
 * @param outOfOrderness how late an event may arrive and still be in time for its window
 * @param idleness a source partition silent this long no longer holds back the watermark
 * @param maxFactsPerGroup events held per rule and group at most
 * @param sourceZonesFile file of {@code CIDR ZONE} lines giving the zone of zone-less device times
 *     per sender network (see {@link org.vigil.correlation.parse.SourceZones#parse}), {@code
 *     defaultZone} for the rest; {@code null} for none
 * @param netflow NetFlow/IPFIX template and pending-set state bounds, and whether the sampling
 *     interval is applied to {@code network.bytes}/{@code network.packets}
 * @param organizationsFile file of {@code CIDR ORGANIZATION_ID} lines giving the agency ({@code
 *     organization.id}) of each sender network (see {@link
 *     org.vigil.correlation.enrich.AssetInventory}); {@code null} for none
 * @param enrichment the asset inventory, threat-intel feeds and how often they are reloaded
 */
public record CorrelationConfig(
    String kafkaBootstrap,
    String consumerGroup,
    ElasticsearchSettings elasticsearch,
    ZoneId defaultZone,
    Duration maxClockSkew,
    Duration outOfOrderness,
    Duration idleness,
    int maxFactsPerGroup,
    String sourceZonesFile,
    NetflowDecodeSettings netflow,
    String organizationsFile,
    EnrichmentSettings enrichment)
    implements Serializable {

  /** How late a log line or Beats event may arrive and still be in time for its window. */
  public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(5);

  public CorrelationConfig {
    enrichment = enrichment == null ? EnrichmentSettings.none() : enrichment;
  }

  /** Without NetFlow settings ({@link NetflowDecodeSettings#defaults()}) or agencies. */
  public CorrelationConfig(
      String kafkaBootstrap,
      String consumerGroup,
      ElasticsearchSettings elasticsearch,
      ZoneId defaultZone,
      Duration maxClockSkew,
      Duration outOfOrderness,
      Duration idleness,
      int maxFactsPerGroup,
      String sourceZonesFile) {
    this(
        kafkaBootstrap,
        consumerGroup,
        elasticsearch,
        defaultZone,
        maxClockSkew,
        outOfOrderness,
        idleness,
        maxFactsPerGroup,
        sourceZonesFile,
        NetflowDecodeSettings.defaults(),
        null,
        EnrichmentSettings.none());
  }

  public static CorrelationConfig defaults(
      String kafkaBootstrap, ElasticsearchSettings elasticsearch) {
    return new CorrelationConfig(
        kafkaBootstrap,
        "vigil-correlation",
        elasticsearch,
        ZoneId.systemDefault(),
        Duration.ofMinutes(10),
        DEFAULT_OUT_OF_ORDERNESS,
        Duration.ofSeconds(10),
        1000,
        null);
  }

  /** This config with zone-less device times read per sender network from {@code file}. */
  public CorrelationConfig withSourceZonesFile(String file) {
    return new CorrelationConfig(
        kafkaBootstrap,
        consumerGroup,
        elasticsearch,
        defaultZone,
        maxClockSkew,
        outOfOrderness,
        idleness,
        maxFactsPerGroup,
        file,
        netflow,
        organizationsFile,
        enrichment);
  }

  /** This config with other NetFlow/IPFIX decode settings. */
  public CorrelationConfig withNetflow(NetflowDecodeSettings settings) {
    return new CorrelationConfig(
        kafkaBootstrap,
        consumerGroup,
        elasticsearch,
        defaultZone,
        maxClockSkew,
        outOfOrderness,
        idleness,
        maxFactsPerGroup,
        sourceZonesFile,
        settings,
        organizationsFile,
        enrichment);
  }

  /** This config with each sender network's agency read from {@code file}. */
  public CorrelationConfig withOrganizationsFile(String file) {
    return new CorrelationConfig(
        kafkaBootstrap,
        consumerGroup,
        elasticsearch,
        defaultZone,
        maxClockSkew,
        outOfOrderness,
        idleness,
        maxFactsPerGroup,
        sourceZonesFile,
        netflow,
        file,
        enrichment);
  }

  /**
   * This config with other bounds on out-of-order arrival: {@code events} for log lines and Beats
   * events, {@code flows} for NetFlow/IPFIX flows ({@link NetflowDecodeSettings#outOfOrderness}).
   */
  public CorrelationConfig withOutOfOrderness(Duration events, Duration flows) {
    return new CorrelationConfig(
        kafkaBootstrap,
        consumerGroup,
        elasticsearch,
        defaultZone,
        maxClockSkew,
        events,
        idleness,
        maxFactsPerGroup,
        sourceZonesFile,
        netflow.withOutOfOrderness(flows),
        organizationsFile,
        enrichment);
  }

  /** This config with the asset inventory CSV read from {@code file}. */
  public CorrelationConfig withAssetsFile(String file) {
    return withEnrichment(enrichment.withAssetsFile(file));
  }

  /** This config with threat-intel feeds read from these files and folders. */
  public CorrelationConfig withIntelPaths(List<String> paths) {
    return withEnrichment(enrichment.withIntelPaths(paths));
  }

  /** This config with other enrichment files or reload interval. */
  public CorrelationConfig withEnrichment(EnrichmentSettings settings) {
    return new CorrelationConfig(
        kafkaBootstrap,
        consumerGroup,
        elasticsearch,
        defaultZone,
        maxClockSkew,
        outOfOrderness,
        idleness,
        maxFactsPerGroup,
        sourceZonesFile,
        netflow,
        organizationsFile,
        settings);
  }
}
