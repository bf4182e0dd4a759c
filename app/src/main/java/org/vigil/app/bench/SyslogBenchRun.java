package org.vigil.app.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.CountRequest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import org.vigil.app.AllInOne;
import org.vigil.bench.ArrivalWatch;
import org.vigil.bench.ElasticsearchAlone;
import org.vigil.bench.Loggen;
import org.vigil.bench.SshdTraffic;
import org.vigil.bench.SyslogBench;
import org.vigil.bench.SyslogBenchReport;
import org.vigil.bench.ThroughputResult;
import org.vigil.collectors.syslog.SyslogServer;
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.elasticsearch.ElasticsearchSettings;

/**
 * Runs the phases of {@code vigil bench syslog} in order, each starting what it measures in the
 * run's data folder on free ports and stopping it afterwards:
 *
 * <ol>
 *   <li>collector: embedded Kafka and the collector only; loggen sends a warm-up, then {@code
 *       tcpCount} messages over TCP (rate: records reaching the raw topic over time), then UDP at a
 *       fixed rate for a fixed time (loss: sent by loggen against records in Kafka, with the
 *       collector's own and the kernel's drop counters);
 *   <li>e2e: the whole all-in-one; loggen sends {@code e2eCount} generated sshd lines with
 *       brute-force bursts over TCP (rate: this run's documents in the event indices over time);
 *   <li>peer: a private rsyslogd with omelasticsearch into its own index on the same Elasticsearch,
 *       the same lines by the same loggen (rate: documents in its index over time).
 * </ol>
 *
 * Each end-to-end system first gets {@code warmup} sshd lines and is measured once they are
 * indexed, so neither the job's start, the index creation nor the JIT compilers' first minutes
 * count as throughput. Every rate is counted where the data lands, from the start of sending to the
 * last observed rise of the count, so each end-to-end rate includes up to one index refresh (5 s
 * for Vigil's event indices, 1 s for rsyslog's).
 */
public final class SyslogBenchRun {
  private static final Duration KAFKA_POLL = Duration.ofMillis(50);

  /** Datagrams arrive within milliseconds once loggen stops; a lost one is not waited for. */
  private static final Duration UDP_WARMUP_QUIET = Duration.ofSeconds(2);

  private static final Duration ELASTICSEARCH_POLL = Duration.ofMillis(250);
  private static final int CPU_TOP = 12;

  private final SyslogBenchPlan plan;
  private final Loggen loggen;
  private final PrintStream progress;

  public SyslogBenchRun(SyslogBenchPlan plan, Loggen loggen, PrintStream progress) {
    this.plan = plan;
    this.loggen = loggen;
    this.progress = progress;
  }

  /** Runs every planned phase and returns the figures. */
  public SyslogBenchReport run() throws Exception {
    try (BenchFolder folder = BenchFolder.open(plan.dataDir(), plan.keep(), progress)) {
      ThroughputResult tcp = null;
      ThroughputResult udp = null;
      EndToEnd e2e = null;
      if (plan.runs(SyslogBenchPlan.Phase.COLLECTOR)) {
        try (CollectorOnlyStack<SyslogServer> stack =
            CollectorOnlyStack.syslog(
                folder.path().resolve("collector"), plan.udpReceiveBufferBytes())) {
          tcp = collectorTcp(stack);
          if (plan.udpRate() > 0) {
            udp = collectorUdp(stack);
          }
        }
      }
      if (plan.runs(SyslogBenchPlan.Phase.E2E)) {
        try {
          e2e = endToEnd(folder.enterable("e2e"));
        } catch (Exception | Error e) {
          // The collector's figures are not lost because Elasticsearch or rsyslog failed.
          if (tcp != null) {
            progress.println("e2e failed; the collector's figures:");
            progress.print(new SyslogBenchReport(tcp, udp, null, null).table());
          }
          throw e;
        }
      }
      return e2e == null
          ? new SyslogBenchReport(tcp, udp, null, null)
          : new SyslogBenchReport(tcp, udp, e2e.vigil(), e2e.rsyslog(), e2e.alone());
    }
  }

