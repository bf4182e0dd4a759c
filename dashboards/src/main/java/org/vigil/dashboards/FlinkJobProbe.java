package org.vigil.dashboards;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The correlation job's state and the age of its last completed checkpoint, from Flink's REST API
 * ({@code /jobs/overview}, {@code /jobs/:id/checkpoints}, {@code /jobs/:id/checkpoints/config}). A
 * checkpoint older than three intervals is yellow, ten is red: offsets are committed to Kafka and
 * state is made durable only at checkpoints, so a stalled checkpoint means work would be redone.
 */
public final class FlinkJobProbe implements HealthProbe {
  private static final Set<String> STARTING =
      Set.of("CREATED", "INITIALIZING", "RESTARTING", "RECONCILING");

  private final URI restUrl;
  private final String jobName;
  private final HttpClient http;
  private final Clock clock;

  /**
   * @param restUrl Flink's REST endpoint, e.g. {@code http://127.0.0.1:8081}
   * @param jobName the job to look at; null for the newest running job
   */
  public FlinkJobProbe(URI restUrl, String jobName, Clock clock) {
    this.restUrl = restUrl;
    this.jobName = jobName;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  @Override
  public String name() {
    return "flink";
  }

  @Override
  public ComponentHealth probe() throws IOException, InterruptedException {
    JsonArray jobs = get("/jobs/overview").getJsonArray("jobs", new JsonArray());
    JsonObject job = null;
    for (int i = 0; i < jobs.size(); i++) {
      JsonObject j = jobs.getJsonObject(i);
      if (jobName != null && !jobName.equals(j.getString("name"))) {
        continue;
      }
      if (job == null || rank(j) > rank(job)) {
        job = j;
      }
    }
    if (job == null) {
      return new ComponentHealth(
          name(),
          HealthStatus.RED,
          "no " + (jobName == null ? "" : jobName + " ") + "job on the Flink cluster",
          "The correlation job is not submitted: start it (vigil up, or vigil job submit) and check"
              + " the Flink job manager's log.");
    }
    String state = job.getString("state", "UNKNOWN");
    String label = job.getString("name", job.getString("jid"));
    if (!state.equals("RUNNING")) {
      HealthStatus status = STARTING.contains(state) ? HealthStatus.YELLOW : HealthStatus.RED;
      return new ComponentHealth(
          name(),
          status,
          "job " + label + " is " + state,
          status == HealthStatus.YELLOW
              ? "The job is (re)starting: if it stays so, check the job manager's log for the"
                  + " exception that restarts it."
              : "The job has stopped: check the job manager's log for its failure and restart it.");
    }
    String jid = job.getString("jid");
    JsonObject checkpoints = get("/jobs/" + jid + "/checkpoints");
    long interval = get("/jobs/" + jid + "/checkpoints/config").getLong("interval", 0L);
    JsonObject latest = checkpoints.getJsonObject("latest", new JsonObject());
    JsonObject completed = latest.getJsonObject("completed");
    long now = clock.millis();
    long failed = checkpoints.getJsonObject("counts", new JsonObject()).getLong("failed", 0L);
    long last =
        completed != null
            ? completed.getLong("latest_ack_timestamp", 0L)
            : job.getLong("start-time", now);
    long age = Math.max(0, now - last);
    String detail =
        "job "
            + label
            + " RUNNING, "
            + (completed == null
                ? "no checkpoint completed yet"
                : "last checkpoint " + Duration.ofMillis(age).toSeconds() + " s ago")
            + ", "
            + failed
            + " failed checkpoint(s)";
    if (interval <= 0 || interval == Long.MAX_VALUE) {
      return ComponentHealth.green(name(), detail);
    }
    if (age > 10 * interval) {
      return new ComponentHealth(
          name(),
          HealthStatus.RED,
          detail,
          "Checkpoints have stopped completing: check the checkpoint folder's disk and the job"
              + " manager's log for checkpoint failures or backpressure.");
    }
    if (age > 3 * interval) {
      return new ComponentHealth(
          name(),
          HealthStatus.YELLOW,
          detail,
          "Checkpoints are late: check the job's backpressure in the Flink UI and the checkpoint"
              + " folder's disk.");
    }
    return ComponentHealth.green(name(), detail);
  }

  /** Prefer a running job, then the newest. */
  private static long rank(JsonObject job) {
    long start = job.getLong("start-time", 0L);
    return ("RUNNING".equals(job.getString("state")) ? Long.MAX_VALUE / 2 : 0) + start / 2;
  }

  private JsonObject get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(restUrl.resolve(path))
            .timeout(TIMEOUT)
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("Flink REST " + path + " answered " + response.statusCode());
    }
    return new JsonObject(response.body());
  }

  @Override
  public String unreachable() {
    return "Flink's REST API at "
        + restUrl
        + " does not answer: check that the job manager is"
        + " running (the all-in-one needs its Flink UI port enabled).";
  }
}
