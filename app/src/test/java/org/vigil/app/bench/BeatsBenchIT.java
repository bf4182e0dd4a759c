package org.vigil.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vigil.bench.beats.BeatsBenchReport;

/**
 * {@code vigil bench beats} with a small load against the real collector, Kafka, Flink job and
 * Elasticsearch, both phases. Rates are printed, never asserted (the machine is shared); what must
 * hold is that the counts add up: every event sent is acknowledged, in Kafka once, indexed once.
 */
class BeatsBenchIT {
  private static final long EVENTS = 20_000;

  @Test
  void everyEventSentIsAcknowledgedAndIndexedOnce() throws Exception {
    BeatsBenchPlan plan =
        new BeatsBenchPlan(
            Set.of(BeatsBenchPlan.Phase.COLLECTOR, BeatsBenchPlan.Phase.E2E),
            EVENTS,
            2,
            2_048,
            1,
            2_000,
            2,
            "512m",
            Duration.ofSeconds(30),
            null,
            false);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    BeatsBenchReport report =
        new BeatsBenchRun(plan, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
    System.out.print(progress.toString(StandardCharsets.UTF_8));
    System.out.print(report.table());

    assertThat(report.collector().acked()).isEqualTo(EVENTS);
    assertThat(report.kafkaEvents()).isEqualTo(EVENTS);
    assertThat(report.endToEnd().events()).isEqualTo(EVENTS);
    assertThat(report.endToEnd().acked()).isEqualTo(EVENTS);
    // 10,000 per client: 4 full windows and one of 1,808 each.
    assertThat(report.endToEnd().windows()).isEqualTo(10);
    assertThat(report.indexed().count()).isEqualTo(EVENTS);
    assertThat(report.indexed().complete()).isTrue();
    // Indexed by Elasticsearch's own count, searchable once the index refreshed after that.
    assertThat(report.indexed().seconds())
        .isPositive()
        .isLessThanOrEqualTo(report.indexed().searchableSeconds());
    assertThat(report.table()).contains("searchable: " + EVENTS + " of them after");
    assertThat(report.elasticsearchAlone().sent()).isEqualTo(EVENTS);
    assertThat(report.elasticsearchAlone().indexed()).isEqualTo(EVENTS);
    // Elasticsearch's CPU was read from /proc, as the profile lines below: the bound is there.
    assertThat(report.elasticsearchAlone().cpuBoundRate()).isPresent();
    assertThat(report.table()).contains("Elasticsearch's own CPU");
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("warm-up")
        .contains("[process] elasticsearch")
        .contains("CPU per indexed event:")
        .contains("CPU per document:");
    assertThat(report.json())
        .contains("\"collector\"")
        .contains("\"indexed\"")
        .contains("\"elasticsearchAlone\"");
  }
}
