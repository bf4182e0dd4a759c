package org.vigil.correlation.sink;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.model.Documents;

class ElasticsearchSinkWriterTest {

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void keepsOnlyTheLastStateOfADocumentInOneBulk() {
    DocumentRequest first = DocumentRequest.upsert("a", "1", json("{\"n\":1}"), json("{}"), false);
    DocumentRequest other = DocumentRequest.index("a", "2", json("{}"));
    DocumentRequest second = DocumentRequest.upsert("a", "1", json("{\"n\":2}"), json("{}"), false);
    DocumentRequest sameIdOtherIndex = DocumentRequest.index("b", "1", json("{}"));
    assertThat(
            ElasticsearchSinkWriter.lastPerDocument(
                List.of(first, other, second, sameIdOtherIndex)))
        .containsExactly(other, second, sameIdOtherIndex);
  }

  @Test
  void buildsAnUpdateActionWithDocAndUpsert() throws Exception {
    byte[] action =
        ElasticsearchSinkWriter.updateAction(
            json("{\"count\":2}"), json("{\"count\":2,\"s\":\"new\"}"));
    Map<String, Object> parsed = Documents.parseObject(action);
    assertThat(parsed).containsOnlyKeys("doc", "upsert");
    assertThat(Documents.get(parsed, "doc.count")).isEqualTo(2);
    assertThat(Documents.get(parsed, "upsert.s")).isEqualTo("new");
  }

  @Test
  void stampsTheIndexedTimeIntoTheNestedLatencyObject() throws Exception {
    byte[] stamped =
        ElasticsearchSinkWriter.stamp(
            json("{\"vigil\":{\"latency\":{\"detected\":\"2025-01-01T00:00:00Z\"}}}"),
            true,
            "2025-01-01T00:00:01Z");
    Map<String, Object> doc = Documents.parseObject(stamped);
    assertThat(Documents.get(doc, "vigil.latency.indexed")).isEqualTo("2025-01-01T00:00:01Z");
    assertThat(Documents.get(doc, "vigil.latency.detected")).isEqualTo("2025-01-01T00:00:00Z");
    byte[] untouched = json("{\"a\":1}");
    assertThat(ElasticsearchSinkWriter.stamp(untouched, false, "x")).isSameAs(untouched);
  }

  @Test
  void buildsOneBulkOperationPerRequestOfTheRightKindInOrder() throws Exception {
    var body =
        ElasticsearchSinkWriter.bulkBody(
            List.of(
                DocumentRequest.index("vigil-events-2025.01.01", "e1", json("{\"a\":1}")),
                DocumentRequest.upsert(
                    "vigil-alerts-v1", "a1", json("{\"s\":1}"), json("{\"s\":1,\"t\":2}"), true)),
            "2025-01-01T00:00:00Z");
    assertThat(body.operations()).isEqualTo(2);
    String[] lines = new String(body.toByteArray(), StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(4);
    assertThat(Documents.get(Documents.parseObject(json(lines[0])), "index._id")).isEqualTo("e1");
    assertThat(Documents.parseObject(json(lines[1]))).containsEntry("a", 1);
    Map<String, Object> update = Documents.parseObject(json(lines[2]));
    assertThat(Documents.get(update, "update._index")).isEqualTo("vigil-alerts-v1");
    assertThat(Documents.get(update, "update.retry_on_conflict")).isEqualTo(3);
    Map<String, Object> action = Documents.parseObject(json(lines[3]));
    assertThat(Documents.get(action, "doc.s")).isEqualTo(1);
    assertThat(Documents.get(action, "upsert.t")).isEqualTo(2);
    assertThat(Documents.get(action, "upsert.vigil.latency.indexed"))
        .isEqualTo("2025-01-01T00:00:00Z");
  }

  @Test
  void survivesACheckpointRoundTrip() throws Exception {
    var serializer = new DocumentRequestSerializer();
    var index = DocumentRequest.index("i", "1", json("{\"a\":1}"));
    var upsert = DocumentRequest.upsert("j", "2", json("{\"b\":2}"), json("{\"c\":3}"), true);
    var state =
        new org.apache.flink.connector.base.sink.writer.BufferedRequestState<DocumentRequest>(
            List.of(
                new org.apache.flink.connector.base.sink.writer.RequestEntryWrapper<>(
                    index, index.sizeInBytes()),
                new org.apache.flink.connector.base.sink.writer.RequestEntryWrapper<>(
                    upsert, upsert.sizeInBytes())));
    var restored = serializer.deserialize(serializer.getVersion(), serializer.serialize(state));
    assertThat(restored.getBufferedRequestEntries())
        .extracting(w -> w.getRequestEntry())
        .containsExactly(index, upsert);
  }

  /**
   * What Elasticsearch 9 answers to a bulk of three items, one rejected and one overloaded, under
   * {@link ElasticsearchClients#BULK_RESPONSE_FILTER}.
   */
  private static final String FILTERED_BULK_RESPONSE =
      """
      {"errors":true,"took":3,"items":[
        {"index":{"_index":"vigil-events-2025.01.01","status":201}},
        {"index":{"_index":"vigil-events-2025.01.01","status":400,
          "error":{"type":"document_parsing_exception","reason":"bad field"}}},
        {"update":{"_index":"vigil-alerts-v1","status":429,
          "error":{"type":"es_rejected_execution_exception","reason":"queue full"}}}]}
      """;

  @Test
  void readsTheFilteredBulkResponseWithEveryItemsStatusAndError() {
    JsonpMapper mapper = new JacksonJsonpMapper();
    BulkResponse response =
        BulkResponse._DESERIALIZER.deserialize(
            mapper.jsonProvider().createParser(new StringReader(FILTERED_BULK_RESPONSE)), mapper);
    assertThat(response.errors()).isTrue();
    assertThat(response.items()).extracting(i -> i.status()).containsExactly(201, 400, 429);
    assertThat(response.items().get(1).error().type()).isEqualTo("document_parsing_exception");
    assertThat(
            BulkRetryPolicy.forItem(response.items().get(2).status(), DocumentRequest.Kind.UPSERT))
        .isEqualTo(BulkRetryPolicy.Disposition.RETRY);
  }
}
