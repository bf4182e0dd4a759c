package org.vigil.bench.correlation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.vigil.bench.BenchReport;

/**
 * The figures of {@code vigil bench correlation}: events per second through the rule stage with the
 * bench's rules loaded, and the latency of alerts from their last evidence to the alert being
 * searchable in the whole all-in-one, each beside its goal from issue 6.
 *
 * @param stage the rule stage alone; null when not run
 * @param latency the whole system; null when not run
 */
public record CorrelationBenchReport(Stage stage, Latency latency) implements BenchReport {

  /** Issue 6: at least this many events/s through correlation on two cores. */
  public static final double STAGE_GOAL = 50_000;

  /** Issue 6: alert latency p99 at most this many milliseconds. */
  public static final long LATENCY_P99_GOAL_MILLIS = 1_000;

  /**
   * The rule stage measured alone: generated events through routing, the rules and suppression.
   *
   * @param rules rules loaded
   * @param groupKeys distinct source addresses in the load
   * @param parallelism the stage's parallelism
   * @param events events into the stage
   * @param evaluations events routed to a rule: each is one evaluation of that rule's group
   * @param findings rule matches (before suppression)
   * @param alerts alert updates leaving suppression
   * @param seconds from the first event into the stage to the last one out of it
   * @param cpuSeconds CPU time the whole process used in that span (every thread, the generator's
   *     too): events per CPU-second stay comparable between runs on a machine shared with other
   *     work, where wall-clock events/s do not
   * @param compileSeconds compiling the rules before the clock started: the release, each rule's
   *     own knowledge base and the shipped pack, which a running job compiles once per deploy
   * @param warmupEvents events through the stage before the measured ones, in the same job, so that
   *     the JIT has compiled the stage and the rules as in a running job; 0 for a cold start
   * @param warmupSeconds how long they took, with the cleanup of their state, not in the figures
   */
  public record Stage(
      int rules,
      int groupKeys,
      int parallelism,
      long events,
      long evaluations,
      long findings,
      long alerts,
      double seconds,
      double cpuSeconds,
      double compileSeconds,
      long warmupEvents,
      double warmupSeconds) {
    public double eventsPerSecond() {
      return seconds <= 0 ? 0 : events / seconds;
    }

    public double eventsPerCpuSecond() {
      return cpuSeconds <= 0 ? 0 : events / cpuSeconds;
    }
  }

  /**
   * Alert latency in the whole system.
   *
   * @param backgroundRate benign lines per second sent beside the bursts
   * @param bursts brute-force bursts sent
   * @param alerted bursts whose alert was found
   * @param millis per alerted burst: from handing its last line to the socket until its alert was
   *     found by a search (polled every {@code pollMillis})
   * @param pollMillis how often the alerts were searched
   */
  public record Latency(
      int backgroundRate, int bursts, int alerted, Histogram millis, long pollMillis) {}

  public CorrelationBenchReport {
    if (stage == null && latency == null) {
      throw new IllegalArgumentException("a report needs at least one measured phase");
    }
  }

