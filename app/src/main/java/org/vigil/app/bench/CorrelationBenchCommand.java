package org.vigil.app.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil bench correlation}: the rule stage's rate and alert latency. */
@Command(
    name = "correlation",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measure correlation. Everything measured is started here, on free ports on",
      "127.0.0.1.",
      "",
      "Phase stage: --events generated logins from --group-keys source addresses (one",
      "in a hundred hot, sending 30 %% of the events) through the job's rule stage",
      "(routing, the rules, alert suppression) in a Flink MiniCluster in this process,",
      "with --rules generated rules deployed as a release (thresholds, distinct",
      "counts, sequences; each event meets about two). 'evaluations' counts events",
      "routed to a rule. The clock runs from the first event to the end of the job,",
      "state cleanup included; compiling the rules (once per deploy in a running job)",
      "comes before it and is shown on its own, as is a warm-up of --warmup-events",
      "events in the same job, whose windows are closed and cleaned up before the",
      "clock starts: the measured events meet empty state and a stage the JIT has",
      "compiled, as in a job that has been running. CPU by thread is printed too.",
      "",
      "Phase latency: the whole all-in-one with the same rules deployed beside the",
      "shipped ones; after --warmup-lines at the same rate, --lines sshd lines with",
      "brute-force bursts at --line-rate over TCP. Latency per burst: from its last",
      "line handed to the socket to its alert found by a search (polled every 200 ms,",
      "so up to 200 ms of it is the poll).",
      "",
      "Goals of issue 6, shown, never asserted: >= 50,000 events/s through correlation",
      "on 2 cores; alert latency p99 <= 1 s."
    })
public final class CorrelationBenchCommand implements Callable<Integer> {
  @Option(
      names = "--phases",
      paramLabel = "LIST",
      defaultValue = "stage,latency",
      description = "Phases to run, comma-separated: stage, latency (default: ${DEFAULT-VALUE}).")
  String phases;

  @Option(
      names = "--rules",
      paramLabel = "N",
      defaultValue = "50",
      description = "Generated rules loaded (default: ${DEFAULT-VALUE}).")
  int rules;

  @Option(
      names = "--group-keys",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Distinct source addresses in the stage's load (default: ${DEFAULT-VALUE}).")
  int groupKeys;

  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "300000",
      description =
          "Events through the rule stage (default: ${DEFAULT-VALUE}). At the default event rate"
              + " nothing leaves the 10-minute windows during the run, so the stage holds every"
              + " event: 1,000,000 needs more than a 3 GB heap (VIGIL_JAVA_OPTS=-Xmx...).")
  long events;

  @Option(
      names = "--warmup-events",
      paramLabel = "N",
      defaultValue = "300000",
      description =
          "Events through the rule stage before the measured ones, in the same job, their"
              + " windows closed before the clock starts, so the JIT has compiled the stage and"
              + " the rules' classes as in a running job; 0 measures a cold start (default:"
              + " ${DEFAULT-VALUE}).")
  long warmupEvents;

  @Option(
      names = "--event-rate",
      paramLabel = "N",
      defaultValue = "20000",
      description =
          "The stage load's rate in event time, events per second; it sets how full the"
              + " windows are, not how fast events are sent (default: ${DEFAULT-VALUE}).")
  int eventRate;

  @Option(
      names = "--cached-sessions",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Live Drools sessions per subtask (default: ${DEFAULT-VALUE}).")
  int cachedSessions;

  @Option(
      names = "--warmup-lines",
      paramLabel = "N",
      defaultValue = "120000",
      description =
          "sshd lines sent in the latency phase before it measures, at --line-rate: until the"
              + " JIT compilers of Vigil and Elasticsearch have settled (default: ${DEFAULT-VALUE}).")
  int warmupLines;

  @Option(
      names = "--lines",
      paramLabel = "N",
      defaultValue = "60000",
      description = "sshd lines sent in the latency phase (default: ${DEFAULT-VALUE}).")
  int lines;

  @Option(
      names = "--line-rate",
      paramLabel = "N",
      defaultValue = "2000",
      description = "Lines per second in the latency phase (default: ${DEFAULT-VALUE}).")
  int lineRate;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      defaultValue = "2",
      description = "Parallelism of the rule stage and the job (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--elasticsearch-heap",
      paramLabel = "SIZE",
      defaultValue = "1g",
      description = "Elasticsearch's JVM heap (default: ${DEFAULT-VALUE}).")
  String elasticsearchHeap;

  @Mixin BenchRunOptions run;

  /** The plan the options describe. */
  CorrelationBenchPlan plan() {
    return run.plan(
        () ->
            new CorrelationBenchPlan(
                CorrelationBenchPlan.Phase.parseList(phases),
                rules,
                groupKeys,
                events,
                warmupEvents,
                eventRate,
                parallelism,
                cachedSessions,
                warmupLines,
                lines,
                lineRate,
                elasticsearchHeap,
                run.dataDir(),
                run.keep()));
  }

  @Override
  public Integer call() throws Exception {
    run.print(new CorrelationBenchRun(plan(), System.err).run(), System.out);
    return 0;
  }
}
