package org.vigil.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the correlation job's own counters (e.g. {@code netflowFlows}) from Flink's REST API,
 * summed over subtasks and over every operator that registers them. The NetFlow counters are not
 * bridged to Prometheus, so the benchmark asks Flink directly.
 *
 * <p>Flink's REST server refreshes metrics at most every {@code metrics.fetcher.update-interval}
 * (10 s by default): a value read here may be that old. Totals at the end of a run are exact once a
 * refresh has passed; rates derived from this are only as fine as that interval.
 */
public final class FlinkJobCounters {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
  private final Map<String, List<String[]>> located = new HashMap<>();
  private String jobId;

  /**
   * @param base the Flink web UI, e.g. {@code http://127.0.0.1:8081}
   */
  public FlinkJobCounters(URI base) {
    this.base = Objects.requireNonNull(base, "base");
  }

  /**
   * The named counters' current sums; a counter not (yet) known to the REST server reads 0.
   *
   * @throws IOException when Flink does not answer or no job runs
   */
  Map<String, Long> read(List<String> names) throws IOException, InterruptedException {
    if (jobId == null) {
      jobId = runningJob();
    }
    Map<String, Long> out = new HashMap<>();
    for (String name : names) {
      List<String[]> where = located.get(name);
      if (where == null) {
        where = locate(name);
        if (!where.isEmpty()) {
          located.put(name, where);
        }
      }
      long sum = 0;
      for (String[] vertexAndMetric : where) {
        JsonNode values =
            get(
                "/jobs/"
                    + jobId
                    + "/vertices/"
                    + vertexAndMetric[0]
                    + "/subtasks/metrics?agg=sum&get="
                    + URLEncoder.encode(vertexAndMetric[1], StandardCharsets.UTF_8));
        for (JsonNode v : values) {
          sum += Math.round(v.path("sum").asDouble());
        }
      }
      out.put(name, sum);
    }
    return out;
  }

  /** One counter's current sum. */
  public long read(String name) throws IOException, InterruptedException {
    return read(List.of(name)).get(name);
  }

  private String runningJob() throws IOException, InterruptedException {
    for (JsonNode job : get("/jobs").path("jobs")) {
      if ("RUNNING".equals(job.path("status").asText())) {
        return job.path("id").asText();
      }
    }
    throw new IOException("no running Flink job at " + base);
  }

  /** Every vertex and aggregated metric id that ends in {@code .name}. */
  private List<String[]> locate(String name) throws IOException, InterruptedException {
    List<String[]> found = new ArrayList<>();
    for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
      String vertexId = vertex.path("id").asText();
      for (JsonNode metric :
          get("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics")) {
        String id = metric.path("id").asText();
        if (id.equals(name) || id.endsWith("." + name)) {
          found.add(new String[] {vertexId, id});
        }
      }
    }
    return found;
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "Flink REST " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
