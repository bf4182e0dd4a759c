package org.vigil.app.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.vigil.bench.beats.BeatsLoad;
import org.vigil.collectors.beats.LumberjackLimits;

/**
 * What one {@code vigil bench beats} run measures, checked up front so that a bad option fails
 * before anything starts.
 *
 * @param phases which phases run, in the order of {@link Phase}
 * @param events events sent in each measured run
 * @param clients concurrent Beats connections
 * @param window events per window
 * @param inFlight windows a client sends before waiting for an ACK (1: Filebeat's pipelining 0)
 * @param warmup events sent, and waited for until indexed, before measuring; 0 for none
 * @param parallelism the correlation job's parallelism
 * @param elasticsearchHeap Elasticsearch's heap
 * @param quiet how long to wait for more documents after the last ACK
 * @param dataDir where everything runs, or null for a new temporary folder
 * @param keep keep the data folder afterwards
 */
public record BeatsBenchPlan(
    Set<Phase> phases,
    long events,
    int clients,
    int window,
    int inFlight,
    long warmup,
    int parallelism,
    String elasticsearchHeap,
    Duration quiet,
    Path dataDir,
    boolean keep) {

  /** The parts of the benchmark, run in this order. */
  public enum Phase {
    /** Kafka and the Beats collector alone: events acknowledged, so in Kafka. */
    COLLECTOR,
    /** The whole all-in-one: events acknowledged and indexed. */
    E2E;

    /** A comma-separated list such as {@code collector,e2e}. */
    public static Set<Phase> parseList(String list) {
      Set<Phase> out = EnumSet.noneOf(Phase.class);
      for (String name : list.split(",")) {
        String n = name.strip();
        if (n.isEmpty()) {
          continue;
        }
        try {
          out.add(valueOf(n.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "--phases takes collector and e2e, comma-separated: " + name);
        }
      }
      return out;
    }
  }

  public BeatsBenchPlan {
    Objects.requireNonNull(phases, "phases");
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("--phases names no phase: give collector, e2e or both");
    }
    phases = Set.copyOf(phases);
    Objects.requireNonNull(elasticsearchHeap, "elasticsearchHeap");
    Objects.requireNonNull(quiet, "quiet");
    if (events < 1 || events > BeatsLoad.MAX_EVENTS) {
      throw new IllegalArgumentException(
          "--events must be between 1 and " + BeatsLoad.MAX_EVENTS + ": " + events);
    }
    if (clients < 1 || clients > 1024) {
      throw new IllegalArgumentException("--clients must be between 1 and 1024: " + clients);
    }
    if (window < 1 || window > LumberjackLimits.DEFAULT_MAX_WINDOW_SIZE) {
      throw new IllegalArgumentException(
          "--window must be between 1 and "
              + LumberjackLimits.DEFAULT_MAX_WINDOW_SIZE
              + " (the collector's limit): "
              + window);
    }
    if (inFlight < 1 || inFlight > 64) {
      throw new IllegalArgumentException("--in-flight must be between 1 and 64: " + inFlight);
    }
    if (warmup < 0 || warmup > BeatsLoad.MAX_EVENTS) {
      throw new IllegalArgumentException(
          "--warmup must be between 0 and " + BeatsLoad.MAX_EVENTS + ": " + warmup);
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("--parallelism must be at least 1: " + parallelism);
    }
    if (!elasticsearchHeap.matches("[0-9]+[kKmMgG]?")) {
      throw new IllegalArgumentException(
          "--elasticsearch-heap must be a size such as 512m or 1g: " + elasticsearchHeap);
    }
    if (quiet.isNegative() || quiet.isZero()) {
      throw new IllegalArgumentException("--quiet must be positive: " + quiet);
    }
  }

  public boolean runs(Phase phase) {
    return phases.contains(phase);
  }
}
