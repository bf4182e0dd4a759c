package org.vigil.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.correlation.source.DeadLetter;
import org.vigil.correlation.source.RawRecord;
import org.vigil.elasticsearch.ElasticsearchSettings;
import org.vigil.model.Alert;
import org.vigil.model.Envelope;
import org.vigil.model.Event;
import org.vigil.model.Protocol;
import org.vigil.model.Topics;
import org.vigil.model.Transport;

/**
 * The whole job in a MiniCluster at parallelism 2, with shuffled (out-of-order) input from test
 * sources into collecting sinks: what reaches the sinks is what would reach Elasticsearch.
 */
class CorrelationJobTest {
  private static final Map<String, List<Object>> SINKS = new ConcurrentHashMap<>();
  private static final long T0 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();

  @Test
  void anUnreadableSourceZonesFileStopsTheBuildNamingTheFile(@TempDir Path dir) {
    String missing = dir.resolve("zones.txt").toString();
    CorrelationConfig config =
        CorrelationConfig.defaults("unused:9092", ElasticsearchSettings.defaults())
            .withSourceZonesFile(missing);
    CorrelationJob job =
        new CorrelationJob(
            config, new CorrelationJob.RawSources(null, null, null), null, null, null);

    assertThatThrownBy(() -> job.build(StreamExecutionEnvironment.getExecutionEnvironment()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing)
        .hasMessageNotContaining("\n");
  }

  @Test
  void aWrongThreatIntelFeedStopsTheBuildNamingFileAndLine(@TempDir Path dir) throws Exception {
    Path feed = dir.resolve("partner.csv");
    Files.writeString(feed, "indicator\n203.0.113.5\n");
    CorrelationConfig config =
        CorrelationConfig.defaults("unused:9092", ElasticsearchSettings.defaults())
            .withIntelPaths(List.of(feed.toString()));
    CorrelationJob job =
        new CorrelationJob(
            config, new CorrelationJob.RawSources(null, null, null), null, null, null);

    assertThatThrownBy(() -> job.build(StreamExecutionEnvironment.getExecutionEnvironment()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(feed + ": line 1: the header must name at least the columns");
  }

  @Test
  void raisesExactlyOneAlertForABurstAndNoneBelowThresholdOrSpreadOut(@TempDir Path dir)
      throws Exception {
    Path agencies = dir.resolve("agencies.txt");
    Files.writeString(agencies, "192.0.2.0/24 health-dept\n10.0.0.0/8 other\n");
    Path assets = dir.resolve("assets.csv");
    Files.writeString(
        assets,
        "cidr,agency,asset,owner,criticality\n192.0.2.1/32,health-dept,web01,web-team,low\n");
    Path intel = dir.resolve("intel");
    Files.createDirectory(intel);
    Files.writeString(intel.resolve("scanners.txt"), "# known SSH scanners\n203.0.113.9\n");
    // A: six failures within 6 s. B: four failures. C: five failures over eight minutes. The
    // first five seconds arrive shuffled, within the job's five-second bound on disorder; later
    // records in time order. Disorder beyond the bound makes events late, and which ones depends
    // on how the two parallel watermarks interleave, so the test keeps to what the job promises.
    List<RawRecord> records = new ArrayList<>();
    List<RawRecord> later = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      (i < 5 ? records : later).add(failure("203.0.113.9", "root", T0 + i * 1000L));
    }
    for (int i = 0; i < 4; i++) {
      records.add(failure("198.51.100.4", "bob", T0 + i * 1000L));
    }
    for (int i = 0; i < 5; i++) {
      (i == 0 ? records : later).add(failure("192.0.2.50", "carol", T0 + i * 120_000L));
    }
    records.add(raw("", T0 + 500)); // nothing to parse: still indexed, and dead-lettered
    Collections.shuffle(records, new Random(42));
    records.addAll(later);
    for (int i = 0; i < records.size(); i++) {
      records.get(i).offset = i;
    }

    String run = "run-" + System.nanoTime();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    List<RawRecord> input = List.copyOf(records);
    DataGeneratorSource<RawRecord> source =
        new DataGeneratorSource<>(
            index -> input.get(index.intValue()),
            input.size(),
            TypeInformation.of(RawRecord.class));
    CorrelationConfig config =
        new CorrelationConfig(
                "unused:9092",
                "test",
                ElasticsearchSettings.defaults(),
                ZoneOffset.UTC,
                Duration.ofDays(3650),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                1000,
                null)
            .withOrganizationsFile(agencies.toString())
            .withAssetsFile(assets.toString())
            .withIntelPaths(List.of(intel.toString()));
    new CorrelationJob(
            config,
            source,
            new CollectingSink<>(run + "-events"),
            new CollectingSink<>(run + "-alerts"),
            new CollectingSink<DeadLetter>(run + "-dead"))
        .build(env);
    env.execute("correlation-job-test");

    List<Event> events = collected(run + "-events");
    assertThat(events).hasSize(16);
    assertThat(events.stream().map(Event::getId).distinct()).hasSize(16);
    assertThat(events.stream().filter(e -> "failure".equals(e.getOutcome()))).hasSize(15);
    assertThat(events.stream().filter(e -> e.has("tags", "parse_failure"))).hasSize(1);
    assertThat(collected(run + "-dead")).hasSize(1);
    assertThat(events).allSatisfy(e -> assertThat(e.getOrganizationId()).isEqualTo("health-dept"));
    assertThat(events)
        .allSatisfy(e -> assertThat(e.text("vigil.asset.name")).isEqualTo("web01"))
        .allSatisfy(e -> assertThat(e.text("vigil.asset.criticality")).isEqualTo("low"));
    assertThat(events.stream().filter(e -> e.has("tags", "threat_intel_match")))
        .hasSize(6)
        .allSatisfy(
            e -> {
              assertThat(e.text("threat.enrichments.matched.field")).isEqualTo("source.ip");
              assertThat(e.text("threat.enrichments.indicator.provider")).isEqualTo("scanners.txt");
            });

    Map<String, Alert> latest = new LinkedHashMap<>();
    for (Object o : collected(run + "-alerts")) {
      Alert a = (Alert) o;
      latest.merge(a.id(), a, (x, y) -> x.count() >= y.count() ? x : y);
    }
    // The attacker is also on a threat-intel list: one alert per rule, each folding its six events.
    assertThat(latest.values())
        .extracting(Alert::ruleId)
        .containsExactlyInAnyOrder("auth-brute-force", "intel-indicator-match");
    assertThat(latest.values())
        .filteredOn(a -> a.ruleId().equals("intel-indicator-match"))
        .singleElement()
        .satisfies(a -> assertThat(a.count()).isEqualTo(6));
    Alert alert =
        latest.values().stream()
            .filter(a -> a.ruleId().equals("auth-brute-force"))
            .findFirst()
            .orElseThrow();
    assertThat(alert.group()).containsEntry("source.ip", "203.0.113.9");
    assertThat(alert.count()).isEqualTo(6);
    assertThat(alert.firstSeen()).isEqualTo(T0);
    assertThat(alert.lastSeen()).isEqualTo(T0 + 5000);
    assertThat(alert.techniqueId()).isEqualTo("T1110");
    assertThat(alert.evidence()).hasSize(6);
    assertThat(alert.organizationId()).isEqualTo("health-dept");
    assertThat(alert.riskScore()).as("high severity 73 on a low-criticality asset").isEqualTo(37);
  }

  private static RawRecord failure(String sourceIp, String user, long time) {
    String line =
        "<38>1 "
            + Instant.ofEpochMilli(time)
            + " web01 sshd 2211 - - Failed password for "
            + user
            + " from "
            + sourceIp
            + " port 4242 ssh2";
    return raw(line, time);
  }

  private static RawRecord raw(String line, long receivedAt) {
    Envelope envelope =
        new Envelope(Protocol.SYSLOG, Transport.TCP, "192.0.2.1", 40000, receivedAt + 20, "test");
    return new RawRecord(Topics.RAW_SYSLOG, 0, 0, line.getBytes(StandardCharsets.UTF_8), envelope);
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> collected(String name) {
    return (List<T>) (List<?>) SINKS.getOrDefault(name, List.of());
  }

  /** Collects into a static list: the sink's writers run in the MiniCluster of this JVM. */
  private static final class CollectingSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private final String name;

    CollectingSink(String name) {
      this.name = name;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
      List<Object> list = SINKS.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>());
      return new SinkWriter<>() {
        @Override
        public void write(T element, Context ctx) {
          list.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
