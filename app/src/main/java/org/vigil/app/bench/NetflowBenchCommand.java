package org.vigil.app.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil bench netflow}: replayed v9/IPFIX captures through the collector and the job. */
@Command(
    name = "netflow",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measure NetFlow v9/IPFIX throughput by replaying recorded datagrams (a Cisco",
      "ASA v9 capture and an OpenBSD pflow IPFIX capture from testdata/netflow) over",
      "UDP from several simulated exporters: each its own socket and v9 Source ID or",
      "IPFIX Observation Domain, sequence numbers rewritten so no gap shows, templates",
      "sent again every --template-interval data datagrams. Everything measured is",
      "started here in a temporary data folder on free ports on 127.0.0.1.",
      "",
      "Phase collector: embedded Kafka and the NetFlow collector only. After a",
      "warm-up, --flows flows (or --duration seconds) at --rate; the rate is datagrams",
      "reaching the raw NetFlow topic (Kafka end offsets) over time, as flows and",
      "datagrams; the drops column shows the collector's own drops (Kafka refused) and",
      "the kernel's (receive buffer full) as app/kernel. The run prints the UDP",
      "receive buffer the kernel granted.",
      "",
      "Phase e2e: the whole all-in-one. --e2e-flows flows at --e2e-rate; 'decoded' is",
      "the job's netflowFlows counter (read from Flink's REST API, refreshed every",
      "10 s, so its rate is coarse), 'indexed' the event.dataset:netflow.flow",
      "documents in Elasticsearch (polled every 250 ms, includes up to one 5 s index",
      "refresh). The job's sequence check must find nothing missing.",
      "",
      "Phase jmh: NetflowDecoderBenchmark under JMH (1 thread, 3 x 1 s warm-up,",
      "5 x 1 s measured, forked JVM), as records/s per core.",
      "",
      "After each phase the CPU used per thread group (and by Elasticsearch) is",
      "printed, busiest first: the bottleneck. Goals of issue 4, shown, never",
      "asserted: decoder >= 1,000,000 records/s per core; collector >= 100,000 flows/s",
      "without loss; indexed >= 40,000 flows/s."
    })
public final class NetflowBenchCommand implements Callable<Integer> {
  @Option(
      names = "--phases",
      paramLabel = "LIST",
      defaultValue = "collector,e2e,jmh",
      description =
          "Phases to run, comma-separated: collector, e2e, jmh (default: ${DEFAULT-VALUE}).")
  String phases;

  @Option(names = "--skip-jmh", description = "Leave out the jmh phase.")
  boolean skipJmh;

  @Option(
      names = "--flows",
      paramLabel = "N",
      defaultValue = "2000000",
      description = "Flows sent to the collector alone (default: ${DEFAULT-VALUE}).")
  long flows;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      defaultValue = "0",
      description = "Send to the collector for this long instead of --flows (default: off).")
  long durationSeconds;

  @Option(
      names = "--rate",
      paramLabel = "FLOWS/S",
      defaultValue = "100000",
      description =
          "Send rate to the collector, 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
  long rate;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      defaultValue = "200000",
      description = "Flows sent to the collector before measuring (default: ${DEFAULT-VALUE}).")
  long warmup;

  @Option(
      names = "--e2e-flows",
      paramLabel = "N",
      defaultValue = "1000000",
      description = "Flows sent end to end (default: ${DEFAULT-VALUE}).")
  long e2eFlows;

  @Option(
      names = "--e2e-rate",
      paramLabel = "FLOWS/S",
      defaultValue = "100000",
      description =
          "Send rate end to end, 0 for as fast as possible; Kafka buffers what the job has not"
              + " yet taken (default: ${DEFAULT-VALUE}).")
  long e2eRate;

  @Option(
      names = "--e2e-warmup",
      paramLabel = "N",
      defaultValue = "100000",
      description =
          "Flows sent end to end and indexed before measuring, so the JIT compilers of Vigil and"
              + " Elasticsearch are done (default: ${DEFAULT-VALUE}).")
  long e2eWarmup;

  @Option(
      names = "--exporters",
      paramLabel = "N",
      defaultValue = "8",
      description = "Simulated exporters, v9 and IPFIX in turn (default: ${DEFAULT-VALUE}).")
  int exporters;

  @Option(
      names = "--template-interval",
      paramLabel = "DATAGRAMS",
      defaultValue = "20",
      description =
          "Data datagrams per exporter between template refreshes, 0 for only at the start"
              + " (default: ${DEFAULT-VALUE}, Cisco's v9 default).")
  int templateInterval;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      defaultValue = "2",
      description = "Parallelism of the correlation job end to end (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--elasticsearch-heap",
      paramLabel = "SIZE",
      defaultValue = "1g",
      description = "Elasticsearch's JVM heap end to end (default: ${DEFAULT-VALUE}).")
  String elasticsearchHeap;

  @Option(
      names = "--quiet",
      paramLabel = "SECONDS",
      defaultValue = "15",
      description =
          "Stop waiting for arrivals when none came for this long after the sender finished"
              + " (default: ${DEFAULT-VALUE}).")
  long quietSeconds;

  @Option(
      names = "--jmh-in-process",
      description = "Run JMH in this JVM instead of a forked one (less isolated).")
  boolean jmhInProcess;

  @Option(
      names = "--captures",
      paramLabel = "DIR",
      description = "The recorded datagrams (default: testdata/netflow/logstash-codec-netflow).")
  Path captures;

  @Mixin BenchRunOptions run;

  /** The plan the options describe. */
  NetflowBenchPlan plan() {
    return run.plan(this::checkedPlan);
  }

  private NetflowBenchPlan checkedPlan() {
    Set<NetflowBenchPlan.Phase> chosen = EnumSet.copyOf(NetflowBenchPlan.Phase.parseList(phases));
    if (skipJmh) {
      chosen.remove(NetflowBenchPlan.Phase.JMH);
    }
    Path dir = captures != null ? captures : NetflowBenchPlan.defaultCaptures();
    if (dir == null) {
      throw new IllegalArgumentException(
          "no testdata/netflow/logstash-codec-netflow here or in the parent folder: run from the"
              + " repository or give --captures DIR");
    }
    return new NetflowBenchPlan(
        chosen,
        dir,
        flows,
        Duration.ofSeconds(durationSeconds),
        rate,
        warmup,
        e2eFlows,
        e2eRate,
        e2eWarmup,
        exporters,
        templateInterval,
        parallelism,
        elasticsearchHeap,
        Duration.ofSeconds(quietSeconds),
        !jmhInProcess,
        run.dataDir(),
        run.keep());
  }

  @Override
  public Integer call() throws Exception {
    run.print(new NetflowBenchRun(plan(), System.err).run(), System.out);
    return 0;
  }
}
