package org.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SyslogBenchReportTest {
  private static ThroughputResult tcp(long sent, long received, double seconds) {
    return new ThroughputResult("collector", "tcp", sent, received, seconds, 0, -1, -1, true);
  }

  @Test
  void rateIsWhatArrivedOverTheTimeItTook() {
    assertThat(tcp(500_000, 500_000, 2.5).rate()).isEqualTo(200_000.0);
    assertThat(tcp(10, 0, 0).rate()).isZero();
  }

  @Test
  void lossIsTheShareOfSentMessagesThatNeverArrived() {
    assertThat(tcp(800_000, 799_600, 10).lossPercent()).isCloseTo(0.05, within(1e-9));
    assertThat(tcp(0, 0, 1).lossPercent()).isZero();
    assertThat(tcp(100, 101, 1).lossPercent()).isZero();
  }

  @Test
  void comparesVigilWithRsyslogAsARatio() {
    ThroughputResult vigil = new ThroughputResult("vigil e2e", "tcp", 300, 300, 3, 0, -1, -1, true);
    ThroughputResult rsyslog =
        new ThroughputResult("rsyslog e2e", "tcp", 300, 300, 6, 0, -1, -1, true);
    SyslogBenchReport report = new SyslogBenchReport(null, null, vigil, rsyslog);
    assertThat(report.ratio()).contains(2.0);
    assertThat(report.endToEndGoalMet()).contains(true);
    assertThat(new SyslogBenchReport(null, null, vigil, null).ratio()).isEmpty();
  }

  @Test
  void judgesTheCollectorGoalsOfIssueThree() {
    ThroughputResult fastTcp = tcp(500_000, 500_000, 2.0);
    ThroughputResult lossyTcp = tcp(500_000, 499_999, 2.0);
    ThroughputResult udp =
        new ThroughputResult("collector", "udp", 800_000, 799_500, 10, 80_000, 0, 500, true);
    assertThat(new SyslogBenchReport(fastTcp, udp, null, null).tcpGoalMet()).contains(true);
    assertThat(new SyslogBenchReport(lossyTcp, udp, null, null).tcpGoalMet()).contains(false);
    assertThat(new SyslogBenchReport(fastTcp, udp, null, null).udpGoalMet()).contains(true);
    ThroughputResult slowSender =
        new ThroughputResult("collector", "udp", 500_000, 500_000, 10, 50_000, 0, 0, true);
    assertThat(new SyslogBenchReport(null, slowSender, null, null).udpGoalMet()).contains(false);
  }

  @Test
  void tablesEveryPhaseThatRanAndMarksIncompleteCounts() {
    ThroughputResult udp =
        new ThroughputResult("collector", "udp", 1000, 900, 1, 1000, 3, 97, false);
    String table = new SyslogBenchReport(tcp(10, 10, 1), udp, null, null).table();
    assertThat(table.lines()).hasSize(4);
    assertThat(table).contains("collector", "udp", "900*", "10.000", "3/97", "missed");
    assertThat(table).doesNotContain("vigil/rsyslog");
  }

  @Test
  void writesTheSameFiguresAsJson() throws Exception {
    ThroughputResult vigil = new ThroughputResult("vigil e2e", "tcp", 300, 300, 3, 0, -1, -1, true);
    ThroughputResult rsyslog =
        new ThroughputResult("rsyslog e2e", "tcp", 300, 300, 4, 0, -1, -1, true);
    JsonNode json =
        new ObjectMapper().readTree(new SyslogBenchReport(null, null, vigil, rsyslog).json());
    assertThat(json.get("runs")).hasSize(2);
    assertThat(json.at("/runs/0/rate").asLong()).isEqualTo(100);
    assertThat(json.get("ratio").asDouble()).isCloseTo(4.0 / 3, within(1e-9));
    assertThat(json.at("/goals/endToEnd").asBoolean()).isTrue();
    assertThat(json.at("/runs/0/collectorDrops").isMissingNode()).isTrue();
  }

  @Test
  void addsElasticsearchAloneAsTheCeilingBesideVigil() throws Exception {
    ThroughputResult vigil = new ThroughputResult("vigil e2e", "tcp", 300, 300, 3, 0, -1, -1, true);
    ElasticsearchAlone.Result alone = new ElasticsearchAlone.Result(300, 300, 300, 0.5);
    SyslogBenchReport report = new SyslogBenchReport(null, null, vigil, null, alone);
    assertThat(report.table()).contains("elasticsearch alone: 600 documents/s");
    JsonNode json = new ObjectMapper().readTree(report.json());
    assertThat(json.at("/elasticsearchAlone/rate").asLong()).isEqualTo(600);
    assertThat(new SyslogBenchReport(null, null, vigil, null).json())
        .doesNotContain("elasticsearchAlone");
  }

  @Test
  void boundsTheRatioByWhatElasticsearchSpendsPerVigilDocument() throws Exception {
    ThroughputResult vigil =
        new ThroughputResult("vigil e2e", "tcp", 300, 300, 60, 0, -1, -1, true);
    ThroughputResult rsyslog =
        new ThroughputResult("rsyslog e2e", "tcp", 300, 300, 0.012, 0, -1, -1, true);
    // 300 copies for 27 ms of Elasticsearch's CPU: 90 us each, so 2 cores allow 22,222/s,
    // against rsyslog's 25,000/s.
    ElasticsearchAlone.Result alone =
        new ElasticsearchAlone.Result(300, 300, 300, 0.02).withCpu(27_000_000L, 2);
    SyslogBenchReport report = new SyslogBenchReport(null, null, vigil, rsyslog, alone);

    assertThat(report.ratioCeiling().orElseThrow()).isCloseTo(22_222.2 / 25_000, within(1e-4));
    assertThat(report.table())
        .contains("JIT compilers left out: 90.0 us per document")
        .contains("ratio ceiling: 0.89 (Elasticsearch's CPU allows 22,222 of Vigil's documents/s")
        .contains("against rsyslog's 25,000 msg/s");
    JsonNode json = new ObjectMapper().readTree(report.json());
    assertThat(json.get("ratioCeiling").asDouble()).isCloseTo(0.8889, within(1e-4));
    assertThat(json.at("/elasticsearchAlone/cpuBoundRate").asLong()).isEqualTo(22_222);

    // Without rsyslog, or without Elasticsearch's CPU, there is no ceiling to show.
    assertThat(new SyslogBenchReport(null, null, vigil, null, alone).ratioCeiling()).isEmpty();
    SyslogBenchReport unmeasured =
        new SyslogBenchReport(
            null, null, vigil, rsyslog, new ElasticsearchAlone.Result(300, 300, 300, 0.02));
    assertThat(unmeasured.ratioCeiling()).isEmpty();
    assertThat(unmeasured.table()).doesNotContain("ratio ceiling").doesNotContain("own CPU");
  }
}
