package org.vigil.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vigil.bench.Loggen;
import org.vigil.bench.SyslogBenchReport;

/**
 * The collector-only phase against real loggen, real Kafka and the real collector, with a small
 * load. Rates are printed, not asserted (the machine is shared); what must hold is that TCP loses
 * nothing and that UDP datagrams are counted. Without loggen the test fails saying how to get it:
 * CI installs it with bin/fetch-loggen.
 */
class SyslogBenchIT {
  @Test
  void measuresTheCollectorAloneWithLoggenOverTcpAndUdp() throws Exception {
    Loggen loggen = Loggen.locate(null, System.getenv(), Path.of(System.getProperty("user.home")));
    SyslogBenchPlan plan =
        new SyslogBenchPlan(
            Set.of(SyslogBenchPlan.Phase.COLLECTOR),
            20_000,
            2_000,
            2_000,
            2,
            1 << 20,
            1,
            SyslogBenchPlan.Peer.NONE,
            1,
            1,
            "512m",
            Duration.ofSeconds(10),
            null,
            false);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    SyslogBenchReport report =
        new SyslogBenchRun(plan, loggen, new PrintStream(progress, true, StandardCharsets.UTF_8))
            .run();
    System.out.print(report.table());

    assertThat(report.collectorTcp().sent()).isEqualTo(20_000);
    assertThat(report.collectorTcp().received()).isEqualTo(20_000);
    assertThat(report.collectorTcp().complete()).isTrue();
    assertThat(report.collectorTcp().rate()).isPositive();
    assertThat(report.collectorUdp().sent()).isPositive();
    assertThat(report.collectorUdp().received()).isPositive();
    assertThat(report.collectorUdp().collectorDrops()).isNotNegative();
    assertThat(report.vigilEndToEnd()).isNull();
    assertThat(report.table()).contains("collector", "tcp", "udp");
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("warm-up", "UDP receive buffer");
  }
}
