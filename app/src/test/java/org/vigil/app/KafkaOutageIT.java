package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.vigil.app.ElasticsearchQueries.term;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.app.bench.FreePorts;
import org.vigil.collectors.kafka.RawRecordPublisher;

/**
 * Issue 3's backpressure promise, end to end on the real stack: a TCP sender keeps sending while
 * the Kafka broker is down for a while and comes back on the same ports and data; every line the
 * sender's socket accepted reaches Elasticsearch exactly once, and the collector paused reading
 * meanwhile instead of dropping.
 *
 * <p>With its only broker gone, the collector's producer falls back to its bootstrap address and
 * forgets the topic's partitions, so {@code send} cannot take a record within {@code max.block.ms}:
 * the publisher stalls, holds what it has read, and turns TCP reading off until Kafka is back.
 * Records already in the producer's buffer wait there, within {@code delivery.timeout.ms}, and the
 * idempotent producer keeps its re-sends from being written twice.
 */
class KafkaOutageIT {
  /** Deleted once every test passed; kept, with its logs, when one failed. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dataDir;

  private static final Logger LOG = LoggerFactory.getLogger(KafkaOutageIT.class);

  private static final int LINES = 20_000;
  private static final int LINES_PER_SECOND = 2_000;
  private static final int LINES_PER_TICK = 20;
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  /** The sender's kernel buffer, kept small so a paused collector pushes back on it quickly. */
  private static final int SEND_BUFFER_BYTES = 32 * 1024;

  private static final int BEATS_EVENTS = 300;

  static {
    // A new daily index answers 503 for a moment while its shard starts: ask again.
    Awaitility.ignoreExceptionsByDefault();
    Awaitility.setDefaultPollInterval(Duration.ofMillis(500));
  }

  private static AllInOne system;
  private static ElasticsearchQueries es;

  @BeforeAll
  static void start() throws Exception {
    // Elasticsearch runs as another user when the tests run as root: it must reach this folder.
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    AllInOne.Settings settings =
        new AllInOne.Settings(
            dataDir,
            "127.0.0.1",
            FreePorts.tcp(),
            FreePorts.tcp(),
            FreePorts.tcp(),
            FreePorts.tcp(),
            FreePorts.tcp(),
            FreePorts.tcp(),
            -1,
            "512m",
            1,
            Duration.ofSeconds(2),
            "It-Admin-Pass-1",
            null,
            FreePorts.tcp(),
            null,
            -1,
            -1);
    system = new AllInOne(settings.withBeats(0, null)).start();
    es = new ElasticsearchQueries(system.elasticsearchUrl().toString());
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void deliversEveryLineExactlyOnceWhenKafkaStopsAndStartsWhileATcpSenderSends() throws Exception {
    String run = "bp-" + UUID.randomUUID().toString().substring(0, 8);
    RawRecordPublisher publisher = system.publisher();
    AtomicInteger congestedTimes = new AtomicInteger();
    AtomicInteger congestedDuringOutage = new AtomicInteger();
    AtomicInteger drainedTimes = new AtomicInteger();
    AtomicLong outageStart = new AtomicLong(Long.MAX_VALUE);
    RawRecordPublisher.CongestionListener watcher =
        congested -> {
          if (congested) {
            congestedTimes.incrementAndGet();
            if (System.nanoTime() >= outageStart.get()) {
              congestedDuringOutage.incrementAndGet();
            }
          } else {
            drainedTimes.incrementAndGet();
          }
        };
    publisher.addCongestionListener(watcher);
    LineSender sender = new LineSender(system.syslogPort(), run);
    long begin = System.nanoTime();
    try {
      CompletableFuture<Void> sending = CompletableFuture.runAsync(sender::sendAll);

      await().atMost(Duration.ofMinutes(1)).until(() -> sender.accepted.get() >= LINES / 5);
      long acceptedAtStop = sender.accepted.get();
      outageStart.set(System.nanoTime());
      system.kafka().stop();
      LOG.info(
          "Kafka stopped after {} lines, in {} ms",
          acceptedAtStop,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStart.get()));
      TimeUnit.MILLISECONDS.sleep(OUTAGE.toMillis());
      // The outage lasts until the collector has felt it: a slow machine fills the buffer later.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> congestedDuringOutage.get() > 0);
      long acceptedBeforeRestart = sender.accepted.get();
      system.kafka().restart();
      LOG.info(
          "Kafka restarted after {} ms down; the sender's socket took {} lines meanwhile",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStart.get()),
          acceptedBeforeRestart - acceptedAtStop);

      sending.get(5, TimeUnit.MINUTES);
      LOG.info(
          "sender done after {} ms; longest blocked write {} ms",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
          TimeUnit.NANOSECONDS.toMillis(sender.longestWriteNanos));
    } finally {
      publisher.removeCongestionListener(watcher);
      if (!system.kafka().isRunning()) {
        system.kafka().restart();
      }
    }
    assertThat(sender.accepted.get()).as("lines the sender's socket accepted").isEqualTo(LINES);

