package org.vigil.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch.core.CountRequest;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.elasticsearch.ElasticsearchSettings;
import org.vigil.elasticsearch.Indices;

/**
 * The end-to-end syslog benchmark: sends {@link SshdTraffic} to a running collector, then watches
 * Elasticsearch until every event of the run is indexed and every brute-force burst has an alert,
 * or the timeout passes. It measures the whole pipeline (collector, Kafka, Flink, Elasticsearch
 * refresh) as an analyst experiences it; it asserts nothing.
 *
 * <p>Alert latency is taken from the moment the last failure of a burst was handed to the socket to
 * the first poll that finds an alert for the burst's source, so it includes the index refresh
 * interval and is accurate to the poll interval.
 */
public final class SyslogBench {
  /** How often Elasticsearch is asked while the run is under way. */
  public static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  // The alerts' latency stamps (Alert.toDocument), read from each alert found.
  private static final String RECEIVED = "vigil.latency.received";
  private static final String DETECTED = "vigil.latency.detected";
  private static final String INDEXED = "vigil.latency.indexed";

  /**
   * @param target the collector's syslog port
   * @param elasticsearch where the pipeline indexes
   * @param count lines to send
   * @param rate lines per second, 0 for as fast as possible
   * @param tcp TCP with newline framing instead of UDP
   * @param timeout how long to wait for indexing once everything is sent
   */
  public record Options(
      HostPort target, URI elasticsearch, int count, double rate, boolean tcp, Duration timeout) {
    public Options {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(elasticsearch, "elasticsearch");
      if (count < 1) {
        throw new IllegalArgumentException("--count must be at least 1, got " + count);
      }
      if (rate < 0) {
        throw new IllegalArgumentException("--rate must be 0 (as fast as possible) or more");
      }
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the timeout must be positive");
      }
    }
  }

  /**
   * The figures of one run.
   *
   * @param hostname the run's marker, {@code host.name} of every event it sent
   * @param sent events sent
   * @param sendTime from the first to the last send
   * @param indexed events of this run found in Elasticsearch at the end
   * @param indexTime from the first send until the last increase of the indexed count
   * @param bursts brute-force bursts sent
   * @param alerted bursts whose alert was found
   * @param latencyMillis alert latency per alerted burst, in milliseconds
   * @param toDetectionMillis per alerted burst, from the alert's stamps: from the collector
   *     receiving the evidence to the rule stage raising the finding
   * @param toIndexingMillis per alerted burst, from the alert's stamps: from the finding to the
   *     alert's bulk request leaving for Elasticsearch
   * @param timedOut true when the run stopped at the timeout rather than complete
   */
  public record Result(
      String hostname,
      long sent,
      Duration sendTime,
      long indexed,
      Duration indexTime,
      int bursts,
      int alerted,
      Histogram latencyMillis,
      Histogram toDetectionMillis,
      Histogram toIndexingMillis,
      boolean timedOut) {

    public double indexedPerSecond() {
      double seconds = indexTime.toNanos() / 1e9;
      return seconds <= 0 ? 0 : indexed / seconds;
    }

    /** The report, a few lines for a terminal. */
    public String report() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "run %s: sent %d events (%d brute-force bursts) in %.2f s (%.0f events/s)%n",
              hostname,
              sent,
              bursts,
              seconds(sendTime),
              seconds(sendTime) <= 0 ? 0 : sent / seconds(sendTime)));
      sb.append(
          String.format(
              Locale.ROOT,
              "indexed %d of %d events in %.2f s: %.0f events/s end to end%s%n",
              indexed,
              sent,
              seconds(indexTime),
              indexedPerSecond(),
              timedOut ? " (timed out before all were indexed or alerted)" : ""));
      if (alerted == 0) {
        sb.append(String.format(Locale.ROOT, "alerts: none of %d bursts alerted%n", bursts));
      } else {
        sb.append(
            String.format(
                Locale.ROOT,
                "alerts: %d of %d bursts alerted; latency (last evidence sent -> alert searchable)"
                    + " p50 %d ms, p99 %d ms, max %d ms%n",
                alerted,
                bursts,
                latencyMillis.getValueAtPercentile(50),
                latencyMillis.getValueAtPercentile(99),
                latencyMillis.getMaxValue()));
        if (toDetectionMillis.getTotalCount() > 0) {
          sb.append(
              String.format(
                  Locale.ROOT,
                  "  from the alerts' stamps: received -> detected p50 %d ms, p99 %d ms;"
                      + " detected -> sent to Elasticsearch p50 %d ms, p99 %d ms%n",
                  toDetectionMillis.getValueAtPercentile(50),
                  toDetectionMillis.getValueAtPercentile(99),
                  toIndexingMillis.getValueAtPercentile(50),
                  toIndexingMillis.getValueAtPercentile(99)));
        }
      }
      return sb.toString();
    }

    private static double seconds(Duration d) {
      return d.toNanos() / 1e9;
    }
  }

  private final Options options;

  public SyslogBench(Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Runs the benchmark, writing progress to {@code progress}.
   *
   * @throws IllegalStateException when Elasticsearch is not reachable before the run starts
   * @throws IOException when the collector cannot be reached
   */
  public Result run(PrintStream progress) throws IOException, InterruptedException {
    String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    SshdTraffic traffic =
        new SshdTraffic(
            runId,
            options.count(),
            ThreadLocalRandom.current().nextLong(),
            Clock.systemDefaultZone());
    try (ElasticsearchClients es =
        ElasticsearchClients.create(
            ElasticsearchSettings.of(options.elasticsearch())
                .withRequestTimeout(Duration.ofSeconds(10)))) {
      if (!es.isReady()) {
        throw new IllegalStateException(
            "Elasticsearch at "
                + options.elasticsearch()
                + " is not reachable or not ready: start the pipeline (vigil up) first");
      }
      Watcher watcher = new Watcher(es.client(), traffic, Instant.now().minusSeconds(1));
      Thread poller = new Thread(watcher, "bench-es-poller");
      poller.setDaemon(true);
      long start = System.nanoTime();
      watcher.lastIncrease = start;
      poller.start();
      long sendEnd;
      try (SyslogSender sender =
          options.tcp()
              ? SyslogSender.tcp(options.target(), SyslogSender.Framing.NEWLINE, options.rate())
              : SyslogSender.udp(options.target(), options.rate())) {
        progress.printf(
            Locale.ROOT,
            "sending %d sshd lines as host %s to %s%n",
            options.count(),
            traffic.hostname(),
            sender);
        for (int i = 0; i < traffic.count(); i++) {
          sender.send(traffic.line(i));
          if (traffic.endsBurst(i)) {
            sender.flush();
            watcher.burstSent(traffic.burstSources().get(traffic.burstOf(i)), System.nanoTime());
          }
        }
        sender.flush();
        sendEnd = System.nanoTime();
      } catch (IOException | RuntimeException | InterruptedException e) {
        watcher.stop();
        throw e;
      }
      progress.printf(
          Locale.ROOT,
          "sent; waiting up to %d s for Elasticsearch%n",
          options.timeout().toSeconds());
      long deadline = sendEnd + options.timeout().toNanos();
      while (!watcher.complete() && System.nanoTime() < deadline) {
        Thread.sleep(POLL_INTERVAL.toMillis());
      }
      boolean timedOut = !watcher.complete();
      watcher.stop();
      poller.join(Duration.ofSeconds(15).toMillis());
      if (watcher.failures.get() > 0 && watcher.indexed.get() == 0) {
        progress.println(
            "warning: "
                + watcher.failures.get()
                + " Elasticsearch polls failed: "
                + watcher.lastFailure);
      }
      Histogram histogram = histogram(watcher.latencies.values());
      Histogram toDetection = histogram(watcher.toDetection.values());
      Histogram toIndexing = histogram(watcher.toIndexing.values());
      return new Result(
          traffic.hostname(),
          traffic.count(),
          Duration.ofNanos(sendEnd - start),
          watcher.indexed.get(),
          Duration.ofNanos(watcher.lastIncrease - start),
          traffic.burstSources().size(),
          watcher.latencies.size(),
          histogram,
          toDetection,
          toIndexing,
          timedOut);
    }
  }

  /** Milliseconds, up to an hour, at three significant digits. */
  private static Histogram histogram(Collection<Long> millis) {
    Histogram histogram = new Histogram(Duration.ofHours(1).toMillis(), 3);
    millis.forEach(
        ms ->
            histogram.recordValue(Math.max(0, Math.min(ms, histogram.getHighestTrackableValue()))));
    return histogram;
  }

  /** Counts a run's events in Vigil's event indices: every line carries the run's host name. */
  public static CountRequest eventsCount(String hostname) {
    return CountRequest.of(
        c ->
            c.index(Indices.EVENTS_PATTERN)
                .ignoreUnavailable(true)
                .allowNoIndices(true)
                .query(q -> q.term(t -> t.field("host.name").value(hostname))));
  }

  /**
   * Finds alerts detected since the run began for the given burst sources, returning only their
   * {@code source.ip} (as {@code fields}, whatever the shape of the stored document).
   */
  static SearchRequest alertsFor(List<String> sources, String since) {
    List<FieldValue> values = new ArrayList<>();
    sources.forEach(ip -> values.add(FieldValue.of(ip)));
    return SearchRequest.of(
        s ->
            s.index(Indices.ALERTS_PATTERN)
                .ignoreUnavailable(true)
                .allowNoIndices(true)
                .size(Math.max(10, values.size() * 4))
                .source(src -> src.fetch(false))
                .fields(f -> f.field("source.ip"))
                .fields(f -> f.field(RECEIVED))
                .fields(f -> f.field(DETECTED))
                .fields(f -> f.field(INDEXED))
                .query(
                    q ->
                        q.bool(
                            b ->
                                b.filter(
                                        f ->
                                            f.terms(
                                                t ->
                                                    t.field("source.ip")
                                                        .terms(v -> v.value(values))))
                                    .filter(
                                        f ->
                                            f.range(
                                                r ->
                                                    r.date(
                                                        d -> d.field("@timestamp").gte(since)))))));
  }

  /** An alert's latency stamp in epoch milliseconds, or 0 when it has none. */
  private static long stamp(Hit<Void> hit, String field) {
    JsonData values = hit.fields().get(field);
    if (values == null) {
      return 0;
    }
    List<?> list = values.to(List.class);
    try {
      return list.isEmpty() ? 0 : Instant.parse(String.valueOf(list.get(0))).toEpochMilli();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  /** Polls Elasticsearch on its own thread so that alert latency is measured while sending. */
  private static final class Watcher implements Runnable {
    private final ElasticsearchClient client;
    private final SshdTraffic traffic;
    private final String since;
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    final Map<String, Long> latencies = new ConcurrentHashMap<>();
    final Map<String, Long> toDetection = new ConcurrentHashMap<>();
    final Map<String, Long> toIndexing = new ConcurrentHashMap<>();
    final AtomicLong indexed = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    volatile String lastFailure = "";
    volatile long lastIncrease;
    private volatile boolean running = true;

    Watcher(ElasticsearchClient client, SshdTraffic traffic, Instant since) {
      this.client = client;
      this.traffic = traffic;
      this.since = since.toString();
    }

    void burstSent(String source, long nanos) {
      pending.put(source, nanos);
    }

    boolean complete() {
      return indexed.get() >= traffic.count() && latencies.size() >= traffic.burstSources().size();
    }

    void stop() {
      running = false;
    }

    @Override
    public void run() {
      while (running) {
        long pollStart = System.nanoTime();
        try {
          pollAlerts();
          pollEvents();
        } catch (IOException | RuntimeException e) {
          failures.incrementAndGet();
          lastFailure = String.valueOf(e.getMessage());
        }
        long sleep = POLL_INTERVAL.toNanos() - (System.nanoTime() - pollStart);
        if (sleep > 0) {
          try {
            Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }

    private void pollEvents() throws IOException {
      long count = client.count(eventsCount(traffic.hostname())).count();
      if (count > indexed.get()) {
        indexed.set(count);
        lastIncrease = System.nanoTime();
      }
    }

    private void pollAlerts() throws IOException {
      if (pending.isEmpty()) {
        return;
      }
      SearchResponse<Void> response =
          client.search(alertsFor(new ArrayList<>(pending.keySet()), since), Void.class);
      long now = System.nanoTime();
      for (Hit<Void> hit : response.hits().hits()) {
        JsonData values = hit.fields().get("source.ip");
        if (values == null) {
          continue;
        }
        for (Object ip : values.to(List.class)) {
          Long sentAt = pending.remove(String.valueOf(ip));
          if (sentAt != null) {
            latencies.put(String.valueOf(ip), Math.max(0, (now - sentAt) / 1_000_000));
            long received = stamp(hit, RECEIVED);
            long detected = stamp(hit, DETECTED);
            long indexed = stamp(hit, INDEXED);
            if (received > 0 && detected > 0 && indexed > 0) {
              toDetection.put(String.valueOf(ip), detected - received);
              toIndexing.put(String.valueOf(ip), indexed - detected);
            }
          }
        }
      }
    }
  }
}
