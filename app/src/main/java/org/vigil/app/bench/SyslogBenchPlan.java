package org.vigil.app.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What one {@code vigil bench syslog} run measures, checked up front so that a bad option fails
 * before anything starts.
 *
 * @param phases which phases run
 * @param tcpCount messages loggen sends over TCP to the collector alone
 * @param warmup messages sent before measuring, to the collector alone and to each end-to-end
 *     system, to get past JIT compilation
 * @param udpRate datagrams per second for the UDP run
 * @param udpSeconds how long the UDP run sends
 * @param udpReceiveBufferBytes the receive buffer the collector's UDP socket asks the kernel for
 * @param e2eCount sshd lines sent end to end (and to rsyslog with the same load)
 * @param peer the yardstick to run after Vigil end to end, or {@link Peer#NONE}
 * @param connections parallel TCP connections loggen opens to the collector alone; the end-to-end
 *     systems get their sshd lines in order over one
 * @param parallelism the correlation job's parallelism in the end-to-end phase
 * @param elasticsearchHeap Elasticsearch's heap in the end-to-end phase
 * @param quiet how long to wait for more arrivals after the sender finished
 * @param dataDir where everything runs, or null for a new temporary folder
 * @param keep keep the data folder afterwards
 */
public record SyslogBenchPlan(
    Set<Phase> phases,
    long tcpCount,
    long warmup,
    long udpRate,
    int udpSeconds,
    int udpReceiveBufferBytes,
    int e2eCount,
    Peer peer,
    int connections,
    int parallelism,
    String elasticsearchHeap,
    Duration quiet,
    Path dataDir,
    boolean keep) {

  /** The parts of the benchmark. */
  public enum Phase {
    /** Kafka and the collector alone: TCP and UDP rates into Kafka. */
    COLLECTOR,
    /** The whole system: parsed, normalised and correlated events into Elasticsearch. */
    E2E;

    /** Reads a comma-separated list such as {@code collector,e2e}. */
    public static Set<Phase> parseList(String text) {
      return BenchPlanChecks.phases(text, Phase.class, "collector, e2e or both");
    }
  }

  /** The system measured beside Vigil with the same load. */
  public enum Peer {
    NONE,
    RSYSLOG;

    public static Peer parse(String text) {
      return switch (text == null ? "" : text.strip().toLowerCase(Locale.ROOT)) {
        case "none", "" -> NONE;
        case "rsyslog" -> RSYSLOG;
        default ->
            throw new IllegalArgumentException("unknown peer '" + text + "': expected rsyslog");
      };
    }
  }

  public SyslogBenchPlan {
    Objects.requireNonNull(phases, "phases");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(quiet, "quiet");
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("--phases needs at least one of: collector, e2e");
    }
    phases = Set.copyOf(phases);
    if (tcpCount < 1) {
      throw new IllegalArgumentException("--count must be at least 1, got " + tcpCount);
    }
    BenchPlanChecks.warmup(warmup);
    if (udpRate < 0) {
      throw new IllegalArgumentException(
          "--udp-rate must be 0 (no UDP run) or more, got " + udpRate);
    }
    if (udpRate > 0 && udpSeconds < 1) {
      throw new IllegalArgumentException("--duration must be at least 1 second, got " + udpSeconds);
    }
    if (udpReceiveBufferBytes < 1) {
      throw new IllegalArgumentException(
          "--udp-receive-buffer must be at least 1 byte, got " + udpReceiveBufferBytes);
    }
    if (e2eCount < 1) {
      throw new IllegalArgumentException("--e2e-count must be at least 1, got " + e2eCount);
    }
    if (peer != Peer.NONE && !phases.contains(Phase.E2E)) {
      throw new IllegalArgumentException(
          "--peer compares end-to-end rates: it needs the e2e phase (--phases e2e)");
    }
    if (connections < 1 || connections > 64) {
      throw new IllegalArgumentException("--connections must be 1-64, got " + connections);
    }
    if (tcpCount % connections != 0 || warmup % connections != 0) {
      throw new IllegalArgumentException(
          "--count ("
              + tcpCount
              + ") and --warmup ("
              + warmup
              + ") must be multiples of --connections ("
              + connections
              + "): loggen sends the same number on each connection");
    }
    BenchPlanChecks.system(parallelism, elasticsearchHeap);
    BenchPlanChecks.quiet(quiet);
  }

  boolean runs(Phase phase) {
    return phases.contains(phase);
  }
}
