package org.vigil.bench.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.bench.ElasticsearchAlone;

class NetflowBenchReportTest {
  private static FlowThroughput collector(long sentDatagrams, long counted, double seconds) {
    return FlowThroughput.ofDatagrams(
        "collector", sentDatagrams, sentDatagrams * 20, counted, seconds, 0, 0, 0, true);
  }

  private static FlowThroughput paced(double senderFlowRate, double seconds, long kernelDrops) {
    long flows = Math.round(senderFlowRate * seconds);
    return FlowThroughput.ofDatagrams(
        "collector",
        flows / 20,
        flows,
        flows / 20,
        seconds + 0.05,
        senderFlowRate,
        0,
        kernelDrops,
        true);
  }

  @Test
  void takesAPacedSenderJustUnderTheGoalAsSendingAtIt() {
    assertThat(
            new NetflowBenchReport(paced(99_414, 20, 0), null, null, -1, -1, null)
                .collectorGoalMet())
        .contains(true);
    assertThat(
            new NetflowBenchReport(paced(97_000, 20, 0), null, null, -1, -1, null)
                .collectorGoalMet())
        .contains(false);
    assertThat(
            new NetflowBenchReport(paced(120_000, 20, 3), null, null, -1, -1, null)
                .collectorGoalMet())
        .contains(false);
  }

  @Test
  void countsFlowsExactlyWhenEveryDatagramArrived() {
    FlowThroughput r = collector(10_000, 10_000, 1);
    assertThat(r.flowsCounted()).isEqualTo(200_000);
    assertThat(r.flowsEstimated()).isFalse();
    assertThat(r.flowRate()).isEqualTo(200_000.0);
    assertThat(r.datagramRate()).isEqualTo(10_000.0);
    assertThat(r.lossless()).isTrue();
  }

  @Test
  void estimatesFlowsAtTheAverageWhenDatagramsWereLost() {
    FlowThroughput r = collector(10_000, 9_000, 1);
    assertThat(r.flowsCounted()).isEqualTo(180_000);
    assertThat(r.flowsEstimated()).isTrue();
    assertThat(r.lossPercent()).isEqualTo(10.0);
    assertThat(r.lossless()).isFalse();
  }

  @Test
  void judgesTheGoalsOfIssueFour() {
    FlowThroughput indexed =
        new FlowThroughput("indexed", 3_000, 60_000, -1, 60_000, false, 1.2, 0, -1, -1, true);
    NetflowDecoderJmh.Figure fast = new NetflowDecoderJmh.Figure("v9-asa", 60_000, 1_000, 19);
    NetflowDecoderJmh.Figure slow = new NetflowDecoderJmh.Figure("ipfix-pflow", 30_000, 1_000, 26);
    NetflowBenchReport report =
        new NetflowBenchReport(collector(10_000, 10_000, 1), null, indexed, 0, 0, List.of(fast));
    assertThat(report.collectorGoalMet()).contains(true);
    assertThat(report.indexedGoalMet()).contains(true);
    assertThat(report.decoderGoalMet()).contains(true);

    NetflowBenchReport worse =
        new NetflowBenchReport(
            collector(10_000, 9_999, 1), null, null, -1, -1, List.of(fast, slow));
    assertThat(worse.collectorGoalMet()).contains(false);
    assertThat(worse.indexedGoalMet()).isEmpty();
    assertThat(worse.decoderGoalMet()).contains(false);
    assertThat(worse.table()).contains("missed").contains("~ estimated");
  }

  @Test
  void printsTheSameFiguresAsJson() throws Exception {
    NetflowBenchReport report =
        new NetflowBenchReport(
            collector(5_000, 5_000, 0.5),
            null,
            null,
            -1,
            -1,
            List.of(new NetflowDecoderJmh.Figure("v9-asa", 100_000, 500, 19)));
    JsonNode json = new ObjectMapper().readTree(report.json());
    assertThat(json.get("stages").get(0).get("flowRate").asLong()).isEqualTo(200_000);
    assertThat(json.get("decoder").get(0).get("recordsPerSecondPerCore").asLong())
        .isEqualTo(1_900_000);
    assertThat(json.get("goals").get("collector").asBoolean()).isTrue();
    assertThat(report.table()).contains("1900000 records/s per core");
  }

  @Test
  void saysWhenElasticsearchsOwnCpuPutsTheIndexedGoalOutOfReach() {
    FlowThroughput indexed =
        new FlowThroughput("indexed", 3_000, 60_000, -1, 60_000, false, 8, 0, -1, -1, true);
    // 64 us of Elasticsearch's CPU per flow document: 2 cores index at most 31,250/s.
    ElasticsearchAlone.Result alone =
        new ElasticsearchAlone.Result(10_000, 300_000, 300_000, 12).withCpu(19_200_000_000L, 2);
    String table = new NetflowBenchReport(null, null, indexed, 0, 0, List.of(), alone).table();
    assertThat(table)
        .contains("at most 31,250 of them per second")
        .contains("the goal of 40,000/s lies above that: out of reach in this run");

    ElasticsearchAlone.Result roomy = alone.withCpu(9_000_000_000L, 2);
    assertThat(new NetflowBenchReport(null, null, indexed, 0, 0, List.of(), roomy).table())
        .contains("at most 66,667 of them per second")
        .doesNotContain("out of reach");
  }
}
