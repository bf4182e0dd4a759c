package org.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ElasticsearchAloneTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void copiesCycleThroughTheSampleEachUnderItsOwnId() throws Exception {
    List<byte[]> sample =
        List.of(
            "{\"n\":0}".getBytes(StandardCharsets.UTF_8),
            "{\"n\":1}".getBytes(StandardCharsets.UTF_8),
            "{\"n\":2}".getBytes(StandardCharsets.UTF_8));
    String[] lines =
        new String(
                ElasticsearchAlone.body(sample, 5, 12, "vigil-events-scratch").toByteArray(),
                StandardCharsets.UTF_8)
            .split("\n");
    assertThat(lines).hasSize(14);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < lines.length; i += 2) {
      JsonNode action = JSON.readTree(lines[i]).get("index");
      assertThat(action.get("_index").asText()).isEqualTo("vigil-events-scratch");
      ids.add(action.get("_id").asText());
      // Copy number 5 + i/2 is sample document (5 + i/2) mod 3.
      assertThat(JSON.readTree(lines[i + 1]).get("n").asInt()).isEqualTo((5 + i / 2) % 3);
    }
    assertThat(ids).hasSize(7).allMatch(id -> id.matches("[0-9a-f]{32}"));
  }

  @Test
  void reportsTheRateOfWhatWasCountedAndWhatIsMissing() {
    ElasticsearchAlone.Result whole = new ElasticsearchAlone.Result(10, 1_000, 1_000, 0.5);
    assertThat(whole.rate()).isEqualTo(2_000);
    assertThat(whole.complete()).isTrue();
    assertThat(whole.line()).contains("2,000 documents/s").doesNotContain("missing");

    ElasticsearchAlone.Result part = new ElasticsearchAlone.Result(10, 1_000, 900, 0.5);
    assertThat(part.complete()).isFalse();
    assertThat(part.line()).contains("100 missing");
    ObjectNode root = JSON.createObjectNode();
    part.putJson(root);
    assertThat(root.at("/elasticsearchAlone/rate").asLong()).isEqualTo(1_800);
    assertThat(root.at("/elasticsearchAlone/complete").asBoolean()).isFalse();
    assertThat(new ElasticsearchAlone.Result(1, 1, 0, 0).rate()).isZero();
  }

  @Test
  void boundsTheRateByElasticsearchsOwnCpuPerDocument() {
    // 1,000 documents for 50 ms of Elasticsearch's CPU: 50 us each, 40,000/s on 2 cores.
    ElasticsearchAlone.Result r =
        new ElasticsearchAlone.Result(10, 1_000, 1_000, 0.5).withCpu(50_000_000L, 2);
    assertThat(r.cpuMicrosPerDocument().orElseThrow()).isCloseTo(50, within(1e-9));
    assertThat(r.cpuBoundRate().orElseThrow()).isCloseTo(40_000, within(1e-6));
    assertThat(r.line())
        .contains("JIT compilers left out: 50.0 us per document; 2 cores busy with nothing else")
        .contains("at most 40,000 of them per second");
    ObjectNode root = JSON.createObjectNode();
    r.putJson(root);
    assertThat(root.at("/elasticsearchAlone/cpuMicrosPerDocument").asDouble()).isEqualTo(50);
    assertThat(root.at("/elasticsearchAlone/cpuBoundRate").asLong()).isEqualTo(40_000);

    assertThat(r.goalAboveBound(40_000)).isEmpty();
    assertThat(r.goalAboveBound(40_001))
        .isEqualTo(
            "  the goal of 40,001/s lies above that: out of reach in this run, whatever the"
                + " pipeline costs\n");

    // Not measured (off Linux) or nothing indexed: no figure, and the line says nothing of it.
    ElasticsearchAlone.Result unmeasured = new ElasticsearchAlone.Result(10, 1_000, 1_000, 0.5);
    assertThat(unmeasured.cpuBoundRate()).isEmpty();
    assertThat(unmeasured.line()).doesNotContain("own CPU");
    assertThat(unmeasured.goalAboveBound(1e9)).isEmpty();
    assertThat(new ElasticsearchAlone.Result(1, 1, 0, 1).withCpu(1_000, 2).cpuBoundRate())
        .isEmpty();
  }

  @Test
  void namesTheFirstRefusalByStatusAndReasonAsTheFilteredResponseHasNoIds() {
    JacksonJsonpMapper mapper = new JacksonJsonpMapper();
    String filtered =
        """
        {"errors":true,"took":2,"items":[
          {"index":{"_index":"vigil-events-bench-alone-1","status":201}},
          {"index":{"_index":"vigil-events-bench-alone-1","status":400,
            "error":{"type":"document_parsing_exception","reason":"bad field"}}}]}
        """;
    BulkResponse response =
        BulkResponse._DESERIALIZER.deserialize(
            mapper.jsonProvider().createParser(new StringReader(filtered)), mapper);
    assertThat(ElasticsearchAlone.firstError(response))
        .isEqualTo("HTTP 400 document_parsing_exception: bad field");
  }
}
