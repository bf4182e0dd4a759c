package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vigil.app.ElasticsearchQueries.term;
import static org.vigil.app.ElasticsearchQueries.terms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.app.bench.FlinkJobCounters;
import org.vigil.app.bench.FreePorts;
import org.vigil.model.Topics;
import org.vigil.rules.engine.RulePack;
import org.vigil.rules.engine.RuleRelease;

/**
 * Hot reload under load, on the real stack ({@link AllInOne}: embedded Kafka, the Elasticsearch
 * server, the job in a MiniCluster): while syslog failures flow over TCP, {@code vigil rules
 * deploy} refuses a broken DRL file, deploys the next version of the brute-force rule that raises
 * at three failures instead of five, and a broken release published straight to the topic is
 * rejected by the job. The job is never restarted, every event sent is indexed exactly once, and
 * alerts after the deploy name the new rule version.
 */
class RulesHotReloadIT {
  /** The version of the shipped brute-force rule; the deploy raises it by one. */
  private static final int SHIPPED_VERSION = RulePack.builtIn().rule("auth-brute-force").version();

  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static {
    Awaitility.ignoreExceptionsByDefault();
    Awaitility.setDefaultPollInterval(Duration.ofMillis(500));
  }

  /** Deleted once every test passed; kept, with its logs, when one failed. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dataDir;

  private static AllInOne system;
  private static ElasticsearchQueries es;
  private static URI flink;

  /** Marks this run's events, so a rerun on a kept folder does not count others. */
  private final String host = "reload-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

  private final AtomicLong sent = new AtomicLong();
  private final AtomicBoolean sending = new AtomicBoolean(true);

