package org.vigil.app.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil bench dashboard}: the alert queue's and event search's response times. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measure the dashboard API. Starts the all-in-one on free ports on 127.0.0.1,",
      "indexes a generated week of several agencies' events (SSH logins, NetFlow, web,",
      "DNS, firewall) and alerts in every triage state, then sends each query",
      "--requests times from --concurrency clients after a warm-up, as a SOC-wide",
      "analyst and as an analyst scoped to one agency. Times run from sending a",
      "request to reading its whole body.",
      "",
      "Goal of issue 8, shown, never asserted: alert queue and search p95 < 300 ms",
      "with 1,000,000 events and 10,000 alerts indexed."
    })
public final class DashboardBenchCommand implements Callable<Integer> {
  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "1000000",
      description = "Events indexed (default: ${DEFAULT-VALUE}).")
  long events;

  @Option(
      names = "--alerts",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Alerts indexed (default: ${DEFAULT-VALUE}).")
  int alerts;

  @Option(
      names = "--agencies",
      paramLabel = "N",
      defaultValue = "8",
      description = "Agencies the data belongs to (default: ${DEFAULT-VALUE}).")
  int agencies;

  @Option(
      names = "--requests",
      paramLabel = "N",
      defaultValue = "200",
      description = "Timed requests per query (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "4",
      description = "Clients sending at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--elasticsearch-heap",
      paramLabel = "SIZE",
      defaultValue = "1g",
      description = "Elasticsearch's JVM heap (default: ${DEFAULT-VALUE}).")
  String elasticsearchHeap;

  @Mixin BenchRunOptions run;

  DashboardBenchPlan plan() {
    return run.plan(
        () ->
            new DashboardBenchPlan(
                events,
                alerts,
                agencies,
                requests,
                concurrency,
                elasticsearchHeap,
                run.dataDir(),
                run.keep()));
  }

  @Override
  public Integer call() throws Exception {
    run.print(new DashboardBenchRun(plan(), System.err).run(), System.out);
    return 0;
  }
}
