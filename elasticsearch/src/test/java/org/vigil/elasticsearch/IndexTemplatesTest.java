package org.vigil.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexTemplatesTest {
  private static final JsonNode PROPERTIES =
      IndexTemplates.resource("vigil-ecs-mappings.json").at("/template/mappings/properties");

  private static String typeOf(String field) {
    JsonNode mapping = PROPERTIES.get(field);
    assertThat(mapping).as("mapping of " + field).isNotNull();
    return mapping.get("type").asText();
  }

  @Test
  void mapsTimesAsDates() {
    for (String field :
        List.of(
            "@timestamp",
            "event.ingested",
            "event.created",
            "vigil.alert.first_seen",
            "vigil.alert.last_seen",
            "vigil.latency.created",
            "vigil.latency.received",
            "vigil.latency.detected",
            "vigil.latency.indexed")) {
      assertThat(typeOf(field)).as(field).isEqualTo("date");
    }
  }

  @Test
  void mapsAddressesAsIpAndCountsAsLong() {
    for (String field :
        List.of("source.ip", "destination.ip", "observer.ip", "host.ip", "vigil.asset.ip")) {
      assertThat(typeOf(field)).as(field).isEqualTo("ip");
    }
    for (String field :
        List.of(
            "source.port",
            "destination.port",
            "network.bytes",
            "network.packets",
            "vigil.alert.count",
            "vigil.alert.risk_score",
            "event.severity",
            "log.syslog.facility.code",
            "log.syslog.severity.code",
            "process.pid")) {
      assertThat(typeOf(field)).as(field).isEqualTo("long");
    }
  }

  @Test
  void mapsTheRestOfTheContractAsKeywordAndTextOnlyWhereMeant() {
    for (String field :
        List.of(
            "event.kind",
            "event.category",
            "event.type",
            "event.action",
            "event.outcome",
            "event.dataset",
            "host.name",
            "user.name",
            "network.transport",
            "network.community_id",
            "organization.id",
            "rule.id",
            "rule.name",
            "rule.version",
            "rule.ruleset",
            "threat.technique.id",
            "vigil.alert.severity",
            "vigil.alert.status",
            "vigil.alert.resolution",
            "vigil.alert.assignee",
            "vigil.alert.evidence",
            "vigil.asset.criticality",
            "threat.enrichments.matched.atomic",
            "threat.enrichments.matched.field",
            "threat.enrichments.indicator.type",
            "threat.enrichments.indicator.provider")) {
      assertThat(typeOf(field)).as(field).isEqualTo("keyword");
    }
    assertThat(typeOf("message")).isEqualTo("text");
    assertThat(typeOf("event.risk_score")).as("ECS defines it as float").isEqualTo("float");
    assertThat(typeOf("event.original")).isEqualTo("text");
  }

  @Test
  void mapsUnknownStringsAsKeywordWithoutGuessingDates() {
    JsonNode mappings = IndexTemplates.resource("vigil-ecs-mappings.json").at("/template/mappings");
    assertThat(mappings.get("date_detection").asBoolean()).isFalse();
    JsonNode templates = mappings.get("dynamic_templates");
    JsonNode last = templates.get(templates.size() - 1).get("strings_as_keyword");
    assertThat(last.get("match_mapping_type").asText()).isEqualTo("string");
    assertThat(last.at("/mapping/type").asText()).isEqualTo("keyword");
  }

  @Test
  void mapsNetflowAddressesTimesAndNumbersBeforeTheKeywordFallback() {
    JsonNode templates =
        IndexTemplates.resource("vigil-ecs-mappings.json")
            .at("/template/mappings/dynamic_templates");
    Map<String, String> typeByTemplate = new LinkedHashMap<>();
    templates.forEach(
        t ->
            t.properties()
                .forEach(
                    e ->
                        typeByTemplate.put(e.getKey(), e.getValue().at("/mapping/type").asText())));

    assertThat(typeByTemplate)
        .containsEntry("netflow_addresses_as_ip", "ip")
        .containsEntry("netflow_times_as_date", "date")
        .containsEntry("netflow_numbers_as_long", "long")
        .containsEntry("netflow_unknown_enterprise_elements_unindexed", "object");
    assertThat(List.copyOf(typeByTemplate.keySet())).last().isEqualTo("strings_as_keyword");
  }

  @Test
  void usesOnlyCoreFieldTypes() {
    assertThat(IndexTemplates.resource("vigil-ecs-mappings.json").toString())
        .doesNotContain("match_only_text", "wildcard", "constant_keyword");
  }

  @Test
  void fillsInShardAndReplicaCounts() throws Exception {
    JsonNode body = new ObjectMapper().readTree(IndexTemplates.indexTemplate("vigil-events", 3, 2));
    assertThat(body.at("/template/settings/index.number_of_shards").asInt()).isEqualTo(3);
    assertThat(body.at("/template/settings/index.number_of_replicas").asInt()).isEqualTo(2);
    assertThat(body.get("index_patterns").get(0).asText()).isEqualTo(Indices.EVENTS_PATTERN);
    assertThat(body.get("composed_of").get(0).asText())
        .isEqualTo(IndexTemplates.COMPONENT_MAPPINGS);
    JsonNode alerts =
        new ObjectMapper().readTree(IndexTemplates.indexTemplate("vigil-alerts", 1, 0));
    assertThat(alerts.get("index_patterns").get(0).asText()).isEqualTo(Indices.ALERTS_PATTERN);
  }

  @Test
  void refreshesEventIndicesEveryFiveSecondsAndAlertIndicesByDefault() throws Exception {
    JsonNode events =
        new ObjectMapper().readTree(IndexTemplates.indexTemplate("vigil-events", 1, 0));
    assertThat(events.at("/template/settings/index.refresh_interval").asText()).isEqualTo("5s");
    JsonNode alerts =
        new ObjectMapper().readTree(IndexTemplates.indexTemplate("vigil-alerts", 1, 0));
    assertThat(alerts.at("/template/settings/index.refresh_interval").isMissingNode()).isTrue();
  }
}