  private ThroughputResult collectorTcp(CollectorOnlyStack<SyslogServer> stack) throws Exception {
    int port = stack.collector().port();
    if (plan.warmup() > 0) {
      progress.printf(Locale.ROOT, "collector: warm-up, %d messages over TCP%n", plan.warmup());
      warmUpCollector(
          stack,
          Loggen.Load.tcp("127.0.0.1", port, plan.warmup()).withConnections(plan.connections()),
          senderTimeout(plan.warmup()),
          plan.quiet());
    }
    progress.printf(
        Locale.ROOT,
        "collector: %d messages over TCP to 127.0.0.1:%d (%d connection%s)%n",
        plan.tcpCount(),
        port,
        plan.connections(),
        plan.connections() == 1 ? "" : "s");
    Loggen.Load load =
        Loggen.Load.tcp("127.0.0.1", port, plan.tcpCount()).withConnections(plan.connections());
    Measured m = measure(load, stack::rawRecords, KAFKA_POLL, senderTimeout(plan.tcpCount()));
    return m.result("collector", "tcp", -1, -1);
  }

  private ThroughputResult collectorUdp(CollectorOnlyStack<SyslogServer> stack) throws Exception {
    int port = stack.collector().port();
    progress.print(
        CollectorOnlyStack.receiveBufferLine(
            plan.udpReceiveBufferBytes(), stack.collector().udpReceiveBufferBytes()));
    if (plan.warmup() > 0) {
      // The datagram path is compiled apart from the TCP one: without this, the JIT compiles it
      // during the measured seconds, and the reader falls behind while it does. The warm-up lasts
      // as long as --warmup messages take at --udp-rate, rounded up, within 2-10 s.
      int seconds = (int) Math.max(2, Math.min(10, -Math.floorDiv(-plan.warmup(), plan.udpRate())));
      progress.printf(
          Locale.ROOT, "collector: warm-up, %d msg/s over UDP for %d s%n", plan.udpRate(), seconds);
      warmUpCollector(
          stack,
          Loggen.Load.udp("127.0.0.1", port, plan.udpRate(), seconds),
          Duration.ofSeconds(seconds + 60L),
          UDP_WARMUP_QUIET);
    }
    progress.printf(
        Locale.ROOT,
        "collector: %d msg/s over UDP for %d s to 127.0.0.1:%d%n",
        plan.udpRate(),
        plan.udpSeconds(),
        port);
    long appDrops = stack.collector().metrics().udpDropped();
    OptionalLong kernelDrops = stack.collector().kernelUdpDrops();
    Loggen.Load load = Loggen.Load.udp("127.0.0.1", port, plan.udpRate(), plan.udpSeconds());
    Measured m =
        measure(load, stack::rawRecords, KAFKA_POLL, Duration.ofSeconds(plan.udpSeconds() + 60L));
    OptionalLong kernelAfter = stack.collector().kernelUdpDrops();
    return m.result(
        "collector",
        "udp",
        stack.collector().metrics().udpDropped() - appDrops,
        CollectorOnlyStack.dropsBetween(kernelDrops, kernelAfter));
  }

  /**
   * Sends the warm-up load to the collector alone and waits until Kafka holds it, or until nothing
   * more arrived for {@code quiet} after the sender finished (datagrams may be lost).
   */
  private void warmUpCollector(
      CollectorOnlyStack<SyslogServer> stack, Loggen.Load load, Duration timeout, Duration quiet)
      throws Exception {
    long before = stack.rawRecords();
    Loggen.Summary warm = loggen.run(load, timeout);
    ArrivalWatch.every(stack::rawRecords, KAFKA_POLL)
        .await(before, System.nanoTime(), () -> true, warm::count, quiet);
  }

  /** The end-to-end figures; rsyslog's is null when it did not run. */
  private record EndToEnd(
      ThroughputResult vigil, ElasticsearchAlone.Result alone, ThroughputResult rsyslog) {}

