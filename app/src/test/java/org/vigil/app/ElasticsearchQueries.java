package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What the tests ask Elasticsearch, over plain HTTP as an outside tool would, so the tests check
 * the stored documents and not the client library's view of them.
 */
final class ElasticsearchQueries {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  ElasticsearchQueries(String base) {
    this.base = base;
  }

  long count(String index, String queryJson) throws IOException, InterruptedException {
    refresh();
    JsonNode body = post("/" + index + "/_count?ignore_unavailable=true", queryJson);
    return body.path("count").asLong(0);
  }

  JsonNode search(String index, String queryJson) throws IOException, InterruptedException {
    refresh();
    return post("/" + index + "/_search?ignore_unavailable=true", queryJson);
  }

  /**
   * Waits until one alert is about the source address and counts {@code count} events; a timeout
   * says which alerts there were.
   */
  void awaitAlertCount(String source, long count, Duration within) {
    await()
        .atMost(within)
        .untilAsserted(
            () -> {
              JsonNode hits =
                  search("vigil-alerts*", term("source.ip", source)).path("hits").path("hits");
              assertThat(hits).as("alerts for %s", source).hasSize(1);
              assertThat(
                      hits.get(0)
                          .path("_source")
                          .path("vigil")
                          .path("alert")
                          .path("count")
                          .asLong())
                  .as("the count of %s", hits.get(0))
                  .isEqualTo(count);
            });
  }

  void refresh() throws IOException, InterruptedException {
    http.send(
        HttpRequest.newBuilder(URI.create(base + "/vigil-*/_refresh?ignore_unavailable=true"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  private JsonNode post(String path, String json) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 404) {
      return JSON.createObjectNode();
    }
    if (response.statusCode() != 200) {
      throw new IOException("Elasticsearch " + path + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  static String term(String field, String value) {
    return "{\"query\":{\"term\":{\"" + field + "\":\"" + value + "\"}}}";
  }

  static String terms(String... fieldValues) {
    StringBuilder sb = new StringBuilder("{\"query\":{\"bool\":{\"filter\":[");
    for (int i = 0; i < fieldValues.length; i += 2) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"term\":{\"")
          .append(fieldValues[i])
          .append("\":\"")
          .append(fieldValues[i + 1])
          .append("\"}}");
    }
    return sb.append("]}}}").toString();
  }
}