  @Override
  public String table() {
    StringBuilder sb = new StringBuilder();
    if (stage != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "rule stage: %d rules, %,d group keys, parallelism %d%n",
              stage.rules(),
              stage.groupKeys(),
              stage.parallelism()));
      sb.append(
          String.format(
              Locale.ROOT,
              "rules compiled before the clock started (once per deploy, not in the figures"
                  + " below): %.1f s%n",
              stage.compileSeconds()));
      sb.append(
          stage.warmupEvents() == 0
              ? String.format(Locale.ROOT, "no warm-up: a cold start, the JIT's work included%n")
              : String.format(
                  Locale.ROOT,
                  "warm-up (in the same job, its windows closed and cleaned up before the clock"
                      + " started; not in the figures below):"
                      + " %,d events in %.1f s%n",
                  stage.warmupEvents(),
                  stage.warmupSeconds()));
      sb.append(
          String.format(
              Locale.ROOT,
              "%12s %12s %10s %10s %8s %8s %12s %14s %12s %7s%n",
              "events",
              "evaluations",
              "findings",
              "alerts",
              "seconds",
              "cpu s",
              "events/s",
              "events/cpu-s",
              "goal",
              "verdict"));
      sb.append(
          String.format(
              Locale.ROOT,
              "%12d %12d %10d %10d %8.2f %8.2f %,12.0f %,14.0f %,12.0f %7s%n",
              stage.events(),
              stage.evaluations(),
              stage.findings(),
              stage.alerts(),
              stage.seconds(),
              stage.cpuSeconds(),
              stage.eventsPerSecond(),
              stage.eventsPerCpuSecond(),
              STAGE_GOAL,
              BenchReport.verdict(stage.eventsPerSecond() >= STAGE_GOAL)));
    }
    if (latency != null) {
      Histogram h = latency.millis();
      sb.append(
          String.format(
              Locale.ROOT,
              "alert latency (last evidence sent -> alert found, polled every %d ms), %d lines/s"
                  + " beside the bursts:%n",
              latency.pollMillis(),
              latency.backgroundRate()));
      sb.append(
          String.format(
              Locale.ROOT,
              "%8s %8s %8s %8s %8s %8s %7s%n",
              "bursts",
              "alerted",
              "p50 ms",
              "p99 ms",
              "max ms",
              "goal",
              "verdict"));
      boolean met = latency.alerted() == latency.bursts() && p99(h) <= LATENCY_P99_GOAL_MILLIS;
      sb.append(
          String.format(
              Locale.ROOT,
              "%8d %8d %8d %8d %8d %8s %7s%n",
              latency.bursts(),
              latency.alerted(),
              h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50),
              p99(h),
              h.getMaxValue(),
              "p99<=" + LATENCY_P99_GOAL_MILLIS,
              BenchReport.verdict(met)));
    }
    return sb.toString();
  }

  private static long p99(Histogram h) {
    return h.getTotalCount() == 0 ? Long.MAX_VALUE : h.getValueAtPercentile(99);
  }

  @Override
  public String json() {
    ObjectNode root = BenchReport.jsonRoot();
    root.put("bench", "correlation");
    if (stage != null) {
      ObjectNode s = root.putObject("stage");
      s.put("rules", stage.rules());
      s.put("groupKeys", stage.groupKeys());
      s.put("parallelism", stage.parallelism());
      s.put("events", stage.events());
      s.put("evaluations", stage.evaluations());
      s.put("findings", stage.findings());
      s.put("alerts", stage.alerts());
      s.put("seconds", stage.seconds());
      s.put("cpuSeconds", stage.cpuSeconds());
      s.put("compileSeconds", stage.compileSeconds());
      s.put("warmupEvents", stage.warmupEvents());
      s.put("warmupSeconds", stage.warmupSeconds());
      s.put("eventsPerSecond", Math.round(stage.eventsPerSecond()));
      s.put("eventsPerCpuSecond", Math.round(stage.eventsPerCpuSecond()));
      s.put("goal", Math.round(STAGE_GOAL));
      s.put("met", stage.eventsPerSecond() >= STAGE_GOAL);
    }
    if (latency != null) {
      Histogram h = latency.millis();
      ObjectNode l = root.putObject("latency");
      l.put("backgroundRate", latency.backgroundRate());
      l.put("bursts", latency.bursts());
      l.put("alerted", latency.alerted());
      l.put("pollMillis", latency.pollMillis());
      if (h.getTotalCount() > 0) {
        l.put("p50Millis", h.getValueAtPercentile(50));
        l.put("p99Millis", h.getValueAtPercentile(99));
        l.put("maxMillis", h.getMaxValue());
      }
      l.put("p99GoalMillis", LATENCY_P99_GOAL_MILLIS);
      l.put("met", latency.alerted() == latency.bursts() && p99(h) <= LATENCY_P99_GOAL_MILLIS);
    }
    return BenchReport.write(root);
  }
}
