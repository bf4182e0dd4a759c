package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.core.SearchRequest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vigil.model.Alert;
import org.vigil.model.AlertStatus;
import org.vigil.model.Severity;

/** The query sent to Elasticsearch; running it against a real server is the app's IT. */
class ElasticsearchAlertStoreTest {

  @Test
  void searchesAllAlertIndicesNewestFirstAndToleratesNone() {
    SearchRequest request = ElasticsearchAlertStore.request(AlertQuery.latest(AgencyScope.all()));
    assertThat(request.index()).containsExactly("vigil-alerts*");
    assertThat(request.ignoreUnavailable()).isTrue();
    assertThat(request.allowNoIndices()).isTrue();
    String json = request.toString();
    assertThat(json)
        .contains("\"@timestamp\":{\"order\":\"desc\",\"unmapped_type\":\"date\"}")
        .doesNotContain("organization.id");
  }

  @Test
  void filtersMapToTheAlertContractFields() {
    AlertQuery query =
        new AlertQuery(
            Set.of(AlertStatus.IN_PROGRESS, AlertStatus.NEW),
            Set.of(Severity.HIGH),
            "ssh-brute",
            "agency-a",
            "ana",
            "203.0.113.9",
            "failed login",
            "ev-17",
            "now-24h",
            "2026-11-26T10:00:00Z",
            AlertSort.RISK_SCORE,
            true,
            20,
            10,
            AgencyScope.only(List.of("agency-b", "agency-a")));
    SearchRequest request = ElasticsearchAlertStore.request(query);
    assertThat(request.from()).isEqualTo(20);
    assertThat(request.size()).isEqualTo(10);
    assertThat(request.toString())
        .contains("\"vigil.alert.status\":[\"in_progress\",\"new\"]")
        .contains("\"vigil.alert.severity\":[\"high\"]")
        .contains("\"rule.id\":{\"value\":\"ssh-brute\"}")
        .contains("\"organization.id\":{\"value\":\"agency-a\"}")
        .contains("\"vigil.alert.assignee\":{\"value\":\"ana\"}")
        .contains("\"source.ip\":{\"value\":\"203.0.113.9\"}")
        .contains("\"vigil.alert.evidence\":{\"value\":\"ev-17\"}")
        .contains("\"@timestamp\":{\"gte\":\"now-24h\",\"lte\":\"2026-11-26T10:00:00Z\"}")
        .contains("\"message\":{\"operator\":\"and\",\"query\":\"failed login\"}")
        .contains("\"organization.id\":[\"agency-a\",\"agency-b\"]")
        .contains("\"vigil.alert.risk_score\":{\"order\":\"asc\"");
  }

  @Test
  void unassignedMeansTheAssigneeFieldIsMissing() {
    AlertQuery query =
        new AlertQuery(
            null,
            null,
            null,
            null,
            AlertQuery.UNASSIGNED,
            null,
            null,
            null,
            null,
            null,
            null,
            false,
            0,
            10,
            AgencyScope.all());
    assertThat(ElasticsearchAlertStore.request(query).toString())
        .contains("\"must_not\":[{\"exists\":{\"field\":\"vigil.alert.assignee\"}}]");
  }

  @Test
  void relatedAlertsShareAGroupValueAndExcludeTheAlertItself() {
    Alert alert = TestAlerts.alert("ssh-brute", "203.0.113.9", "agency-a", Severity.HIGH, 1000);
    String json =
        ElasticsearchAlertStore.relatedRequest(alert, AgencyScope.only(List.of("agency-a")), 20)
            .toString();
    assertThat(json)
        .contains("\"should\":[{\"term\":{\"source.ip\":{\"value\":\"203.0.113.9\"}}}]")
        .contains("\"minimum_should_match\":\"1\"")
        .contains("\"ids\":{\"values\":[\"" + alert.id() + "\"]}")
        .contains("\"organization.id\":[\"agency-a\"]");
  }

  @Test
  void triageUpdateWritesNullsSoAnAssigneeCanBeCleared() {
    assertThat(
            ElasticsearchAlertStore.triageDocument(
                new TriageState(AlertStatus.IN_PROGRESS, null, null)))
        .isEqualTo(
            "{\"vigil\":{\"alert\":{\"status\":\"in_progress\",\"resolution\":null,"
                + "\"assignee\":null}}}");
  }

  @Test
  void emptyAgencyScopeMatchesNothing() {
    SearchRequest request =
        ElasticsearchAlertStore.request(AlertQuery.latest(AgencyScope.only(List.of())));
    assertThat(request.toString()).contains("match_none");
  }
}