  @BeforeAll
  static void start() throws Exception {
    // Elasticsearch runs as another user when the tests run as root: it must reach this folder.
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    // A port found free may be taken by the time its server binds (other tests share the
    // machine): start again on fresh ports rather than fail the test.
    for (int attempt = 1; system == null; attempt++) {
      try {
        system = AllInOne.start(FreePorts.allInOne(dataDir, "512m", 2));
      } catch (IllegalStateException e) {
        if (attempt == 3 || !String.valueOf(e.getMessage()).contains("already in use")) {
          throw e;
        }
      }
    }
    es = new ElasticsearchQueries(system.elasticsearchUrl().toString());
    flink = URI.create("http://127.0.0.1:" + system.settings().flinkUiPort());
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void deploysANewRuleVersionAndRejectsBrokenOnesWhileEventsFlow() throws Exception {
    Thread background = new Thread(this::sendBackgroundFailures, "background-failures");
    background.start();
    try {
      await().atMost(WITHIN).until(() -> es.count("vigil-events-*", term("host.name", host)) > 0);
      String jobId = runningJob();

      Path broken = Files.createTempDirectory(dataDir, "broken-");
      Files.writeString(
          broken.resolve("broken.drl"), bruteForceAtThree().replace("size >= 3", "size >= "));
      Result refused = deploy(broken);
      assertThat(refused.exit()).isEqualTo(Vigil.EXIT_ERROR);
      assertThat(refused.err()).contains("not deployed").containsPattern("broken\\.drl:\\d+");
      assertThat(refused.out()).isEmpty();

      Path v2 = Files.createTempDirectory(dataDir, "v2-");
      // A file, not a folder: a folder is deployed only with test cases for all its rules.
      Path v2File = Files.writeString(v2.resolve("auth.drl"), bruteForceAtThree());
      Result deployed = deploy(v2File);
      assertThat(deployed.err()).isEmpty();
      assertThat(deployed.exit()).isEqualTo(Vigil.EXIT_OK);
      int rules = RulePack.compile("vigil", Map.of("auth.drl", bruteForceAtThree())).rules().size();
      assertThat(deployed.out().strip())
          .isEqualTo("deployed ruleset vigil version 1 (" + rules + " rules) by it-admin");

      publishByHand(
          RuleRelease.of(
              "vigil",
              2,
              "by-hand",
              Instant.now(),
              Map.of("hand.drl", "rule \"half\" when then end end")));

      FlinkJobCounters counters = new FlinkJobCounters(flink);
      await().atMost(WITHIN).until(() -> counters.read("rulesRejected") == 1);
      assertThat(counters.read("rulesDeployed")).isEqualTo(1);

      // Three failures: below the shipped rule's five, enough for the new version.
      String attacker = "203.0.113." + ThreadLocalRandom.current().nextInt(1, 255);
      try (Socket socket = new Socket("127.0.0.1", system.syslogPort());
          OutputStream out = socket.getOutputStream()) {
        for (int i = 0; i < 3; i++) {
          out.write(failureLine(attacker, 60_000 + i));
        }
      }
      sent.addAndGet(3);
      await()
          .atMost(WITHIN)
          .until(() -> es.count("vigil-alerts*", term("source.ip", attacker)) > 0);
      JsonNode alert =
          es.search("vigil-alerts*", term("source.ip", attacker))
              .path("hits")
              .path("hits")
              .get(0)
              .path("_source");
      assertThat(alert.path("rule").path("id").asText()).isEqualTo("auth-brute-force");
      assertThat(alert.path("rule").path("version").asInt()).isEqualTo(SHIPPED_VERSION + 1);
      assertThat(alert.path("vigil").path("alert").path("count").asLong()).isEqualTo(3);

      sending.set(false);
      background.join(10_000);
      long total = sent.get();
      await()
          .atMost(WITHIN)
          .until(() -> es.count("vigil-events-*", term("host.name", host)) == total);
      TimeUnit.SECONDS.sleep(3);
      assertThat(es.count("vigil-events-*", term("host.name", host))).isEqualTo(total);
      // Background sources fail twice each: below either version's threshold.
      assertThat(
              es.count(
                  "vigil-alerts*", terms("rule.id", "auth-brute-force", "source.ip", "198.18.0.1")))
          .isZero();

      assertThat(runningJob()).isEqualTo(jobId);
      assertThat(jobMetric(jobId, "numRestarts")).isZero();
      assertThat(counters.read("rulesRejected")).isEqualTo(1);
      assertRuleStageWatermarkMoves(jobId);
    } finally {
      sending.set(false);
      background.join(10_000);
    }
  }

  /** Two failures per source address, a few hundred a second, until told to stop. */
  private void sendBackgroundFailures() {
    try (Socket socket = new Socket("127.0.0.1", system.syslogPort());
        OutputStream out = socket.getOutputStream()) {
      int n = 0;
      while (sending.get()) {
        int source = n / 2;
        String ip = "198.18." + (source / 250 % 250) + "." + (source % 250 + 1);
        out.write(failureLine(ip, n));
        sent.incrementAndGet();
        n++;
        if (n % 20 == 0) {
          out.flush();
          TimeUnit.MILLISECONDS.sleep(50);
        }
      }
      out.flush();
    } catch (IOException e) {
      throw new IllegalStateException("the syslog collector closed the connection", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private byte[] failureLine(String ip, int port) {
    return ("<38>1 "
            + Instant.now()
            + " "
            + host
            + " sshd 77 - - Failed password for root from "
            + ip
            + " port "
            + port
            + " ssh2\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private record Result(int exit, String out, String err) {}

  private static Result deploy(Path path) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Vigil.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit =
        cl.execute(
            "rules",
            "deploy",
            path.toString(),
            "--kafka",
            system.kafkaBootstrap(),
            "--elasticsearch",
            system.elasticsearchUrl().toString(),
            "--user",
            "it-admin");
    return new Result(exit, out.toString(), err.toString());
  }

  private static void publishByHand(RuleRelease release) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafkaBootstrap());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(Topics.RULES, release.ruleset(), release.toJson()))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static String bruteForceAtThree() throws IOException {
    try (InputStream in =
        RulesHotReloadIT.class.getClassLoader().getResourceAsStream("rules/packs/auth.drl")) {
      String shipped = "@id(\"auth-brute-force\")\n  @version(" + SHIPPED_VERSION + ")";
      String drl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(drl).contains(shipped);
      return drl.replace(
              shipped, "@id(\"auth-brute-force\")\n  @version(" + (SHIPPED_VERSION + 1) + ")")
          .replace("size >= 5", "size >= 3");
    }
  }

  /**
   * The rules stream has no event time: the rule stage's watermark must still follow the events, or
   * windows and absence timers would never close. It is read where it arrives, at the suppression
   * stage's input: the rule stage's own input metric is the minimum of both inputs whether idle or
   * not, so it stays at the start of time while the idle rules stream is ignored.
   */
  private static void assertRuleStageWatermarkMoves(String jobId) throws Exception {
    long hourAgo = System.currentTimeMillis() - 3_600_000L;
    for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
      if (vertex.path("name").asText().contains("Suppress repeated alerts")) {
        String path = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/watermarks";
        await()
            .atMost(WITHIN)
            .untilAsserted(
                () -> {
                  int seen = 0;
                  for (JsonNode mark : get(path)) {
                    if (mark.path("id").asText().endsWith("currentInputWatermark")) {
                      assertThat(mark.path("value").asLong()).isGreaterThan(hourAgo);
                      seen++;
                    }
                  }
                  assertThat(seen).as("watermarks out of the rule stage's subtasks").isEqualTo(2);
                });
        return;
      }
    }
    throw new AssertionError("no rule stage vertex in job " + jobId);
  }

  private static String runningJob() throws Exception {
    for (JsonNode job : get("/jobs").path("jobs")) {
      if ("RUNNING".equals(job.path("status").asText())) {
        return job.path("id").asText();
      }
    }
    throw new AssertionError("no running job");
  }

  private static long jobMetric(String jobId, String name) throws Exception {
    JsonNode metrics = get("/jobs/" + jobId + "/metrics?get=" + name);
    assertThat(metrics).isNotEmpty();
    return metrics.get(0).path("value").asLong();
  }

  private static JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(flink.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(path + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }
}
