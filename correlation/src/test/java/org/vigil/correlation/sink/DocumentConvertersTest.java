package org.vigil.correlation.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vigil.model.Alert;
import org.vigil.model.AlertStatus;
import org.vigil.model.Documents;
import org.vigil.model.Event;
import org.vigil.model.Resolution;
import org.vigil.model.Severity;

class DocumentConvertersTest {
  static final long T = Instant.parse("2025-03-04T23:59:58Z").toEpochMilli();

  static Alert alert(long count, AlertStatus status) {
    return new Alert(
        "alert-1",
        "ssh-brute-force",
        "Many failed SSH logins from one source",
        2,
        "auth",
        "brute force",
        Severity.HIGH,
        "T1110",
        Map.of("source.ip", "203.0.113.9"),
        count,
        T - 60_000,
        T,
        List.of("e1", "e2"),
        "agency-7",
        status,
        status == AlertStatus.CLOSED ? Resolution.TRUE_POSITIVE : null,
        null,
        T - 1000,
        T - 500,
        T,
        "5 failed logins");
  }

  @Test
  void indexesAnEventIntoItsDayUnderItsId() throws Exception {
    Event event = new Event("ev-42", T).put("source.ip", "198.51.100.7").put("message", "hi");
    DocumentRequest request = new EventDocumentConverter().apply(event, null);
    assertThat(request.kind()).isEqualTo(DocumentRequest.Kind.INDEX);
    assertThat(request.index()).isEqualTo("vigil-events-2025.03.04");
    assertThat(request.id()).isEqualTo("ev-42");
    assertThat(request.partialDocument()).isNull();
    Map<String, Object> doc = Documents.parseObject(request.document());
    assertThat(doc).containsEntry("@timestamp", "2025-03-04T23:59:58Z");
    assertThat(Documents.get(doc, "source.ip")).isEqualTo("198.51.100.7");
  }

  @Test
  void givesAnEventWithoutIdAStableContentId() {
    Event event = new Event(null, T).put("message", "same");
    String first = new EventDocumentConverter().apply(event, null).id();
    String second = new EventDocumentConverter().apply(event, null).id();
    assertThat(first).isNotBlank().isEqualTo(second);
  }

  @Test
  void upsertsAnAlertWithoutTouchingTriageFieldsOnUpdate() throws Exception {
    DocumentRequest request = new AlertDocumentConverter().apply(alert(5, AlertStatus.NEW), null);
    assertThat(request.kind()).isEqualTo(DocumentRequest.Kind.UPSERT);
    assertThat(request.index()).isEqualTo("vigil-alerts-v1");
    assertThat(request.id()).isEqualTo("alert-1");
    assertThat(request.stampIndexed()).isTrue();

    Map<String, Object> partial = Documents.parseObject(request.partialDocument());
    assertThat(Documents.get(partial, "vigil.alert.count")).isEqualTo(5);
    assertThat(Documents.get(partial, "vigil.alert.status")).isNull();
    assertThat(Documents.get(partial, "vigil.alert.resolution")).isNull();

    Map<String, Object> whole = Documents.parseObject(request.document());
    assertThat(Documents.get(whole, "vigil.alert.status")).isEqualTo("new");
    assertThat(Documents.get(whole, "source.ip")).isEqualTo("203.0.113.9");
  }

  @Test
  void anAlertDocumentCarriesItsRiskScoreAndReadsBackWithIt() throws Exception {
    Alert scored = alert(5, AlertStatus.NEW).withRiskScore(100);
    DocumentRequest request = new AlertDocumentConverter().apply(scored, null);

    Map<String, Object> partial = Documents.parseObject(request.partialDocument());
    assertThat(Documents.get(partial, "vigil.alert.risk_score")).isEqualTo(100);
    assertThat(Documents.get(partial, "event.risk_score")).isEqualTo(100);
    Map<String, Object> whole = Documents.parseObject(request.document());
    assertThat(Alert.fromDocument("alert-1", whole).riskScore()).isEqualTo(100);
    assertThat(alert(5, AlertStatus.NEW).riskScore()).as("severity alone").isEqualTo(73);
  }
}
