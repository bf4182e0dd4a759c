package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.core.SearchRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
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
            AlertStatus.IN_PROGRESS,
            Severity.HIGH,
            "ssh-brute",
            "203.0.113.9",
            "failed login",
            20,
            10,
            AgencyScope.only(List.of("agency-b", "agency-a")));
    SearchRequest request = ElasticsearchAlertStore.request(query);
    assertThat(request.from()).isEqualTo(20);
    assertThat(request.size()).isEqualTo(10);
    assertThat(request.toString())
        .contains("\"vigil.alert.status\":{\"value\":\"in_progress\"}")
        .contains("\"vigil.alert.severity\":{\"value\":\"high\"}")
        .contains("\"rule.id\":{\"value\":\"ssh-brute\"}")
        .contains("\"source.ip\":{\"value\":\"203.0.113.9\"}")
        .contains("\"message\":{\"operator\":\"and\",\"query\":\"failed login\"}")
        .contains("\"organization.id\":[\"agency-a\",\"agency-b\"]");
  }

  @Test
  void emptyAgencyScopeMatchesNothing() {
    SearchRequest request =
        ElasticsearchAlertStore.request(AlertQuery.latest(AgencyScope.only(List.of())));
    assertThat(request.toString()).contains("match_none");
  }
}
