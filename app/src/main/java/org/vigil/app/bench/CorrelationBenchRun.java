package org.vigil.app.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.vigil.app.AllInOne;
import org.vigil.bench.HostPort;
import org.vigil.bench.SyslogBench;
import org.vigil.bench.correlation.BenchRulePack;
import org.vigil.bench.correlation.CorrelationBenchReport;
import org.vigil.rules.engine.RuleRelease;
import org.vigil.rules.release.RuleReleasePublisher;

/**
 * Runs the phases of {@code vigil bench correlation} in order:
 *
 * <ol>
 *   <li>stage: {@link RuleStageBench}, the rule stage alone in this process;
 *   <li>latency: the whole all-in-one on free ports with the bench's rules deployed beside the
 *       shipped ones (as ruleset {@code bench}, through the rules topic), and {@link SyslogBench}
 *       sending sshd lines with brute-force bursts at a steady rate over TCP: each burst's latency
 *       runs from handing its last line to the socket until a search finds its alert.
 * </ol>
 */
public final class CorrelationBenchRun {
  private final CorrelationBenchPlan plan;
  private final PrintStream progress;

  public CorrelationBenchRun(CorrelationBenchPlan plan, PrintStream progress) {
    this.plan = plan;
    this.progress = progress;
  }

  /** Runs every planned phase and returns the figures. */
  public CorrelationBenchReport run() throws Exception {
    CorrelationBenchReport.Stage stage = null;
    CorrelationBenchReport.Latency latency = null;
    if (plan.runs(CorrelationBenchPlan.Phase.STAGE)) {
      progress.printf(
          Locale.ROOT,
          "stage: %d events over %,d group keys through %d rules at parallelism %d%n",
          plan.events(),
          plan.groupKeys(),
          plan.rules(),
          plan.parallelism());
      stage = RuleStageBench.run(plan, progress);
      progress.printf(Locale.ROOT, "stage: %.0f events/s%n", stage.eventsPerSecond());
    }
    if (plan.runs(CorrelationBenchPlan.Phase.LATENCY)) {
      try (BenchFolder folder = BenchFolder.open(plan.dataDir(), plan.keep(), progress)) {
        latency = latency(folder.enterable("latency"));
      } catch (Exception | Error e) {
        if (stage != null) {
          progress.println("latency failed; the stage's figures:");
          progress.print(new CorrelationBenchReport(stage, null).table());
        }
        throw e;
      }
    }
    return new CorrelationBenchReport(stage, latency);
  }

  private SyslogBench sshdLines(AllInOne system, int lines) {
    return new SyslogBench(
        new SyslogBench.Options(
            new HostPort("127.0.0.1", system.syslogPort()),
            system.elasticsearchUrl(),
            lines,
            plan.lineRate(),
            true,
            Duration.ofSeconds(120)));
  }

  private CorrelationBenchReport.Latency latency(Path dir) throws Exception {
    progress.printf(
        Locale.ROOT,
        "latency: starting Kafka, Elasticsearch, the correlation job (parallelism %d) and the"
            + " collector%n",
        plan.parallelism());
    try (AllInOne system =
        AllInOne.start(FreePorts.allInOne(dir, plan.elasticsearchHeap(), plan.parallelism()))) {
      RuleRelease release =
          RuleRelease.of(
              BenchRulePack.RULESET,
              1,
              "vigil bench",
              Instant.now(),
              BenchRulePack.generate(plan.rules(), Math.max(1, plan.rules() / 2)));
      new RuleReleasePublisher(system.kafkaBootstrap(), Duration.ofSeconds(30)).publish(release);
      progress.printf(
          Locale.ROOT,
          "latency: deployed %d bench rules beside the shipped ones; warm-up of %d sshd lines,"
              + " then %d at %d/s%n",
          plan.rules(),
          plan.warmupLines(),
          plan.lines(),
          plan.lineRate());
      // A job just started compiles each rule's knowledge base on the rule's first event and runs
      // cold code, and for its first minutes under load the JIT compilers of Vigil and
      // Elasticsearch took a quarter of the 2 cores: the backlog of that start is not the latency
      // of a running system.
      if (plan.warmupLines() > 0) {
        sshdLines(system, plan.warmupLines()).run(progress);
      }
      SyslogBench.Result result = sshdLines(system, plan.lines()).run(progress);
      progress.print(result.report());
      return new CorrelationBenchReport.Latency(
          plan.lineRate(),
          result.bursts(),
          result.alerted(),
          result.latencyMillis(),
          SyslogBench.POLL_INTERVAL.toMillis());
    }
  }
}
