package org.vigil.app.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.app.kafka.EmbeddedKafka;
import org.vigil.app.kafka.KafkaTopics;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.collectors.netflow.NetflowInput;
import org.vigil.collectors.netflow.NetflowServer;
import org.vigil.collectors.netflow.NetflowServerConfig;
import org.vigil.collectors.netty.ListenerBinding;
import org.vigil.collectors.syslog.SyslogServer;
import org.vigil.collectors.syslog.SyslogServerConfig;
import org.vigil.model.Payloads;
import org.vigil.model.Topics;

/**
 * A collector on its own: an embedded Kafka node and one collector publishing into it, nothing
 * reading. What reaches the collector's raw topic is what the collector took, so Kafka's end
 * offsets measure the collector's throughput without Flink or Elasticsearch competing for the two
 * cores.
 *
 * @param <C> the collector, stopped with the stack
 */
final class CollectorOnlyStack<C extends AutoCloseable> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CollectorOnlyStack.class);

  /** Starts a collector that publishes through the stack's Kafka. */
  @FunctionalInterface
  interface CollectorStart<C extends AutoCloseable> {
    /** Returns the started collector; the stack stops it before Kafka. */
    C start(RawRecordPublisher publisher) throws Exception;
  }

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final String rawTopic;
  private C collector;
  private String bootstrapServers;
  private Admin admin;
  private List<TopicPartition> partitions;

  private CollectorOnlyStack(String rawTopic) {
    this.rawTopic = rawTopic;
  }

  /**
   * The syslog collector on a free port on 127.0.0.1, counted in {@link Topics#RAW_SYSLOG}, with
   * the data under {@code dataDir}; its UDP socket asks for {@code udpReceiveBufferBytes}.
   */
  static CollectorOnlyStack<SyslogServer> syslog(Path dataDir, int udpReceiveBufferBytes)
      throws Exception {
    CollectorOnlyStack<SyslogServer> stack =
        start(
            dataDir,
            Topics.RAW_SYSLOG,
            "vigil-bench-collector",
            publisher -> {
              SyslogServer syslog =
                  new SyslogServer(
                      SyslogServerConfig.defaults("vigil-bench")
                          .withBindHost("127.0.0.1")
                          .withPort(0)
                          .withUdpReceiveBuffer(udpReceiveBufferBytes),
                      publisher);
              syslog.start();
              return syslog;
            });
    LOG.info(
        "bench collector on 127.0.0.1:{} into Kafka {}",
        stack.collector().port(),
        stack.bootstrapServers());
    return stack;
  }

  /**
   * What the kernel granted a collector's UDP socket, and how to get what was asked when it granted
   * less: with a smaller buffer a UDP run measures the machine's limit, not the collector.
   */
  static String receiveBufferLine(int asked, OptionalInt granted) {
    if (granted.isEmpty()) {
      return String.format(
          Locale.ROOT,
          "collector: UDP receive buffer: %d bytes asked for, granted unknown%n",
          asked);
    }
    if (granted.getAsInt() >= asked) {
      return String.format(
          Locale.ROOT, "collector: UDP receive buffer: %d bytes, as asked%n", granted.getAsInt());
    }
    return "collector: "
        + ListenerBinding.cappedReceiveBuffer("UDP", granted.getAsInt(), asked)
        + System.lineSeparator();
  }

  /**
   * The NetFlow collector with its v9 and IPFIX UDP inputs on free ports on 127.0.0.1 (IPFIX over
   * TCP off), counted in {@link Topics#RAW_NETFLOW}, with the data under {@code dataDir}.
   */
  static CollectorOnlyStack<NetflowServer> netflow(Path dataDir) throws Exception {
    CollectorOnlyStack<NetflowServer> stack =
        start(
            dataDir,
            Topics.RAW_NETFLOW,
            "vigil-bench-netflow",
            publisher -> {
              NetflowServer netflow =
                  new NetflowServer(
                      NetflowServerConfig.defaults("vigil-bench")
                          .withBindHost("127.0.0.1")
                          .withPorts(0, 0, NetflowServerConfig.DISABLED),
                      publisher);
              netflow.start();
              return netflow;
            });
    LOG.info(
        "bench NetFlow collector on 127.0.0.1:{} (v9) and :{} (IPFIX) into Kafka {}",
        stack.collector().port(NetflowInput.NETFLOW_UDP),
        stack.collector().port(NetflowInput.IPFIX_UDP),
        stack.bootstrapServers());
    return stack;
  }

  /**
   * Starts Kafka on free ports on 127.0.0.1 with the data under {@code dataDir}, then the collector
   * publishing as {@code clientId}; {@link #rawRecords()} counts {@code rawTopic}.
   */
  static <C extends AutoCloseable> CollectorOnlyStack<C> start(
      Path dataDir, String rawTopic, String clientId, CollectorStart<C> collector)
      throws Exception {
    CollectorOnlyStack<C> stack = new CollectorOnlyStack<>(rawTopic);
    try {
      stack.startAll(dataDir, clientId, collector);
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  private void startAll(Path dataDir, String clientId, CollectorStart<C> start) throws Exception {
    EmbeddedKafka kafka =
        EmbeddedKafka.start(
            EmbeddedKafka.Settings.defaults(dataDir)
                .withPorts(FreePorts.tcp(), FreePorts.tcp())
                // Records are counted, not kept: a small bound keeps a long run off the disk.
                .withRetention(Duration.ofHours(1), 1L << 30));
    started.push(kafka);
    bootstrapServers = kafka.bootstrapServers();
    KafkaTopics.ensure(bootstrapServers, KafkaTopics.DEFAULT_PARTITIONS);
    admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    started.push(admin);
    partitions =
        admin
            .describeTopics(List.of(rawTopic))
            .allTopicNames()
            .get()
            .get(rawTopic)
            .partitions()
            .stream()
            .map(p -> new TopicPartition(rawTopic, p.partition()))
            .toList();
    RawRecordPublisher publisher = RawRecordPublisher.create(bootstrapServers, clientId, Map.of());
    started.push(() -> publisher.close(Duration.ofSeconds(10)));
    collector = start.start(publisher);
    started.push(collector);
  }

  C collector() {
    return collector;
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /** Records in the raw topic, all partitions summed. */
  long rawRecords() throws Exception {
    return endOffsets().values().stream().mapToLong(Long::longValue).sum();
  }

  /** Each partition's end offset in the raw topic. */
  Map<TopicPartition, Long> endOffsets() throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
    Map<TopicPartition, Long> offsets = new HashMap<>();
    admin
        .listOffsets(latest)
        .all()
        .get(10, TimeUnit.SECONDS)
        .forEach((partition, info) -> offsets.put(partition, info.offset()));
    return offsets;
  }

  /**
   * Messages in the raw topic's records from {@code from} (as {@link #endOffsets} gave them) to its
   * end: a collector that gathers several messages into one record ({@link Payloads}, as the Beats
   * collector does) is counted by its messages, so the figure compares with what its clients sent.
   * Reads the records' headers.
   *
   * @throws IllegalStateException when the records cannot all be read within a minute
   */
  long rawPayloadsSince(Map<TopicPartition, Long> from) throws Exception {
    Map<TopicPartition, Long> end = endOffsets();
    long payloads = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(partitions);
      partitions.forEach(p -> consumer.seek(p, from.getOrDefault(p, 0L)));
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read the raw topic " + rawTopic + " to its end within a minute");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
            Header count = record.headers().lastHeader(Payloads.HEADER_COUNT);
            payloads += Payloads.count(count == null ? null : count.value());
          }
        }
      }
    }
    return payloads;
  }

  /**
   * The kernel's drops between two readings of its counter, -1 when either could not be read (no
   * /proc/net/udp): unknown is not zero.
   */
  static long dropsBetween(OptionalLong before, OptionalLong after) {
    return before.isPresent() && after.isPresent() ? after.getAsLong() - before.getAsLong() : -1;
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