    String ofThisRun = term("log.syslog.msgid", run);
    await()
        .atMost(Duration.ofMinutes(5))
        .until(() -> es.count("vigil-events-*", ofThisRun) >= LINES);
    LOG.info(
        "all {} lines indexed {} ms after the first was sent",
        LINES,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    // A late duplicate (a re-sent batch, a replayed offset) would land after the last original.
    TimeUnit.SECONDS.sleep(5);
    assertThat(es.count("vigil-events-*", ofThisRun)).isEqualTo(LINES);
    assertThat(sequenceNumbersIndexed(ofThisRun)).as("each of 1..%d indexed once", LINES).isEmpty();

    assertThat(congestedDuringOutage.get())
        .as("collector congested while Kafka was down")
        .isPositive();
    assertThat(drainedTimes.get()).as("collector resumed reading").isPositive();
    assertThat(publisher.isCongested()).isFalse();
    assertThat(publisher.failedCount()).as("records the publisher lost").isZero();
    assertThat(scrapeMetrics())
        .containsPattern("vigil_collector_kafka_failed_total(\\{[^}]*\\})? 0\\.0")
        .containsPattern("vigil_collector_kafka_congested(\\{[^}]*\\})? 0\\.0");
    LOG.info(
        "collector congested {} times ({} during the outage), drained {} times",
        congestedTimes.get(),
        congestedDuringOutage.get(),
        drainedTimes.get());
  }