  private EndToEnd endToEnd(Path dir) throws Exception {
    String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    SshdTraffic traffic =
        new SshdTraffic(
            runId,
            plan.e2eCount(),
            ThreadLocalRandom.current().nextLong(),
            Clock.systemDefaultZone());
    Path lines = dir.resolve("sshd-" + runId + ".log");
    writeLines(traffic, lines);
    int warmupCount = (int) Math.min(plan.warmup(), Integer.MAX_VALUE);
    SshdTraffic warmupTraffic =
        warmupCount == 0
            ? null
            : new SshdTraffic(
                runId + "w",
                warmupCount,
                ThreadLocalRandom.current().nextLong(),
                Clock.systemDefaultZone());
    Path warmupLines = dir.resolve("warmup-" + runId + ".log");
    if (warmupTraffic != null) {
      writeLines(warmupTraffic, warmupLines);
    }
    progress.printf(
        Locale.ROOT,
        "e2e: starting Kafka, Elasticsearch, the correlation job (parallelism %d) and the"
            + " collector%n",
        plan.parallelism());
    AllInOne.Settings settings =
        new AllInOne.Settings(
            dir,
            "127.0.0.1",
            FreePorts.tcp(),
            FreePorts.tcp(),
            FreePorts.tcp(),
            FreePorts.tcp(),
            FreePorts.tcp(),
            FreePorts.tcp(),
            -1,
            plan.elasticsearchHeap(),
            plan.parallelism(),
            Duration.ofSeconds(10),
            null,
            null,
            -1,
            null,
            -1,
            -1);
    try (AllInOne system = AllInOne.start(settings);
        ElasticsearchClients es =
            ElasticsearchClients.create(
                ElasticsearchSettings.of(system.elasticsearchUrl())
                    .withRequestTimeout(Duration.ofSeconds(10)))) {
      ElasticsearchClient client = es.client();
      CountRequest vigilCount = SyslogBench.eventsCount(traffic.hostname());
      progress.printf(
          Locale.ROOT,
          "e2e: %d sshd lines (%d brute-force bursts) as host %s over TCP to Vigil%n",
          traffic.count(),
          traffic.burstSources().size(),
          traffic.hostname());
      if (warmupTraffic != null) {
        CountRequest warmupIndexed = SyslogBench.eventsCount(warmupTraffic.hostname());
        warmUp(
            "vigil",
            system.syslogPort(),
            warmupLines,
            warmupTraffic.count(),
            () -> client.count(warmupIndexed).count());
      }
      Loggen.Load toVigil =
          Loggen.Load.tcp("127.0.0.1", system.syslogPort(), traffic.count()).withFile(lines);
      Map<String, Long> children =
          Map.of(ElasticsearchAloneStep.ELASTICSEARCH, system.elasticsearchPid());
      ThreadCpuProfile cpu = ThreadCpuProfile.take(children);
      Measured vigil =
          measure(
              toVigil,
              () -> client.count(vigilCount).count(),
              ELASTICSEARCH_POLL,
              senderTimeout(traffic.count()));
      ThreadCpuProfile cpuAfter = ThreadCpuProfile.take(children);
      progress.print(cpuAfter.since(cpu, CPU_TOP));
      ThroughputResult vigilResult = vigil.result("vigil e2e", "tcp", -1, -1);
      progress.print(cpuAfter.perItem(cpu, vigilResult.received(), "indexed document"));
      progress.printf(Locale.ROOT, "e2e: vigil %.0f msg/s%n", vigilResult.rate());
      ElasticsearchAlone.Result alone =
          ElasticsearchAloneStep.run(es, vigilCount, vigilResult.received(), children, progress);
      if (plan.peer() != SyslogBenchPlan.Peer.RSYSLOG) {
        return new EndToEnd(vigilResult, alone, null);
      }
      String index = "rsyslog-bench-" + runId;
      try (RsyslogPeer peer =
          RsyslogPeer.start(
              dir.resolve("rsyslog"),
              system.elasticsearchUrl().getHost(),
              system.elasticsearchUrl().getPort(),
              index)) {
        progress.printf(
            Locale.ROOT,
            "e2e: the same %d lines over TCP to rsyslog (omelasticsearch, bulk) into index %s%n",
            traffic.count(),
            index);
        CountRequest rsyslogCount =
            CountRequest.of(c -> c.index(index).ignoreUnavailable(true).allowNoIndices(true));
        if (warmupTraffic != null) {
          warmUp(
              "rsyslog",
              peer.port(),
              warmupLines,
              warmupTraffic.count(),
              () -> client.count(rsyslogCount).count());
        }
        Loggen.Load toRsyslog =
            Loggen.Load.tcp("127.0.0.1", peer.port(), traffic.count()).withFile(lines);
        // The yardstick's CPU per document beside Vigil's: on two shared cores it says whether
        // Elasticsearch alone costs more per Vigil document than rsyslog does in all.
        Map<String, Long> withPeer =
            Map.of(
                ElasticsearchAloneStep.ELASTICSEARCH,
                system.elasticsearchPid(),
                "rsyslogd",
                peer.pid());
        ThreadCpuProfile peerCpu = ThreadCpuProfile.take(withPeer);
        Measured rsyslog =
            measure(
                toRsyslog,
                () -> client.count(rsyslogCount).count(),
                ELASTICSEARCH_POLL,
                senderTimeout(traffic.count()));
        ThreadCpuProfile peerCpuAfter = ThreadCpuProfile.take(withPeer);
        progress.print(peerCpuAfter.since(peerCpu, CPU_TOP));
        ThroughputResult rsyslogResult = rsyslog.result("rsyslog e2e", "tcp", -1, -1);
        progress.print(peerCpuAfter.perItem(peerCpu, rsyslogResult.received(), "indexed document"));
        if (rsyslogResult.received() == 0) {
          progress.println(
              "warning: rsyslog indexed nothing; see " + peer.output() + " and its error file");
        }
        return new EndToEnd(vigilResult, alone, rsyslogResult);
      }
    }
  }

