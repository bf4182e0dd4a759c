package org.vigil.app.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.CountRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vigil.app.AllInOne;
import org.vigil.bench.ArrivalWatch;
import org.vigil.bench.ElasticsearchAlone;
import org.vigil.bench.netflow.FlowThroughput;
import org.vigil.bench.netflow.NetflowBenchReport;
import org.vigil.bench.netflow.NetflowCapture;
import org.vigil.bench.netflow.NetflowDecoderJmh;
import org.vigil.bench.netflow.NetflowReplay;
import org.vigil.collectors.netflow.NetflowInput;
import org.vigil.collectors.netflow.NetflowServer;
import org.vigil.collectors.netflow.NetflowServerConfig;
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.elasticsearch.ElasticsearchSettings;
import org.vigil.elasticsearch.Indices;

/**
 * Runs the phases of {@code vigil bench netflow} in order, each starting what it measures in the
 * run's data folder on free ports and stopping it afterwards:
 *
 * <ol>
 *   <li>collector: embedded Kafka and the NetFlow collector only; a warm-up, then the measured
 *       replay (rate: datagrams reaching the raw NetFlow topic over time; loss: datagrams sent
 *       against records in Kafka, with the collector's own and the kernel's drop counters);
 *   <li>e2e: the whole all-in-one; a warm-up until indexed, then the measured replay (decoded: the
 *       job's flow counter from Flink's REST API; indexed: flow documents in Elasticsearch; the
 *       job's sequence check says whether any datagram went missing on the way);
 *   <li>jmh: the decoder alone under JMH.
 * </ol>
 *
 * Each replay is one {@link NetflowReplay} per system, so a warm-up and the run after it are one
 * unbroken sequence per exporter. After each measured phase the CPU per thread group is printed.
 */
public final class NetflowBenchRun {
  private static final Duration KAFKA_POLL = Duration.ofMillis(50);
  private static final Duration ELASTICSEARCH_POLL = Duration.ofMillis(250);
  private static final Duration FLINK_POLL = Duration.ofSeconds(1);

  /** Longer than Flink's 10 s metrics refresh, so a counter still rising is not taken as done. */
  private static final Duration FLINK_QUIET = Duration.ofSeconds(25);

  private static final Duration E2E_WARMUP_WAIT = Duration.ofSeconds(90);

  /**
   * Flows per second of the end-to-end warm-up: about what the all-in-one indexes on 2 cores, so
   * the collector is not starved into dropping datagrams while the job and Elasticsearch compile.
   */
  private static final long E2E_WARMUP_RATE = 5_000;

  private static final int CPU_TOP = 12;
  private static final long FIRST_DOMAIN = 1;

  static final String FLOWS = "netflowFlows";
  static final String LOST_FLOWS = "netflowLostFlows";
  static final String LOST_PACKETS = "netflowLostPackets";
  static final String MALFORMED = "netflowMalformed";
  static final String TIMED_OUT = "netflowSetsTimedOut";
  static final String OVERFLOWED = "netflowSetsOverflowed";
  private static final List<String> JOB_COUNTERS =
      List.of(FLOWS, LOST_FLOWS, LOST_PACKETS, MALFORMED, TIMED_OUT, OVERFLOWED);

  private static final List<NetflowInput> UDP_INPUTS =
      List.of(NetflowInput.NETFLOW_UDP, NetflowInput.IPFIX_UDP);

  private static final Pattern DROPPED =
      Pattern.compile("(?m)^vigil_collector_dropped_total\\{([^}]*)\\} ([0-9.eE+]+)$");

  private final NetflowBenchPlan plan;
  private final PrintStream progress;
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * The replay and the second watch each block a thread for a whole run: the common pool, one
   * thread on two cores, would run them one after the other.
   */
  private final ExecutorService threads = Executors.newCachedThreadPool(named());

