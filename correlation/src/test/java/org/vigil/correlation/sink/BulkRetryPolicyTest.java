package org.vigil.correlation.sink;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.vigil.correlation.sink.BulkRetryPolicy.Disposition;
import org.vigil.correlation.sink.DocumentRequest.Kind;
import org.vigil.elasticsearch.HttpStatusException;

class BulkRetryPolicyTest {

  private static ElasticsearchException esError(int status, String type) {
    return new ElasticsearchException(
        "bulk", ErrorResponse.of(r -> r.status(status).error(e -> e.type(type).reason("why"))));
  }

  @Test
  void retriesThrottledAndServerFailedItems() {
    assertThat(BulkRetryPolicy.forItem(429, Kind.INDEX)).isEqualTo(Disposition.RETRY);
    assertThat(BulkRetryPolicy.forItem(503, Kind.INDEX)).isEqualTo(Disposition.RETRY);
    assertThat(BulkRetryPolicy.forItem(500, Kind.UPSERT)).isEqualTo(Disposition.RETRY);
  }

  @Test
  void rejectsItemsThatWouldFailAgain() {
    assertThat(BulkRetryPolicy.forItem(400, Kind.INDEX)).isEqualTo(Disposition.REJECT);
    assertThat(BulkRetryPolicy.forItem(404, Kind.UPSERT)).isEqualTo(Disposition.REJECT);
    assertThat(BulkRetryPolicy.forItem(409, Kind.INDEX)).isEqualTo(Disposition.REJECT);
  }

  @Test
  void retriesAnAlertUpdateThatLostAVersionConflict() {
    assertThat(BulkRetryPolicy.forItem(409, Kind.UPSERT)).isEqualTo(Disposition.RETRY);
  }

  @Test
  void treatsCreatedAndUpdatedItemsAsDone() {
    assertThat(BulkRetryPolicy.forItem(200, Kind.UPSERT)).isEqualTo(Disposition.DONE);
    assertThat(BulkRetryPolicy.forItem(201, Kind.INDEX)).isEqualTo(Disposition.DONE);
  }

  @Test
  void retriesWholeRequestsThatFailedOnTheConnectionOrTheServer() {
    assertThat(
            BulkRetryPolicy.forFailure(
                new CompletionException(new ConnectException("Connection refused"))))
        .isEqualTo(Disposition.RETRY);
    assertThat(BulkRetryPolicy.forFailure(esError(429, "es_rejected_execution_exception")))
        .isEqualTo(Disposition.RETRY);
    assertThat(BulkRetryPolicy.forFailure(new CompletionException(esError(503, "unavailable"))))
        .isEqualTo(Disposition.RETRY);
    assertThat(BulkRetryPolicy.forFailure(esError(401, "security_exception")))
        .isEqualTo(Disposition.RETRY);
  }

  @Test
  void failsOnAMalformedWholeRequestOrAProgrammingError() {
    assertThat(BulkRetryPolicy.forFailure(esError(400, "parse_exception")))
        .isEqualTo(Disposition.FATAL);
    assertThat(BulkRetryPolicy.forFailure(esError(413, "too_large"))).isEqualTo(Disposition.FATAL);
    assertThat(BulkRetryPolicy.forFailure(new NullPointerException())).isEqualTo(Disposition.FATAL);
  }

  @Test
  void judgesAWholeRequestsHttpStatusNotAsANetworkFailure() {
    assertThat(BulkRetryPolicy.forFailure(new HttpStatusException(400, "bad body")))
        .isEqualTo(Disposition.FATAL);
    assertThat(
            BulkRetryPolicy.forFailure(
                new CompletionException(new HttpStatusException(429, "too many requests"))))
        .isEqualTo(Disposition.RETRY);
    assertThat(BulkRetryPolicy.forFailure(new HttpStatusException(503, "unavailable")))
        .isEqualTo(Disposition.RETRY);
  }

  @Test
  void backsOffExponentiallyUpToTheCap() {
    BulkRetryPolicy policy = BulkRetryPolicy.DEFAULT;
    assertThat(policy.backoff(1, 0.999)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
    assertThat(policy.backoff(1, 0)).isEqualTo(Duration.ofMillis(50));
    assertThat(policy.backoff(4, 0.999)).isBetween(Duration.ofMillis(799), Duration.ofMillis(800));
    assertThat(policy.backoff(30, 0.999))
        .isBetween(Duration.ofMillis(29_980), Duration.ofSeconds(30));
    assertThat(policy.backoff(1_000_000, 1)).isEqualTo(Duration.ofSeconds(30));
  }
}
