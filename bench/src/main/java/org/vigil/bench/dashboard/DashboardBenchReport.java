package org.vigil.bench.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.vigil.bench.BenchReport;

/**
 * The figures of {@code vigil bench dashboard}: response times of the alert queue and event search
 * with the corpus indexed, beside issue 8's goal.
 *
 * @param events events indexed
 * @param alerts alerts indexed
 * @param indexSeconds how long indexing the corpus took (bulk, then a refresh); negative when an
 *     earlier run's corpus was reused
 * @param concurrency clients sending at once
 * @param timings per query kind
 */
public record DashboardBenchReport(
    long events, long alerts, double indexSeconds, int concurrency, List<Timing> timings)
    implements BenchReport {

  /** Issue 8: the alert queue and search answer within this many milliseconds at p95. */
  public static final long P95_GOAL_MILLIS = 300;

  /**
   * One query kind's response times.
   *
   * @param micros response times of the successful requests, microseconds
   */
  public record Timing(
      String name, int requests, long failures, String firstFailure, Histogram micros) {
    double millisAt(double percentile) {
      return micros.getTotalCount() == 0 ? 0 : micros.getValueAtPercentile(percentile) / 1000.0;
    }

    boolean met() {
      return failures == 0 && micros.getTotalCount() > 0 && millisAt(95) <= P95_GOAL_MILLIS;
    }
  }

  public DashboardBenchReport {
    timings = List.copyOf(timings);
  }

  @Override
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "dashboard API with %,d events and %,d alerts indexed (%s), %d clients at once:%n",
            events,
            alerts,
            indexSeconds < 0
                ? "by an earlier run"
                : String.format(Locale.ROOT, "in %.1f s", indexSeconds),
            concurrency));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-38s %8s %6s %8s %8s %8s %8s %8s %7s%n",
            "query",
            "requests",
            "failed",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "goal",
            "verdict"));
    for (Timing t : timings) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-38s %8d %6d %8.1f %8.1f %8.1f %8.1f %8s %7s%n",
              t.name(),
              t.requests(),
              t.failures(),
              t.millisAt(50),
              t.millisAt(95),
              t.millisAt(99),
              t.micros().getMaxValue() / 1000.0,
              "p95<=" + P95_GOAL_MILLIS,
              BenchReport.verdict(t.met())));
    }
    for (Timing t : timings) {
      if (t.firstFailure() != null) {
        sb.append(
            String.format(Locale.ROOT, "first failure of %s: %s%n", t.name(), t.firstFailure()));
      }
    }
    return sb.toString();
  }

  @Override
  public String json() {
    ObjectNode root = BenchReport.jsonRoot();
    root.put("events", events);
    root.put("alerts", alerts);
    if (indexSeconds >= 0) {
      root.put("indexSeconds", indexSeconds);
    }
    root.put("concurrency", concurrency);
    root.put("p95GoalMillis", P95_GOAL_MILLIS);
    ArrayNode queries = root.putArray("queries");
    for (Timing t : timings) {
      ObjectNode q = queries.addObject();
      q.put("name", t.name());
      q.put("requests", t.requests());
      q.put("failures", t.failures());
      q.put("p50Millis", t.millisAt(50));
      q.put("p95Millis", t.millisAt(95));
      q.put("p99Millis", t.millisAt(99));
      q.put("maxMillis", t.micros().getMaxValue() / 1000.0);
      q.put("met", t.met());
      if (t.firstFailure() != null) {
        q.put("firstFailure", t.firstFailure());
      }
    }
    return BenchReport.write(root);
  }
}
