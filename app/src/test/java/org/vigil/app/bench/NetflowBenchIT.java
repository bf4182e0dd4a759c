package org.vigil.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vigil.bench.ElasticsearchAlone;
import org.vigil.bench.netflow.FlowThroughput;
import org.vigil.bench.netflow.NetflowBenchReport;

/**
 * The collector phase and a short end-to-end phase of {@code vigil bench netflow} with small loads
 * against the real collector, Kafka, Flink job and Elasticsearch. Rates are printed, never asserted
 * (the machine is shared); what must hold is that the counts add up: every datagram and flow sent
 * at a gentle rate reaches Kafka, is decoded by the job and indexed, and the job's sequence check
 * finds nothing missing, so the rewritten sequence numbers and domains are what the job expects.
 */
class NetflowBenchIT {
  private static final long COLLECTOR_FLOWS = 20_000;
  private static final long E2E_FLOWS = 10_000;

  @Test
  void countsEveryFlowFromTheReplayThroughKafkaTheJobAndElasticsearch() throws Exception {
    Path captures = NetflowBenchPlan.defaultCaptures();
    assertThat(captures).as("testdata/netflow from " + Path.of("").toAbsolutePath()).isNotNull();
    NetflowBenchPlan plan =
        new NetflowBenchPlan(
            Set.of(NetflowBenchPlan.Phase.COLLECTOR, NetflowBenchPlan.Phase.E2E),
            captures,
            COLLECTOR_FLOWS,
            Duration.ZERO,
            20_000,
            2_000,
            E2E_FLOWS,
            10_000,
            2_000,
            4,
            5,
            2,
            "512m",
            Duration.ofSeconds(15),
            false,
            null,
            false);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    NetflowBenchReport report =
        new NetflowBenchRun(plan, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
    System.out.print(progress.toString(StandardCharsets.UTF_8));
    System.out.print(report.table());

    FlowThroughput collector = report.collector();
    assertThat(collector.flowsSent()).isBetween(COLLECTOR_FLOWS, COLLECTOR_FLOWS + 26);
    assertThat(collector.datagramsCounted()).isEqualTo(collector.datagramsSent());
    assertThat(collector.flowsCounted()).isEqualTo(collector.flowsSent());
    assertThat(collector.complete()).isTrue();
    assertThat(collector.collectorDrops()).isZero();

    FlowThroughput decoded = report.decoded();
    FlowThroughput indexed = report.indexed();
    assertThat(indexed.flowsSent()).isBetween(E2E_FLOWS, E2E_FLOWS + 26);
    assertThat(decoded.flowsCounted()).isEqualTo(decoded.flowsSent());
    assertThat(indexed.flowsCounted()).isEqualTo(indexed.flowsSent());
    assertThat(indexed.complete()).isTrue();
    assertThat(report.jobLostFlows()).isZero();
    assertThat(report.jobLostPackets()).isZero();
    assertThat(report.decoder()).isEmpty();
    // Elasticsearch alone copied as many flow documents as the run indexed, and lost none.
    ElasticsearchAlone.Result alone = report.elasticsearchAlone();
    assertThat(alone.sent()).isEqualTo(indexed.flowsCounted());
    assertThat(alone.indexed()).isEqualTo(alone.sent());
    assertThat(alone.sampled()).isPositive();
    assertThat(report.table()).contains("collector", "decoded", "indexed", "elasticsearch alone");
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("warm-up")
        .contains("core-seconds")
        .contains("vigil-netflow-udp");
  }
}
