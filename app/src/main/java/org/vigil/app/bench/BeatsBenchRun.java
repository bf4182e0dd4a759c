package org.vigil.app.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.CommonStatsFlag;
import co.elastic.clients.elasticsearch.core.CountRequest;
import co.elastic.clients.elasticsearch.indices.stats.IndicesStats;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.vigil.app.AllInOne;
import org.vigil.bench.ArrivalWatch;
import org.vigil.bench.ElasticsearchAlone;
import org.vigil.bench.beats.BeatsBenchReport;
import org.vigil.bench.beats.BeatsLoad;
import org.vigil.collectors.beats.BeatsServer;
import org.vigil.collectors.beats.BeatsServerConfig;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.elasticsearch.ElasticsearchSettings;
import org.vigil.elasticsearch.Indices;
import org.vigil.model.Topics;

/**
 * Runs the phases of {@code vigil bench beats} in order, each starting what it measures in the
 * run's data folder on free ports and stopping it afterwards:
 *
 * <ol>
 *   <li>collector: embedded Kafka and the Beats collector only; a warm-up, then the measured load,
 *       its rate the events acknowledged, checked against Kafka's end offsets;
 *   <li>e2e: the whole all-in-one; a warm-up until indexed, then the measured load while its
 *       documents are watched arriving in Elasticsearch.
 * </ol>
 *
 * After each measured load the CPU per thread group is printed.
 *
 * <p>Each load carries its own run id in {@code labels.bench_run}, so the count in Elasticsearch is
 * exactly that load's events, whatever else the index holds.
 */
public final class BeatsBenchRun {
  private static final Duration ELASTICSEARCH_POLL = Duration.ofMillis(250);
  private static final Duration WARMUP_WAIT = Duration.ofSeconds(120);
  private static final int CPU_TOP = 12;

  private final BeatsBenchPlan plan;
  private final PrintStream progress;
  private final String runId;

  public BeatsBenchRun(BeatsBenchPlan plan, PrintStream progress) {
    this.plan = plan;
    this.progress = progress;
    this.runId = "bench-" + Long.toString(System.currentTimeMillis(), 36);
  }

  /** Runs every planned phase and returns the figures. */
  public BeatsBenchReport run() throws Exception {
    try (BenchFolder folder = BenchFolder.open(plan.dataDir(), plan.keep(), progress)) {
      BeatsLoad.Result collector = null;
      long kafkaEvents = -1;
      if (plan.runs(BeatsBenchPlan.Phase.COLLECTOR)) {
        try (CollectorOnlyStack<BeatsServer> stack =
            CollectorOnlyStack.start(
                folder.path().resolve("collector"),
                Topics.RAW_BEATS,
                "vigil-bench-beats",
                BeatsBenchRun::beatsServer)) {
          InetSocketAddress target = new InetSocketAddress("127.0.0.1", stack.collector().port());
          if (plan.warmup() > 0) {
            progress.printf(Locale.ROOT, "collector: warm-up, %d events%n", plan.warmup());
            progress.printf(
                Locale.ROOT,
                "collector: warm-up %s%n",
                new BeatsLoad(settings(target, plan.warmup(), runId + "-cwarm")).run());
          }
          BeatsLoad load = new BeatsLoad(settings(target, plan.events(), runId + "-collector"));
          Map<TopicPartition, Long> before = stack.endOffsets();
          describe("collector", target);
          ThreadCpuProfile cpu = ThreadCpuProfile.take(Map.of());
          collector = load.run();
          progress.print(ThreadCpuProfile.take(Map.of()).since(cpu, CPU_TOP));
          kafkaEvents = stack.rawPayloadsSince(before);
          progress.printf(Locale.ROOT, "collector: %s%n", collector);
        }
      }
      if (!plan.runs(BeatsBenchPlan.Phase.E2E)) {
        return new BeatsBenchReport(collector, kafkaEvents, null, null);
      }
      E2e e2e;
      try {
        e2e = endToEnd(folder.enterable("e2e"));
      } catch (Exception | Error e) {
        if (collector != null) {
          progress.println("e2e failed; the collector's figures:");
          progress.print(new BeatsBenchReport(collector, kafkaEvents, null, null).table());
        }
        throw e;
      }
      return new BeatsBenchReport(collector, kafkaEvents, e2e.acked(), e2e.indexed(), e2e.alone());
    }
  }

  private static BeatsServer beatsServer(RawRecordPublisher publisher) {
    BeatsServer server =
        new BeatsServer(
            BeatsServerConfig.defaults("vigil-bench").withBindHost("127.0.0.1").withPort(0),
            publisher);
    server.start();
    return server;
  }

  private void describe(String phase, InetSocketAddress target) {
    progress.printf(
        Locale.ROOT,
        "%s: %d events from %d clients to 127.0.0.1:%d, %d window(s) of %d in flight each%n",
        phase,
        plan.events(),
        plan.clients(),
        target.getPort(),
        plan.inFlight(),
        plan.window());
  }

  /** The end-to-end figures. */
  private record E2e(
      BeatsLoad.Result acked, BeatsBenchReport.Indexed indexed, ElasticsearchAlone.Result alone) {}

