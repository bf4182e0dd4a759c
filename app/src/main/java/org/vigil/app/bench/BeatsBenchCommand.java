package org.vigil.app.bench;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil bench beats}: concurrent Lumberjack v2 clients into Kafka and Elasticsearch. */
@Command(
    name = "beats",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measure the Beats (Lumberjack v2) input: --clients concurrent ACK-aware",
      "clients, as Filebeats, each on its own connection, send --events file-line",
      "events in compressed windows of --window events, each waiting for the ACK of",
      "its window (or keeping --in-flight windows outstanding) before sending more.",
      "Windows are built before the clock starts. Everything measured is started here",
      "in a temporary data folder on free ports on 127.0.0.1. 'acked' counts events",
      "acknowledged; Vigil acknowledges a window only once Kafka has all of it",
      "(acks=all), so this is the rate into Kafka.",
      "",
      "Phase collector: embedded Kafka and the Beats collector only, nothing reading;",
      "a warm-up of --warmup events, then --events events. Kafka's end offsets must",
      "have grown by exactly the events sent.",
      "",
      "Phase e2e: the whole all-in-one. A warm-up (--warmup events, waited for until",
      "indexed), then --events events; 'indexed' counts the run's documents in",
      "vigil-events-* (polled every 250 ms, includes up to one index refresh) from the",
      "first send, so the job and Elasticsearch share the cores with the collector.",
      "",
      "After each phase the CPU used per thread group (and by Elasticsearch) is",
      "printed, busiest first. Goals of issue 5, shown, never asserted: >= 100,000",
      "events/s into Kafka; >= 40,000 events/s indexed."
    })
public final class BeatsBenchCommand implements Callable<Integer> {
  @Option(
      names = "--phases",
      paramLabel = "LIST",
      defaultValue = "collector,e2e",
      description = "Phases to run, comma-separated: collector, e2e (default: ${DEFAULT-VALUE}).")
  String phases;

  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "1000000",
      description = "Events sent in the measured run (default: ${DEFAULT-VALUE}).")
  long events;

  @Option(
      names = "--clients",
      paramLabel = "N",
      defaultValue = "4",
      description = "Concurrent Beats clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--window",
      paramLabel = "EVENTS",
      defaultValue = "2048",
      description = "Events per window, Filebeat's bulk_max_size (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--in-flight",
      paramLabel = "WINDOWS",
      defaultValue = "1",
      description =
          "Windows a client sends before it waits for an ACK; 1 is Filebeat's pipelining: 0,"
              + " 2 its default (default: ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      defaultValue = "600000",
      description =
          "Events sent and indexed before measuring, so the JIT compilers of Vigil and"
              + " Elasticsearch are mostly done (default: ${DEFAULT-VALUE}).")
  long warmup;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      defaultValue = "2",
      description = "Parallelism of the correlation job (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--elasticsearch-heap",
      paramLabel = "SIZE",
      defaultValue = "1g",
      description = "Elasticsearch's JVM heap (default: ${DEFAULT-VALUE}).")
  String elasticsearchHeap;

  @Option(
      names = "--quiet",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "Stop waiting for documents when none came for this long after the last ACK"
              + " (default: ${DEFAULT-VALUE}).")
  long quietSeconds;

  @Mixin BenchRunOptions run;

  /** The plan the options describe. */
  BeatsBenchPlan plan() {
    return run.plan(
        () ->
            new BeatsBenchPlan(
                BeatsBenchPlan.Phase.parseList(phases),
                events,
                clients,
                window,
                inFlight,
                warmup,
                parallelism,
                elasticsearchHeap,
                Duration.ofSeconds(quietSeconds),
                run.dataDir(),
                run.keep()));
  }

  @Override
  public Integer call() throws Exception {
    run.print(new BeatsBenchRun(plan(), System.err).run(), System.out);
    return 0;
  }
}
