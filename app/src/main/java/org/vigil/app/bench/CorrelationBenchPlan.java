package org.vigil.app.bench;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * What one {@code vigil bench correlation} run measures, checked up front so that a bad option
 * fails before anything starts.
 *
 * @param phases which phases run, in the order of {@link Phase}
 * @param rules generated rules loaded for the stage phase (and deployed in the latency phase)
 * @param groupKeys distinct source addresses of the stage phase's load
 * @param events events through the rule stage
 * @param warmupEvents events through the rule stage before the measured ones, in the same job
 * @param eventRate the load's rate in event time, events per second
 * @param parallelism the rule stage's (and the job's) parallelism
 * @param cachedSessions live Drools sessions per subtask
 * @param warmupLines sshd lines sent in the latency phase before it measures, at the same rate
 * @param lines sshd lines sent in the latency phase
 * @param lineRate their rate, lines per second
 * @param elasticsearchHeap Elasticsearch's heap for the latency phase
 * @param dataDir where everything runs, or null for a new temporary folder
 * @param keep keep the data folder afterwards
 */
public record CorrelationBenchPlan(
    Set<Phase> phases,
    int rules,
    int groupKeys,
    long events,
    long warmupEvents,
    int eventRate,
    int parallelism,
    int cachedSessions,
    int warmupLines,
    int lines,
    int lineRate,
    String elasticsearchHeap,
    Path dataDir,
    boolean keep) {

  /** The parts of the benchmark, run in this order. */
  public enum Phase {
    /** Generated events through routing, the rules and suppression, in this process. */
    STAGE,
    /** The whole all-in-one: alert latency under a steady syslog load. */
    LATENCY;

    /** A comma-separated list such as {@code stage,latency}. */
    public static Set<Phase> parseList(String list) {
      return BenchPlanChecks.phases(list, Phase.class, "stage, latency or both");
    }
  }

  public CorrelationBenchPlan {
    Objects.requireNonNull(phases, "phases");
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("--phases names no phase: give stage, latency or both");
    }
    phases = Set.copyOf(phases);
    BenchPlanChecks.system(parallelism, elasticsearchHeap);
    BenchPlanChecks.range("--rules", rules, 1, 1_000);
    BenchPlanChecks.range("--group-keys", groupKeys, 100, 16_000_000);
    BenchPlanChecks.range("--events", events, 1, 1_000_000_000L);
    BenchPlanChecks.range("--warmup-events", warmupEvents, 0, 1_000_000_000L);
    BenchPlanChecks.range("--event-rate", eventRate, 1, 10_000_000);
    BenchPlanChecks.range("--cached-sessions", cachedSessions, 1, 10_000_000);
    BenchPlanChecks.range("--warmup-lines", warmupLines, 0, 100_000_000);
    BenchPlanChecks.range("--lines", lines, 1, 100_000_000);
    BenchPlanChecks.range("--line-rate", lineRate, 1, 1_000_000);
  }

  boolean runs(Phase phase) {
    return phases.contains(phase);
  }
}