  /**
   * Sends the warm-up lines through a freshly started system and waits until they are indexed, so
   * the measured run finds the job's operators compiled and running, the index created and the JIT
   * compilers of both JVMs mostly done: start-up is not throughput, for Vigil or rsyslog. With a
   * warm-up of 2,000 lines, compiling took a quarter of the 2 cores through the whole measured run.
   */
  private void warmUp(String system, int port, Path lines, int count, ArrivalWatch.Count indexed)
      throws Exception {
    progress.printf(
        Locale.ROOT, "e2e: warm-up, %d lines to %s, waiting until indexed%n", count, system);
    ArrivalWatch watch = ArrivalWatch.every(indexed, ELASTICSEARCH_POLL);
    long before = watch.baseline();
    loggen.run(Loggen.Load.tcp("127.0.0.1", port, count).withFile(lines), senderTimeout(count));
    ArrivalWatch.Outcome warm =
        watch.await(before, System.nanoTime(), () -> true, () -> count, senderTimeout(count));
    if (!warm.complete()) {
      progress.printf(
          Locale.ROOT,
          "warning: only %d of %d warm-up lines indexed by %s%n",
          warm.arrived(),
          count,
          system);
    }
  }

  /** Generous: the slowest rate worth measuring is 1,000 msg/s. */
  private static Duration senderTimeout(long messages) {
    return Duration.ofSeconds(120 + messages / 1_000);
  }

  private static void writeLines(SshdTraffic traffic, Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < traffic.count(); i++) {
        out.write(traffic.line(i));
        out.write('\n');
      }
    }
  }

  /** A sender's summary and what the watch at the far end saw. */
  private record Measured(Loggen.Summary sent, ArrivalWatch.Outcome arrived, long startNanos) {
    ThroughputResult result(String name, String transport, long appDrops, long kernelDrops) {
      return new ThroughputResult(
          name,
          transport,
          sent.count(),
          arrived.arrived(),
          (arrived.lastRiseNanos() - startNanos) / 1e9,
          sent.rate(),
          appDrops,
          kernelDrops,
          arrived.complete());
    }
  }

  private Measured measure(
      Loggen.Load load, ArrivalWatch.Count count, Duration poll, Duration senderTimeout)
      throws Exception {
    ArrivalWatch watch = ArrivalWatch.every(count, poll);
    long baseline = watch.baseline();
    long start = System.nanoTime();
    CompletableFuture<Loggen.Summary> sender =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return loggen.run(load, senderTimeout);
              } catch (IOException e) {
                throw new CompletionException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
              }
            });
    ArrivalWatch.Outcome outcome =
        watch.await(
            baseline,
            start,
            sender::isDone,
            () ->
                sender.isDone() && !sender.isCompletedExceptionally()
                    ? sender.join().count()
                    : Long.MAX_VALUE,
            plan.quiet());
    Loggen.Summary summary;
    try {
      summary = sender.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
    if (outcome.failedPolls() > 0) {
      progress.printf(Locale.ROOT, "note: %d polls of the count failed%n", outcome.failedPolls());
    }
    return new Measured(summary, outcome, start);
  }
}
