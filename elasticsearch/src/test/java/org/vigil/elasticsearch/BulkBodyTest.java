package org.vigil.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BulkBodyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String[] lines(BulkBody body) {
    String text = new String(body.toByteArray(), StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n");
    return text.split("\n");
  }

  @Test
  void writesEachOperationAsAnActionLineAndADocumentLine() throws Exception {
    BulkBody body =
        new BulkBody(16)
            .index("vigil-events-2025.01.01", "e1", utf8("{\"message\":\"hello\"}"))
            .update("vigil-alerts-v1", "a1", 3, utf8("{\"doc\":{\"s\":1},\"upsert\":{\"s\":1}}"));
    String[] lines = lines(body);
    assertThat(lines).hasSize(4);
    JsonNode index = JSON.readTree(lines[0]).get("index");
    assertThat(index.get("_index").asText()).isEqualTo("vigil-events-2025.01.01");
    assertThat(index.get("_id").asText()).isEqualTo("e1");
    assertThat(JSON.readTree(lines[1]).get("message").asText()).isEqualTo("hello");
    JsonNode update = JSON.readTree(lines[2]).get("update");
    assertThat(update.get("_id").asText()).isEqualTo("a1");
    assertThat(update.get("retry_on_conflict").asInt()).isEqualTo(3);
    assertThat(JSON.readTree(lines[3]).at("/doc/s").asInt()).isEqualTo(1);
    assertThat(body.operations()).isEqualTo(2);
    assertThat(body.length()).isEqualTo(body.toByteArray().length);
  }

  @Test
  void growsPastItsFirstGuessWithoutLosingBytes() throws Exception {
    BulkBody body = new BulkBody(1);
    for (int i = 0; i < 1_000; i++) {
      body.index("i", "id-" + i, utf8("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(i % 50) + "\"}"));
    }
    String[] lines = lines(body);
    assertThat(lines).hasSize(2_000);
    assertThat(JSON.readTree(lines[1_998]).at("/index/_id").asText()).isEqualTo("id-999");
    assertThat(JSON.readTree(lines[1_999]).get("n").asInt()).isEqualTo(999);
  }

  @Test
  void escapesIndexNamesAndIdsAsJsonStrings() throws Exception {
    String id = "a\"b\\c\u00e9\u0001";
    String[] lines = lines(new BulkBody(64).index("i", id, utf8("{}")));
    assertThat(JSON.readTree(lines[0]).at("/index/_id").asText()).isEqualTo(id);
  }

  @Test
  void refusesADocumentThatSpansLines() {
    BulkBody body = new BulkBody(64);
    assertThatThrownBy(() -> body.index("i", "1", utf8("{\"a\":\n1}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one line");
    assertThatThrownBy(() -> body.update("i", "1", -1, utf8("{}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> body.update("i", "1", 3, utf8("{\"doc\":\r{}}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one line");
    assertThat(body.length()).isZero();
    assertThat(body.operations()).isZero();
  }
}