  private E2e endToEnd(Path dir) throws Exception {
    progress.printf(
        Locale.ROOT,
        "e2e: starting Kafka, Elasticsearch, the correlation job (parallelism %d) and the"
            + " collectors%n",
        plan.parallelism());
    AllInOne.Settings settings =
        FreePorts.allInOne(dir, plan.elasticsearchHeap(), plan.parallelism()).withBeats(0, null);
    ExecutorService sender =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-bench-beats-load");
              t.setDaemon(true);
              return t;
            });
    try (AllInOne system = AllInOne.start(settings);
        ElasticsearchClients es =
            ElasticsearchClients.create(
                ElasticsearchSettings.of(system.elasticsearchUrl())
                    .withRequestTimeout(Duration.ofSeconds(10)))) {
      ElasticsearchClient client = es.client();
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", system.beatsPort());
      if (plan.warmup() > 0) {
        warmUp(client, target);
      }
      String measured = runId + "-run";
      BeatsLoad load = new BeatsLoad(settings(target, plan.events(), measured));
      CountRequest documents = documentsOf(measured);
      ArrivalWatch operations =
          ArrivalWatch.every(() -> indexOperations(client), ELASTICSEARCH_POLL);
      long operationsBaseline = operations.baseline();
      ArrivalWatch watch =
          ArrivalWatch.every(() -> client.count(documents).count(), ELASTICSEARCH_POLL);
      long baseline = watch.baseline();
      Map<String, Long> children =
          Map.of(ElasticsearchAloneStep.ELASTICSEARCH, system.elasticsearchPid());
      ThreadCpuProfile cpu = ThreadCpuProfile.take(children);
      describe("e2e", target);
      long start = System.nanoTime();
      CompletableFuture<BeatsLoad.Result> sent = send(load, sender);
      LongSupplier expected =
          () -> sent.isDone() && !sent.isCompletedExceptionally() ? load.events() : Long.MAX_VALUE;
      // Indexed is when Elasticsearch had taken every document; searchable adds the wait for the
      // index's next refresh, up to 5 s of a run this short, which costs no CPU.
      ArrivalWatch.Outcome stored =
          operations.await(operationsBaseline, start, sent::isDone, expected, plan.quiet());
      ArrivalWatch.Outcome indexed =
          watch.await(baseline, start, sent::isDone, expected, plan.quiet());
      BeatsLoad.Result result = join(sent);
      ThreadCpuProfile cpuAfter = ThreadCpuProfile.take(children);
      progress.print(cpuAfter.since(cpu, CPU_TOP));
      progress.print(cpuAfter.perItem(cpu, indexed.arrived(), "indexed event"));
      progress.printf(Locale.ROOT, "e2e: %s%n", result);
      if (indexed.failedPolls() > 0) {
        progress.printf(Locale.ROOT, "note: %d polls of the count failed%n", indexed.failedPolls());
      }
      ElasticsearchAlone.Result alone =
          ElasticsearchAloneStep.run(es, documents, indexed.arrived(), children, progress);
      return new E2e(
          result,
          new BeatsBenchReport.Indexed(
              indexed.arrived(),
              // Should Elasticsearch's count fall short (its stats unreadable), the search's time.
              ((stored.complete() ? stored : indexed).lastRiseNanos() - start) / 1e9,
              (indexed.lastRiseNanos() - start) / 1e9,
              indexed.complete()),
          alone);
    } finally {
      sender.shutdownNow();
    }
  }

  /**
   * A smaller load through the fresh system, waited for until indexed, so the measured run finds
   * the job running, the index created and the JIT warm.
   */
  private void warmUp(ElasticsearchClient client, InetSocketAddress target) throws Exception {
    String warm = runId + "-warmup";
    progress.printf(Locale.ROOT, "e2e: warm-up, %d events, waiting until indexed%n", plan.warmup());
    BeatsLoad load = new BeatsLoad(settings(target, plan.warmup(), warm));
    CountRequest documents = documentsOf(warm);
    ArrivalWatch watch =
        ArrivalWatch.every(() -> client.count(documents).count(), ELASTICSEARCH_POLL);
    long baseline = watch.baseline();
    BeatsLoad.Result result = load.run();
    ArrivalWatch.Outcome outcome =
        watch.await(baseline, System.nanoTime(), () -> true, load::events, WARMUP_WAIT);
    progress.printf(Locale.ROOT, "e2e: warm-up %s%n", result);
    if (!outcome.complete()) {
      progress.printf(
          Locale.ROOT,
          "warning: only %d of %d warm-up events indexed%n",
          outcome.arrived(),
          load.events());
    }
  }

  private BeatsLoad.Settings settings(InetSocketAddress target, long events, String id) {
    return BeatsLoad.Settings.of(
            target, (int) Math.min(plan.clients(), events), events, plan.window(), id)
        .withInFlight(plan.inFlight());
  }

  /**
   * Index operations Elasticsearch has carried out on the event indices' primaries, refreshed or
   * not. A resent window's events are indexed again and counted again, so with resends the count
   * reaches the events sent a little early; the report shows the resends.
   */
  private static long indexOperations(ElasticsearchClient client) throws IOException {
    IndicesStats all =
        client
            .indices()
            .stats(s -> s.index(Indices.EVENTS_PATTERN).metric(CommonStatsFlag.Indexing))
            .all();
    return all == null || all.primaries() == null || all.primaries().indexing() == null
        ? 0
        : all.primaries().indexing().indexTotal();
  }

  /** The documents of one load, by the run id every one of its events carries. */
  static CountRequest documentsOf(String runId) {
    return CountRequest.of(
        c ->
            c.index(Indices.EVENTS_PATTERN)
                .ignoreUnavailable(true)
                .allowNoIndices(true)
                .query(q -> q.term(t -> t.field("labels.bench_run").value(runId))));
  }

  private static CompletableFuture<BeatsLoad.Result> send(BeatsLoad load, ExecutorService on) {
    CompletableFuture<BeatsLoad.Result> done = new CompletableFuture<>();
    on.execute(
        () -> {
          try {
            done.complete(load.run());
          } catch (IOException | RuntimeException e) {
            done.completeExceptionally(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
          }
        });
    return done;
  }

  private static <T> T join(CompletableFuture<T> future) throws Exception {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