  private static ThreadFactory named() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "vigil-bench-netflow-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  public NetflowBenchRun(NetflowBenchPlan plan, PrintStream progress) {
    this.plan = plan;
    this.progress = progress;
  }

  /** The captures every phase replays: a Cisco ASA v9 one and an OpenBSD pflow IPFIX one. */
  static List<NetflowCapture> captures(Path dir) throws IOException {
    return List.of(
        NetflowCapture.read("cisco-asa-v9", dir, NetflowCapture.CISCO_ASA),
        NetflowCapture.read("openbsd-pflow-ipfix", dir, NetflowCapture.OPENBSD_PFLOW));
  }

  /** Runs every planned phase and returns the figures. */
  public NetflowBenchReport run() throws Exception {
    List<NetflowCapture> captures = captures(plan.captures());
    try (BenchFolder folder = BenchFolder.open(plan.dataDir(), plan.keep(), progress)) {
      FlowThroughput collector = null;
      EndToEnd e2e = null;
      List<NetflowDecoderJmh.Figure> jmh = List.of();
      if (plan.runs(NetflowBenchPlan.Phase.COLLECTOR)) {
        collector = collector(captures, folder.path().resolve("collector"));
      }
      if (plan.runs(NetflowBenchPlan.Phase.E2E)) {
        try {
          e2e = endToEnd(captures, folder.enterable("e2e"));
        } catch (Exception | Error e) {
          // The collector's figures are not lost because Elasticsearch or the job failed.
          if (collector != null) {
            progress.println("e2e failed; the collector's figures:");
            progress.print(new NetflowBenchReport(collector, null, null, -1, -1, null).table());
          }
          throw e;
        }
      }
      if (plan.runs(NetflowBenchPlan.Phase.JMH)) {
        progress.println(
            "jmh: NetflowDecoderBenchmark, 1 thread, 3 x 1 s warm-up, 5 x 1 s measured"
                + (plan.forkJmh() ? ", forked JVM" : ", in this JVM"));
        jmh =
            new NetflowDecoderJmh(
                    plan.captures(), new NetflowDecoderJmh.Settings(plan.forkJmh(), 3, 5, 1_000))
                .run();
      }
      return e2e == null
          ? new NetflowBenchReport(collector, null, null, -1, -1, jmh)
          : new NetflowBenchReport(
              collector,
              e2e.decoded(),
              e2e.indexed(),
              e2e.lostFlows(),
              e2e.lostPackets(),
              jmh,
              e2e.alone());
    } finally {
      threads.shutdownNow();
    }
  }

  private FlowThroughput collector(List<NetflowCapture> captures, Path dir) throws Exception {
    try (CollectorOnlyStack<NetflowServer> stack = CollectorOnlyStack.netflow(dir)) {
      NetflowServer netflow = stack.collector();
      progress.print(
          CollectorOnlyStack.receiveBufferLine(
              NetflowServerConfig.DEFAULT_UDP_RECEIVE_BUFFER_BYTES,
              netflow.udpReceiveBufferBytes(NetflowInput.NETFLOW_UDP)));
      NetflowReplay replay =
          new NetflowReplay(captures, plan.exporters(), FIRST_DOMAIN, plan.templateInterval());
      NetflowReplay.Target target =
          new NetflowReplay.Target(
              new InetSocketAddress("127.0.0.1", netflow.port(NetflowInput.NETFLOW_UDP)),
              new InetSocketAddress("127.0.0.1", netflow.port(NetflowInput.IPFIX_UDP)));
      if (plan.warmup() > 0) {
        progress.printf(
            Locale.ROOT, "collector: warm-up, %d flows at %s%n", plan.warmup(), rate(plan.rate()));
        long before = stack.rawRecords();
        NetflowReplay.Summary warm =
            replay.run(target, NetflowReplay.Load.flows(plan.warmup()).withRate(plan.rate()));
        ArrivalWatch.every(stack::rawRecords, KAFKA_POLL)
            .await(before, System.nanoTime(), () -> true, warm::datagrams, plan.quiet());
      }
      NetflowReplay.Load load =
          (plan.duration().isZero()
                  ? NetflowReplay.Load.flows(plan.flows())
                  : NetflowReplay.Load.lasting(plan.duration()))
              .withRate(plan.rate());
      progress.printf(
          Locale.ROOT,
          "collector: %s at %s from %d exporters to 127.0.0.1:%d (v9), :%d (IPFIX)%n",
          plan.duration().isZero()
              ? plan.flows() + " flows"
              : plan.duration().toSeconds() + " s of flows",
          rate(plan.rate()),
          plan.exporters(),
          target.netflow().getPort(),
          target.ipfix().getPort());
      long appDrops = appDrops(netflow);
      OptionalLong kernelDrops = kernelDrops(netflow);
      long received = received(netflow);
      ThreadCpuProfile cpu = ThreadCpuProfile.take(Map.of());
      Measured m =
          measure(
              replay,
              target,
              load,
              ArrivalWatch.every(stack::rawRecords, KAFKA_POLL),
              NetflowReplay.Summary::datagrams,
              plan.quiet(),
              System.nanoTime(),
              new CompletableFuture<>());
      progress.print(ThreadCpuProfile.take(Map.of()).since(cpu, CPU_TOP));
      long kernel = CollectorOnlyStack.dropsBetween(kernelDrops, kernelDrops(netflow));
      progress.printf(
          Locale.ROOT,
          "collector: %s; the collector received %d datagrams, Kafka holds %d more%n",
          m.sent(),
          received(netflow) - received,
          m.arrived().arrived());
      return FlowThroughput.ofDatagrams(
          "collector",
          m.sent().datagrams(),
          m.sent().flows(),
          m.arrived().arrived(),
          m.seconds(),
          m.sent().flowsPerSecond(),
          appDrops(netflow) - appDrops,
          kernel,
          m.arrived().complete());
    }
  }

  /** The end-to-end figures. */
  private record EndToEnd(
      FlowThroughput decoded,
      FlowThroughput indexed,
      long lostFlows,
      long lostPackets,
      ElasticsearchAlone.Result alone) {}

  private EndToEnd endToEnd(List<NetflowCapture> captures, Path dir) throws Exception {
    progress.printf(
        Locale.ROOT,
        "e2e: starting Kafka, Elasticsearch, the correlation job (parallelism %d) and the"
            + " collectors%n",
        plan.parallelism());
    AllInOne.Settings settings =
        FreePorts.allInOne(dir, plan.elasticsearchHeap(), plan.parallelism());
    try (AllInOne system = AllInOne.start(settings);
        ElasticsearchClients es =
            ElasticsearchClients.create(
                ElasticsearchSettings.of(system.elasticsearchUrl())
                    .withRequestTimeout(Duration.ofSeconds(10)))) {
      ElasticsearchClient client = es.client();
      CountRequest flowDocuments = flowDocuments();
      ArrivalWatch.Count indexed = () -> client.count(flowDocuments).count();
      FlinkJobCounters job =
          new FlinkJobCounters(URI.create("http://127.0.0.1:" + settings.flinkUiPort()));
      URI metrics = URI.create("http://127.0.0.1:" + settings.metricsPort() + "/metrics");
      NetflowReplay replay =
          new NetflowReplay(captures, plan.exporters(), FIRST_DOMAIN, plan.templateInterval());
      NetflowReplay.Target target =
          new NetflowReplay.Target(
              new InetSocketAddress("127.0.0.1", system.netflowPort()),
              new InetSocketAddress("127.0.0.1", system.ipfixPort()));

      warmUp(replay, target, indexed, job);
      Map<String, Long> before = job.read(JOB_COUNTERS);
      long[] dropsBefore = collectorDrops(metrics);
      progress.printf(
          Locale.ROOT,
          "e2e: %d flows at %s from %d exporters%n",
          plan.e2eFlows(),
          rate(plan.e2eRate()),
          plan.exporters());
      Map<String, Long> children =
          Map.of(ElasticsearchAloneStep.ELASTICSEARCH, system.elasticsearchPid());
      ThreadCpuProfile cpu = ThreadCpuProfile.take(children);

      ArrivalWatch decodedWatch = ArrivalWatch.every(() -> job.read(FLOWS), FLINK_POLL);
      long decodedBaseline = decodedWatch.baseline();
      CompletableFuture<NetflowReplay.Summary> senderRef = new CompletableFuture<>();
      long start = System.nanoTime();
      CompletableFuture<ArrivalWatch.Outcome> decoded =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return decodedWatch.await(
                      decodedBaseline,
                      start,
                      senderRef::isDone,
                      () -> expected(senderRef, NetflowReplay.Summary::flows),
                      FLINK_QUIET);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new CompletionException(e);
                }
              },
              threads);
      Measured indexedRun =
          measure(
              replay,
              target,
              NetflowReplay.Load.flows(plan.e2eFlows()).withRate(plan.e2eRate()),
              ArrivalWatch.every(indexed, ELASTICSEARCH_POLL),
              NetflowReplay.Summary::flows,
              plan.quiet(),
              start,
              senderRef);
      ArrivalWatch.Outcome decodedOutcome = join(decoded);
      ThreadCpuProfile cpuAfter = ThreadCpuProfile.take(children);
      progress.print(cpuAfter.since(cpu, CPU_TOP));
      progress.print(cpuAfter.perItem(cpu, indexedRun.arrived().arrived(), "indexed flow"));
      Map<String, Long> after = job.read(JOB_COUNTERS);
      long[] dropsAfter = collectorDrops(metrics);
      NetflowReplay.Summary sent = indexedRun.sent();
      progress.printf(Locale.ROOT, "e2e: %s%n", sent);
      long malformed = delta(after, before, MALFORMED);
      long unmatched = delta(after, before, TIMED_OUT) + delta(after, before, OVERFLOWED);
      if (malformed > 0 || unmatched > 0) {
        progress.printf(
            Locale.ROOT,
            "warning: the job dead-lettered %d undecodable datagrams and %d data sets without"
                + " their template%n",
            malformed,
            unmatched);
      }
      FlowThroughput decodedResult =
          new FlowThroughput(
              "decoded",
              sent.datagrams(),
              sent.flows(),
              -1,
              decodedOutcome.arrived(),
              false,
              (decodedOutcome.lastRiseNanos() - start) / 1e9,
              sent.flowsPerSecond(),
              -1,
              -1,
              decodedOutcome.complete());
      FlowThroughput indexedResult =
          new FlowThroughput(
              "indexed",
              sent.datagrams(),
              sent.flows(),
              -1,
              indexedRun.arrived().arrived(),
              false,
              indexedRun.seconds(),
              sent.flowsPerSecond(),
              dropsAfter[0] < 0 ? -1 : dropsAfter[0] - dropsBefore[0],
              dropsAfter[1] < 0 ? -1 : dropsAfter[1] - dropsBefore[1],
              indexedRun.arrived().complete());
      ElasticsearchAlone.Result alone =
          ElasticsearchAloneStep.run(
              es, flowDocuments, indexedResult.flowsCounted(), children, progress);
      return new EndToEnd(
          decodedResult,
          indexedResult,
          delta(after, before, LOST_FLOWS),
          delta(after, before, LOST_PACKETS),
          alone);
    }
  }

  /**
   * A few exporter cycles through the fresh system, waited for until indexed and counted by the
   * job, so the measured run finds the job's operators running, the templates learned, the index
   * created and Flink's REST counters known: start-up is not throughput.
   */
  private void warmUp(
      NetflowReplay replay,
      NetflowReplay.Target target,
      ArrivalWatch.Count indexed,
      FlinkJobCounters job)
      throws Exception {
    progress.printf(
        Locale.ROOT, "e2e: warm-up, %d flows, waiting until indexed%n", plan.e2eWarmup());
    ArrivalWatch watch = ArrivalWatch.every(indexed, ELASTICSEARCH_POLL);
    long before = watch.baseline();
    NetflowReplay.Summary warm =
        replay.run(target, NetflowReplay.Load.flows(plan.e2eWarmup()).withRate(E2E_WARMUP_RATE));
    ArrivalWatch.Outcome outcome =
        watch.await(before, System.nanoTime(), () -> true, warm::flows, E2E_WARMUP_WAIT);
    if (!outcome.complete()) {
      progress.printf(
          Locale.ROOT,
          "warning: only %d of %d warm-up flows indexed%n",
          outcome.arrived(),
          warm.flows());
    }
    // Flink's REST server refreshes metrics every 10 s: wait until it shows the warm-up, so the
    // baseline taken next is not stale.
    ArrivalWatch.every(() -> job.read(FLOWS), FLINK_POLL)
        .await(0, System.nanoTime(), () -> true, outcome::arrived, FLINK_QUIET);
  }

  /** Documents of decoded flows in the event indices. */
  static CountRequest flowDocuments() {
    return CountRequest.of(
        c ->
            c.index(Indices.EVENTS_PATTERN)
                .ignoreUnavailable(true)
                .allowNoIndices(true)
                .query(q -> q.term(t -> t.field("event.dataset").value("netflow.flow"))));
  }

  /**
   * The NetFlow inputs' drops from the collector's Prometheus endpoint: {Kafka refused, kernel
   * receive buffer}, each -1 when not exposed.
   */
  private long[] collectorDrops(URI metrics) {
    long[] out = {-1, -1};
    String body;
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return out;
      }
      body = r.body();
    } catch (IOException e) {
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return out;
    }
    return dropsIn(body);
  }

  /** Sums {@code vigil_collector_dropped_total} of the NetFlow UDP inputs by reason. */
  static long[] dropsIn(String prometheus) {
    long[] out = {-1, -1};
    Matcher m = DROPPED.matcher(prometheus);
    while (m.find()) {
      String tags = m.group(1);
      if (!tags.contains("input=\"netflow_udp\"") && !tags.contains("input=\"ipfix_udp\"")) {
        continue;
      }
      int i = tags.contains("reason=\"kernel_receive_buffer\"") ? 1 : 0;
      out[i] = Math.max(0, out[i]) + Math.round(Double.parseDouble(m.group(2)));
    }
    return out;
  }

  private static long delta(Map<String, Long> after, Map<String, Long> before, String name) {
    return after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L);
  }

  private static String rate(long flowsPerSecond) {
    return flowsPerSecond == 0 ? "full speed" : flowsPerSecond + " flows/s";
  }

  /** Datagrams the collector dropped itself on both UDP inputs (Kafka refused them). */
  private static long appDrops(NetflowServer netflow) {
    return UDP_INPUTS.stream().mapToLong(i -> netflow.metrics().dropped(i)).sum();
  }

  /** Datagrams received on both UDP inputs. */
  private static long received(NetflowServer netflow) {
    return UDP_INPUTS.stream().mapToLong(i -> netflow.metrics().received(i)).sum();
  }

  /** The kernel's drops on both UDP ports, empty where /proc/net/udp cannot be read. */
  private static OptionalLong kernelDrops(NetflowServer netflow) {
    long sum = 0;
    for (NetflowInput input : UDP_INPUTS) {
      OptionalLong d = netflow.kernelUdpDrops(input);
      if (d.isEmpty()) {
        return OptionalLong.empty();
      }
      sum += d.getAsLong();
    }
    return OptionalLong.of(sum);
  }

  /** A replay's summary, what the watch at the far end saw, and from when. */
  private record Measured(NetflowReplay.Summary sent, ArrivalWatch.Outcome arrived, long start) {
    double seconds() {
      return (arrived.lastRiseNanos() - start) / 1e9;
    }
  }

  /**
   * Replays {@code load} on its own thread while {@code watch} polls the far end, until it has
   * counted what the replay sent or nothing came for {@code quiet} after the replay finished.
   *
   * @param done completed with the replay's summary, for other watches of the same run
   */
  private Measured measure(
      NetflowReplay replay,
      NetflowReplay.Target target,
      NetflowReplay.Load load,
      ArrivalWatch watch,
      ToLongFunction<NetflowReplay.Summary> expected,
      Duration quiet,
      long start,
      CompletableFuture<NetflowReplay.Summary> done)
      throws Exception {
    long baseline = watch.baseline();
    CompletableFuture.runAsync(
        () -> {
          try {
            done.complete(replay.run(target, load));
          } catch (IOException | RuntimeException e) {
            done.completeExceptionally(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
          }
        },
        threads);
    ArrivalWatch.Outcome outcome =
        watch.await(baseline, start, done::isDone, () -> expected(done, expected), quiet);
    NetflowReplay.Summary summary = join(done);
    if (outcome.failedPolls() > 0) {
      progress.printf(Locale.ROOT, "note: %d polls of the count failed%n", outcome.failedPolls());
    }
    return new Measured(summary, outcome, start);
  }

  /** What the watch expects: unknown ({@link Long#MAX_VALUE}) until the replay is done. */
  private static long expected(
      CompletableFuture<NetflowReplay.Summary> sender, ToLongFunction<NetflowReplay.Summary> what) {
    return sender.isDone() && !sender.isCompletedExceptionally()
        ? what.applyAsLong(sender.join())
        : Long.MAX_VALUE;
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
