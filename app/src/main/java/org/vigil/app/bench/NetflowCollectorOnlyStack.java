package org.vigil.app.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.app.kafka.EmbeddedKafka;
import org.vigil.app.kafka.KafkaTopics;
import org.vigil.bench.netflow.NetflowReplay;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.collectors.netflow.NetflowCollectorMetrics;
import org.vigil.collectors.netflow.NetflowInput;
import org.vigil.collectors.netflow.NetflowServer;
import org.vigil.collectors.netflow.NetflowServerConfig;
import org.vigil.model.Topics;

/**
 * The NetFlow collector on its own: an embedded Kafka node and the collector publishing into it,
 * nothing reading. Records in the raw NetFlow topic are datagrams the collector took, so Kafka's
 * end offsets measure it without Flink or Elasticsearch competing for the cores.
 */
final class NetflowCollectorOnlyStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NetflowCollectorOnlyStack.class);
  private static final List<NetflowInput> UDP_INPUTS =
      List.of(NetflowInput.NETFLOW_UDP, NetflowInput.IPFIX_UDP);

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private NetflowServer netflow;
  private Admin admin;
  private List<TopicPartition> partitions;

  private NetflowCollectorOnlyStack() {}

  /** Starts Kafka and the collector on free ports on 127.0.0.1, with the data under {@code dir}. */
  static NetflowCollectorOnlyStack start(Path dir) throws Exception {
    NetflowCollectorOnlyStack stack = new NetflowCollectorOnlyStack();
    try {
      stack.startAll(dir);
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  private void startAll(Path dir) throws Exception {
    EmbeddedKafka kafka =
        EmbeddedKafka.start(
            EmbeddedKafka.Settings.defaults(dir)
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
    partitions =
        admin
            .describeTopics(List.of(Topics.RAW_NETFLOW))
            .allTopicNames()
            .get()
            .get(Topics.RAW_NETFLOW)
            .partitions()
            .stream()
            .map(p -> new TopicPartition(Topics.RAW_NETFLOW, p.partition()))
            .toList();
    RawRecordPublisher publisher =
        RawRecordPublisher.create(kafka.bootstrapServers(), "vigil-bench-netflow", Map.of());
    started.push(() -> publisher.close(Duration.ofSeconds(10)));
    netflow =
        new NetflowServer(
            NetflowServerConfig.defaults("vigil-bench")
                .withBindHost("127.0.0.1")
                .withPorts(0, 0, NetflowServerConfig.DISABLED),
            publisher);
    netflow.start();
    started.push(netflow);
    LOG.info(
        "bench NetFlow collector on 127.0.0.1:{} (v9) and :{} (IPFIX) into Kafka {}",
        netflow.port(NetflowInput.NETFLOW_UDP),
        netflow.port(NetflowInput.IPFIX_UDP),
        kafka.bootstrapServers());
  }

  NetflowReplay.Target target() {
    return new NetflowReplay.Target(
        new InetSocketAddress("127.0.0.1", netflow.port(NetflowInput.NETFLOW_UDP)),
        new InetSocketAddress("127.0.0.1", netflow.port(NetflowInput.IPFIX_UDP)));
  }

  /** Records in the raw NetFlow topic, all partitions summed: datagrams published. */
  long rawNetflowRecords() throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
    long sum = 0;
    for (ListOffsetsResult.ListOffsetsResultInfo info :
        admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values()) {
      sum += info.offset();
    }
    return sum;
  }

  NetflowCollectorMetrics metrics() {
    return netflow.metrics();
  }

  /** Datagrams the collector dropped itself on both UDP inputs (Kafka refused them). */
  long collectorDrops() {
    return UDP_INPUTS.stream().mapToLong(i -> netflow.metrics().dropped(i)).sum();
  }

  /** Datagrams received on both UDP inputs. */
  long received() {
    return UDP_INPUTS.stream().mapToLong(i -> netflow.metrics().received(i)).sum();
  }

  /** The kernel's drops on both UDP ports, empty where /proc/net/udp cannot be read. */
  OptionalLong kernelDrops() {
    long sum = 0;
    for (NetflowInput input : UDP_INPUTS) {
      OptionalLong d = netflow.kernelUdpDrops(input);
      if (d.isEmpty()) {
        return OptionalLong.empty();
      }
      sum += d.getAsLong();
    }
    return OptionalLong.of(sum);
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