  @Test
  void aBeatsWindowInFlightWhenKafkaStopsIsNotAcknowledgedAndItsResendIsIndexedOnce()
      throws Exception {
    String agent = "outage-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> window = new ArrayList<>();
    for (int i = 1; i <= BEATS_EVENTS; i++) {
      window.add(
          "{\"@timestamp\":\""
              + Instant.now()
              + "\",\"agent\":{\"type\":\"filebeat\",\"id\":\""
              + agent
              + "\"},\"log\":{\"file\":{\"path\":\"/var/log/app.log\"},\"offset\":"
              + i * 100
              + "},\"message\":\"line "
              + i
              + "\"}");
    }
    system.kafka().stop();
    try {
      try (LumberjackTestClient client =
          new LumberjackTestClient(InetAddress.getLoopbackAddress(), system.beatsPort())) {
        // Kafka cannot confirm the window: no ACK, only keep-alives, so the client waits and
        // then, as a Beats client whose timeout ran out, drops the connection.
        assertThatThrownBy(() -> client.sendWindow(window, Duration.ofSeconds(12)))
            .isInstanceOf(SocketTimeoutException.class)
            .hasMessageNotContaining("(0 keep-alives)");
      }
    } finally {
      system.kafka().restart();
    }
    try (LumberjackTestClient client =
        new LumberjackTestClient(InetAddress.getLoopbackAddress(), system.beatsPort())) {
      client.sendWindow(window, Duration.ofMinutes(2));
    }

    // The first copies were buffered by the producer and reach Kafka too: the ids derived from
    // the events make both copies one document each.
    String events = term("agent.id", agent);
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> es.count("vigil-events-*", events) >= BEATS_EVENTS);
    TimeUnit.SECONDS.sleep(5);
    assertThat(es.count("vigil-events-*", events)).isEqualTo(BEATS_EVENTS);
  }

  /**
   * What is wrong with the run's sequence numbers in the index: each missing number, each number
   * indexed more than once and each number outside 1..N, as a description; empty when all is well.
   */
  private static List<String> sequenceNumbersIndexed(String query) throws Exception {
    String body =
        "{\"size\":0,"
            + query.substring(1, query.length() - 1)
            + ",\"aggs\":{\"seq\":{\"terms\":{\"field\":\"log.syslog.procid\",\"size\":"
            + (LINES + 1_000)
            + "}}}}";
    JsonNode buckets = es.search("vigil-events-*", body).path("aggregations").path("seq");
    assertThat(buckets.path("sum_other_doc_count").asLong(-1)).isZero();
    int[] seen = new int[LINES + 1];
    List<String> problems = new ArrayList<>();
    for (JsonNode bucket : buckets.path("buckets")) {
      String key = bucket.path("key").asText();
      long count = bucket.path("doc_count").asLong();
      int n;
      try {
        n = Integer.parseInt(key);
      } catch (NumberFormatException e) {
        problems.add("unexpected sequence number " + key);
        continue;
      }
      if (n < 1 || n > LINES) {
        problems.add("unexpected sequence number " + key);
      } else {
        seen[n] += (int) count;
      }
    }
    for (int n = 1; n <= LINES; n++) {
      if (seen[n] != 1) {
        problems.add(n + " indexed " + seen[n] + " times");
      }
    }
    return problems.size() > 20 ? problems.subList(0, 20) : problems;
  }

  private static String scrapeMetrics() throws Exception {
    HttpResponse<String> scrape =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + system.settings().metricsPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(scrape.statusCode()).isEqualTo(200);
    return scrape.body();
  }

  /**
   * Sends numbered RFC 5424 lines over one TCP connection with newline framing at a steady rate,
   * counting the lines whose bytes the socket accepted. A write blocks while the collector does not
   * read; the lines due meanwhile follow as soon as it returns, so nothing is skipped or repeated.
   */
  private static final class LineSender {
    private final int port;
    private final String run;
    final AtomicInteger accepted = new AtomicInteger();
    volatile long longestWriteNanos;

    LineSender(int port, String run) {
      this.port = port;
      this.run = run;
    }

    void sendAll() {
      try (Socket socket = new Socket()) {
        socket.setSendBufferSize(SEND_BUFFER_BYTES);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        OutputStream out = socket.getOutputStream();
        long start = System.nanoTime();
        long tickNanos = TimeUnit.SECONDS.toNanos(1) * LINES_PER_TICK / LINES_PER_SECOND;
        int next = 1;
        for (long tick = 0; next <= LINES; tick++) {
          long due = start + tick * tickNanos;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          StringBuilder batch = new StringBuilder();
          int last = Math.min(LINES, next + LINES_PER_TICK - 1);
          String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
          for (int n = next; n <= last; n++) {
            batch.append(line(n, now)).append('\n');
          }
          long before = System.nanoTime();
          out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
          longestWriteNanos = Math.max(longestWriteNanos, System.nanoTime() - before);
          accepted.addAndGet(last - next + 1);
          next = last + 1;
        }
        out.flush();
      } catch (IOException e) {
        throw new IllegalStateException("sender failed after " + accepted.get() + " lines", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("sender interrupted", e);
      }
    }

    /** PROCID carries the number and MSGID the run, both keywords in the index. */
    private String line(int n, String timestamp) {
      return "<14>1 "
          + timestamp
          + " bp-sender loadgen "
          + n
          + " "
          + run
          + " - backpressure test line "
          + n
          + " of "
          + LINES
          + " sent while Kafka goes away and comes back, padded to a realistic length";
    }
  }
}
