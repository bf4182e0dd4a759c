package org.vigil.app.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What one {@code vigil bench netflow} run measures, checked up front so that a bad option fails
 * before anything starts.
 *
 * @param phases which phases run
 * @param captures the folder of recorded datagrams (testdata/netflow/logstash-codec-netflow)
 * @param flows flows sent to the collector alone (ignored when {@code duration} is set)
 * @param duration how long the collector phase sends instead of a number of flows, zero for none
 * @param rate flows per second sent to the collector, 0 for as fast as possible
 * @param warmup flows sent to the collector before it is measured
 * @param e2eFlows flows sent end to end
 * @param e2eRate flows per second sent end to end, 0 for as fast as possible
 * @param e2eWarmup flows sent end to end and waited for until indexed before the measured replay
 * @param exporters simulated exporters, each with its own domain and socket
 * @param templateInterval data datagrams per exporter between template refreshes
 * @param parallelism the correlation job's parallelism end to end
 * @param elasticsearchHeap Elasticsearch's heap end to end
 * @param quiet how long to wait for more arrivals after the sender finished
 * @param forkJmh measure the decoder in a forked JVM (JMH's way) rather than in this one
 * @param dataDir where everything runs, or null for a new temporary folder
 * @param keep keep the data folder afterwards
 */
public record NetflowBenchPlan(
    Set<Phase> phases,
    Path captures,
    long flows,
    Duration duration,
    long rate,
    long warmup,
    long e2eFlows,
    long e2eRate,
    long e2eWarmup,
    int exporters,
    int templateInterval,
    int parallelism,
    String elasticsearchHeap,
    Duration quiet,
    boolean forkJmh,
    Path dataDir,
    boolean keep) {

  /** The parts of the benchmark, run in this order. */
  public enum Phase {
    /** Kafka and the NetFlow collector alone: datagrams and flows into Kafka. */
    COLLECTOR,
    /** The whole system: flows decoded by the job and indexed in Elasticsearch. */
    E2E,
    /** The decoder alone under JMH. */
    JMH;

    /** Reads a comma-separated list such as {@code collector,e2e,jmh}. */
    public static Set<Phase> parseList(String text) {
      return BenchPlanChecks.phases(text, Phase.class, "collector, e2e, jmh");
    }
  }

  public NetflowBenchPlan {
    Objects.requireNonNull(phases, "phases");
    Objects.requireNonNull(captures, "captures");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(quiet, "quiet");
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("no phase left to run (--phases, --skip-jmh)");
    }
    phases = Set.copyOf(phases);
    if (!Files.isDirectory(captures)) {
      throw new IllegalArgumentException(
          "--captures: no folder "
              + captures
              + " (the repository's testdata/netflow/logstash-codec-netflow)");
    }
    if (flows < 1 && duration.isZero()) {
      throw new IllegalArgumentException("--flows must be at least 1, got " + flows);
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException("--duration must not be negative, got " + duration);
    }
    if (rate < 0 || e2eRate < 0) {
      throw new IllegalArgumentException("--rate and --e2e-rate must be 0 (no pacing) or more");
    }
    BenchPlanChecks.warmup(warmup);
    if (e2eWarmup < 1) {
      throw new IllegalArgumentException(
          "--e2e-warmup must be at least 1 (the measured replay needs the exporters' templates"
              + " learned and the job's counters known), got "
              + e2eWarmup);
    }
    if (e2eFlows < 1) {
      throw new IllegalArgumentException("--e2e-flows must be at least 1, got " + e2eFlows);
    }
    if (exporters < 1 || exporters > 10_000) {
      throw new IllegalArgumentException("--exporters must be 1-10000, got " + exporters);
    }
    if (templateInterval < 0) {
      throw new IllegalArgumentException(
          "--template-interval must be 0 (only at the start) or more, got " + templateInterval);
    }
    BenchPlanChecks.system(parallelism, elasticsearchHeap);
    BenchPlanChecks.quiet(quiet);
  }

  boolean runs(Phase phase) {
    return phases.contains(phase);
  }

  /**
   * The captures folder when none is given: the repository's, seen from the working folder or its
   * parent (a module folder), or null when neither has it.
   */
  static Path defaultCaptures() {
    for (String p :
        new String[] {
          "testdata/netflow/logstash-codec-netflow", "../testdata/netflow/logstash-codec-netflow"
        }) {
      if (Files.isDirectory(Path.of(p))) {
        return Path.of(p);
      }
    }
    return null;
  }
}
