package org.vigil.app.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.app.kafka.EmbeddedKafka;
import org.vigil.app.kafka.KafkaTopics;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.collectors.syslog.SyslogCollectorMetrics;
import org.vigil.collectors.syslog.SyslogServer;
import org.vigil.collectors.syslog.SyslogServerConfig;
import org.vigil.model.Topics;

/**
 * The collector on its own: an embedded Kafka node and the syslog collector publishing into it,
 * nothing reading. What reaches the raw syslog topic is what the collector took, so Kafka's end
 * offsets measure the collector's throughput without Flink or Elasticsearch competing for the two
 * cores.
 */
final class CollectorOnlyStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CollectorOnlyStack.class);

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private SyslogServer syslog;
  private Admin admin;
  private List<TopicPartition> partitions;

  private CollectorOnlyStack() {}

  /**
   * Starts Kafka and the collector on free ports on 127.0.0.1, with the data under {@code dataDir}.
   */
  static CollectorOnlyStack start(Path dataDir) throws Exception {
    CollectorOnlyStack stack = new CollectorOnlyStack();
    try {
      stack.startAll(dataDir);
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  private void startAll(Path dataDir) throws Exception {
    EmbeddedKafka kafka =
        EmbeddedKafka.start(
            EmbeddedKafka.Settings.defaults(dataDir)
                .withPorts(FreePorts.tcp(), FreePorts.tcp())
                // Records are counted, not kept: a small bound keeps a long run off the disk.
                .withRetention(Duration.ofHours(1), 1L << 30));
    started.push(kafka);
    KafkaTopics.ensure(kafka.bootstrapServers(), KafkaTopics.DEFAULT_PARTITIONS);
    admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    started.push(admin);
    TopicDescription topic =
        admin
            .describeTopics(List.of(Topics.RAW_SYSLOG))
            .allTopicNames()
            .get()
            .get(Topics.RAW_SYSLOG);
    partitions =
        topic.partitions().stream()
            .map(p -> new TopicPartition(Topics.RAW_SYSLOG, p.partition()))
            .toList();
    RawRecordPublisher publisher =
        RawRecordPublisher.create(kafka.bootstrapServers(), "vigil-bench-collector", Map.of());
    started.push(() -> publisher.close(Duration.ofSeconds(10)));
    syslog =
        new SyslogServer(
            SyslogServerConfig.defaults("vigil-bench").withBindHost("127.0.0.1").withPort(0),
            publisher);
    syslog.start();
    started.push(syslog);
    LOG.info(
        "bench collector on 127.0.0.1:{} into Kafka {}", syslog.port(), kafka.bootstrapServers());
  }

  int syslogPort() {
    return syslog.port();
  }

  /** Records in the raw syslog topic, all partitions summed. */
  long rawSyslogRecords() throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
    long sum = 0;
    for (ListOffsetsResult.ListOffsetsResultInfo info :
        admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values()) {
      sum += info.offset();
    }
    return sum;
  }

  SyslogCollectorMetrics metrics() {
    return syslog.metrics();
  }

  OptionalLong kernelUdpDrops() {
    return syslog.kernelUdpDrops();
  }

  @Override
  public void close() {
    while (!started.isEmpty()) {
      AutoCloseable c = started.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
