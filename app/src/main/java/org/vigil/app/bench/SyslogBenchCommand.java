package org.vigil.app.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.vigil.app.UdpReceiveBufferOption;
import org.vigil.bench.Loggen;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil bench syslog}: throughput of the collector and of the whole system, with loggen. */
@Command(
    name = "syslog",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measure syslog throughput with syslog-ng's loggen. Everything measured is",
      "started here, in a temporary data folder on free ports on 127.0.0.1; a",
      "running 'vigil up' is not touched.",
      "",
      "Phase collector: embedded Kafka and the syslog collector only. After a",
      "warm-up, loggen sends --count messages over TCP as fast as they are taken;",
      "the rate is records reaching the raw syslog topic (Kafka end offsets) over",
      "time. Then UDP at --udp-rate for --duration seconds: records in Kafka",
      "against datagrams sent give the loss; the drops column shows the",
      "collector's own drops (Kafka congested) and the kernel's (receive buffer",
      "full) as app/kernel. The UDP socket asks for --udp-receive-buffer, and the",
      "run prints what the kernel granted.",
      "",
      "Phase e2e: the whole all-in-one (Elasticsearch, the correlation job with",
      "parsing, normalisers and rules, the collector). loggen sends --e2e-count",
      "generated sshd lines with brute-force bursts over TCP; the rate is this",
      "run's documents in vigil-events-* over time. With --peer rsyslog, a",
      "private rsyslogd (imtcp, omelasticsearch in bulk mode, its own index on",
      "the same Elasticsearch) then gets the same lines; both rates and their",
      "ratio are printed. Each system first gets --warmup lines and is",
      "measured once they are indexed.",
      "",
      "Rates run from the start of sending to the last observed rise of the count",
      "(Kafka polled every 50 ms, Elasticsearch every 250 ms), so end-to-end",
      "rates include up to one 1 s index refresh, for both systems alike. The",
      "goals of issue 3 are shown, never asserted: collector TCP >= 150,000 msg/s",
      "without loss, UDP >= 80,000 msg/s with < 0.1 %% loss, end to end at least",
      "rsyslog's rate.",
      "",
      "loggen: --loggen PATH, else $VIGIL_LOGGEN, else",
      "~/.cache/vigil/loggen/usr/bin/loggen, where bin/fetch-loggen puts it.",
      "rsyslog: apt-get install rsyslog rsyslog-elasticsearch."
    })
public final class SyslogBenchCommand implements Callable<Integer> {
  @Option(
      names = "--phases",
      paramLabel = "LIST",
      defaultValue = "collector,e2e",
      description = "Phases to run, comma-separated: collector, e2e (default: ${DEFAULT-VALUE}).")
  String phases;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "2000000",
      description =
          "Messages over TCP to the collector alone: some 10 s of sending, since the first"
              + " seconds run below the steady rate (default: ${DEFAULT-VALUE}).")
  long count;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      defaultValue = "100000",
      description =
          "Messages sent before measuring: to the collector alone (over TCP, then over UDP at"
              + " --udp-rate for as long as they take, 2-10 s), and as sshd lines to each"
              + " end-to-end system (default: ${DEFAULT-VALUE}).")
  long warmup;

  @Option(
      names = "--udp-rate",
      paramLabel = "MSG/S",
      defaultValue = "80000",
      description = "UDP send rate; 0 skips the UDP run (default: ${DEFAULT-VALUE}).")
  long udpRate;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "How long the UDP run sends (default: ${DEFAULT-VALUE}).")
  int duration;

  @Mixin UdpReceiveBufferOption udpReceiveBuffer;

  @Option(
      names = "--e2e-count",
      paramLabel = "N",
      defaultValue = "300000",
      description = "sshd lines sent end to end, to each system (default: ${DEFAULT-VALUE}).")
  int e2eCount;

  @Option(
      names = "--peer",
      paramLabel = "NAME",
      defaultValue = "none",
      description =
          "Also measure rsyslog end to end with the same load: rsyslog or none"
              + " (default: ${DEFAULT-VALUE}).")
  String peer;

  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Parallel TCP connections loggen opens to the collector alone, sharing --count and"
              + " --warmup. The end-to-end systems get their sshd lines in order over one"
              + " (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      defaultValue = "2",
      description = "Parallelism of the correlation job in phase e2e (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--elasticsearch-heap",
      paramLabel = "SIZE",
      defaultValue = "1g",
      description = "Elasticsearch's JVM heap in phase e2e (default: ${DEFAULT-VALUE}).")
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
      names = "--loggen",
      paramLabel = "PATH",
      description = "The loggen binary (default: $VIGIL_LOGGEN, else ~/.cache/vigil/loggen).")
  String loggen;

  @Mixin BenchRunOptions run;

  /** The plan the options describe. */
  SyslogBenchPlan plan() {
    return run.plan(
        () ->
            new SyslogBenchPlan(
                SyslogBenchPlan.Phase.parseList(phases),
                count,
                warmup,
                udpRate,
                duration,
                udpReceiveBuffer.bytes(),
                e2eCount,
                SyslogBenchPlan.Peer.parse(peer),
                connections,
                parallelism,
                elasticsearchHeap,
                Duration.ofSeconds(quietSeconds),
                run.dataDir(),
                run.keep()));
  }

  @Override
  public Integer call() throws Exception {
    SyslogBenchPlan plan = plan();
    Loggen generator =
        Loggen.locate(loggen, System.getenv(), Path.of(System.getProperty("user.home")));
    if (plan.peer() == SyslogBenchPlan.Peer.RSYSLOG) {
      RsyslogPeer.locate();
    }
    run.print(new SyslogBenchRun(plan, generator, System.err).run(), System.out);
    return 0;
  }
}
