package org.vigil.correlation.netflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.correlation.netflow.NetflowCaptures.raw;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
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
import org.vigil.correlation.CorrelationConfig;
import org.vigil.correlation.CorrelationJob;
import org.vigil.correlation.source.DeadLetter;
import org.vigil.correlation.source.RawRecord;
import org.vigil.elasticsearch.ElasticsearchSettings;
import org.vigil.model.Envelope;
import org.vigil.model.Event;
import org.vigil.model.Protocol;
import org.vigil.model.Topics;
import org.vigil.model.Transport;

/**
 * The whole job in a MiniCluster at parallelism 2 with NetFlow/IPFIX datagrams of three exporters
 * in shuffled order (so data often comes before its template, and templates and data are read by
 * different source subtasks): every flow reaches the events sink once, beside the syslog events.
 */
class NetflowCorrelationJobTest {
  private static final Map<String, List<Object>> SINKS = new ConcurrentHashMap<>();

  @Test
  void indexesTheFlowsOfEveryExporterOnceWhateverTheOrderOfTemplatesAndData() throws Exception {
    List<RawRecord> netflow = new ArrayList<>();
    netflow.add(raw("netflow9_test_cisco_asa_1_tpl.dat", "192.0.2.1", 0, 0));
    netflow.add(raw("netflow9_test_cisco_asa_1_data.dat", "192.0.2.1", 0, 0)); // 14 flows
    netflow.add(raw("ipfix_test_netscaler_data.dat", "192.0.2.2", 0, 0)); // 3 flows
    netflow.add(raw("ipfix_test_netscaler_tpl.dat", "192.0.2.2", 0, 0));
    netflow.add(raw("netflow5.dat", "192.0.2.3", 0, 0)); // 2 flows
    netflow.add(raw(new byte[] {0, 9, 0}, "192.0.2.3", 0, 0)); // malformed
    Collections.shuffle(netflow, new Random(7));
    for (int i = 0; i < netflow.size(); i++) {
      netflow.get(i).offset = i;
    }
    List<RawRecord> syslog = List.of(syslog("<38>1 2026-11-25T10:00:00Z web01 sshd 1 - - hello"));

    String run = "run-" + System.nanoTime();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    CorrelationConfig config =
        new CorrelationConfig(
            "unused:9092",
            "test",
            ElasticsearchSettings.defaults(),
            ZoneOffset.UTC,
            Duration.ofDays(365L * 100),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            1000,
            null);
    new CorrelationJob(
            config,
            new CorrelationJob.RawSources(source(syslog), source(netflow), null),
            new CollectingSink<>(run + "-events"),
            new CollectingSink<>(run + "-alerts"),
            new CollectingSink<DeadLetter>(run + "-dead"))
        .build(env);
    env.execute("netflow-correlation-job-test");

    List<Event> events = collected(run + "-events");
    List<Event> flows = events.stream().filter(e -> "netflow.flow".equals(e.getDataset())).toList();
    assertThat(flows).hasSize(14 + 3 + 2);
    assertThat(flows.stream().map(Event::getId).distinct()).hasSize(19);
    assertThat(flows.stream().filter(e -> "192.0.2.2".equals(e.get("observer.ip")))).hasSize(3);
    assertThat(events).hasSize(19 + 1);
    List<DeadLetter> dead = collected(run + "-dead");
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).reason).contains("not decodable");
  }

  private static DataGeneratorSource<RawRecord> source(List<RawRecord> records) {
    List<RawRecord> input = List.copyOf(records);
    return new DataGeneratorSource<>(
        index -> input.get(index.intValue()), input.size(), TypeInformation.of(RawRecord.class));
  }

  private static RawRecord syslog(String line) {
    Envelope envelope = new Envelope(Protocol.SYSLOG, Transport.TCP, "192.0.2.9", 40000, 0, "test");
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
