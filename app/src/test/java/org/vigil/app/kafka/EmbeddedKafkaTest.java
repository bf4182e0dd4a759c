package org.vigil.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.app.bench.FreePorts;
import org.vigil.model.Topics;

class EmbeddedKafkaTest {
  @TempDir Path dataDir;

  @Test
  void runsTopicsAndRecordsAndFreesItsPortsAndKeepsDataAcrossRestart() throws Exception {
    int port = FreePorts.tcp();
    int controllerPort = FreePorts.tcp();
    EmbeddedKafka.Settings settings =
        EmbeddedKafka.Settings.defaults(dataDir).withPorts(port, controllerPort);

    try (EmbeddedKafka kafka = EmbeddedKafka.start(settings)) {
      assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
      assertThat(Files.exists(dataDir.resolve("kafka/meta.properties"))).isTrue();

      Set<String> created = KafkaTopics.ensure(kafka.bootstrapServers(), 3);
      assertThat(created)
          .containsExactlyInAnyOrder(
              Topics.RAW_SYSLOG,
              Topics.RAW_NETFLOW,
              Topics.RAW_BEATS,
              Topics.DEADLETTER,
              Topics.RULES,
              Topics.RULES_HISTORY);
      assertThat(KafkaTopics.ensure(kafka.bootstrapServers(), 3)).isEmpty();
      try (Admin admin = admin(kafka.bootstrapServers())) {
        Map<String, TopicDescription> topics =
            admin.describeTopics(List.of(Topics.RAW_SYSLOG, Topics.RULES)).allTopicNames().get();
        assertThat(topics.get(Topics.RAW_SYSLOG).partitions()).hasSize(3);
        assertThat(topics.get(Topics.RULES).partitions()).hasSize(1);
        ConfigResource rules = new ConfigResource(ConfigResource.Type.TOPIC, Topics.RULES);
        Config config = admin.describeConfigs(List.of(rules)).all().get().get(rules);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
      }

      try (KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers())) {
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(Topics.RAW_SYSLOG, 0, null, bytes("<38>hello"));
        record.headers().add("vigil.protocol", bytes("syslog"));
        producer.send(record).get();
      }
      ConsumerRecord<byte[], byte[]> read = readOne(kafka.bootstrapServers());
      assertThat(new String(read.value(), StandardCharsets.UTF_8)).isEqualTo("<38>hello");
      Header header = read.headers().lastHeader("vigil.protocol");
      assertThat(new String(header.value(), StandardCharsets.UTF_8)).isEqualTo("syslog");
    }

    assertThat(isFree(port)).as("client port free after close").isTrue();
    assertThat(isFree(controllerPort)).as("controller port free after close").isTrue();

    try (EmbeddedKafka again = EmbeddedKafka.start(settings)) {
      assertThat(KafkaTopics.ensure(again.bootstrapServers(), 3)).isEmpty();
      assertThat(new String(readOne(again.bootstrapServers()).value(), StandardCharsets.UTF_8))
          .isEqualTo("<38>hello");
    }
    assertThat(isFree(port)).isTrue();
  }

  @Test
  void stopFreesThePortsAndRestartServesTheSameRecordsOnThemWhileAClientWaits() throws Exception {
    int port = FreePorts.tcp();
    int controllerPort = FreePorts.tcp();
    EmbeddedKafka.Settings settings =
        EmbeddedKafka.Settings.defaults(dataDir).withPorts(port, controllerPort);

    try (EmbeddedKafka kafka = EmbeddedKafka.start(settings);
        KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers())) {
      KafkaTopics.ensure(kafka.bootstrapServers(), 1);
      producer.send(new ProducerRecord<>(Topics.RAW_SYSLOG, 0, null, bytes("before"))).get();

      kafka.stop();
      assertThat(kafka.isRunning()).isFalse();
      assertThat(isFree(port)).as("client port free while stopped").isTrue();
      assertThat(isFree(controllerPort)).as("controller port free while stopped").isTrue();
      kafka.stop();
      // Sent into the outage: with no broker left the client forgets the topic's metadata, so
      // send() itself waits (up to max.block.ms) until the node is back, then delivers.
      CompletableFuture<RecordMetadata> during =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return producer
                      .send(new ProducerRecord<>(Topics.RAW_SYSLOG, 0, null, bytes("during")))
                      .get();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });

      kafka.restart();
      assertThat(kafka.isRunning()).isTrue();
      assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
      assertThat(during.get(60, TimeUnit.SECONDS).offset()).isEqualTo(1);
      assertThat(KafkaTopics.ensure(kafka.bootstrapServers(), 1)).isEmpty();
      assertThat(readAll(kafka.bootstrapServers(), 2)).containsExactly("before", "during");
    }
    assertThat(isFree(port)).isTrue();
  }

  @Test
  void aClosedNodeCannotBeStoppedOrRestarted() throws Exception {
    EmbeddedKafka kafka =
        EmbeddedKafka.start(
            EmbeddedKafka.Settings.defaults(dataDir).withPorts(FreePorts.tcp(), FreePorts.tcp()));
    kafka.close();
    assertThat(kafka.isRunning()).isFalse();
    assertThatThrownBy(kafka::stop).hasMessageContaining("was closed");
    assertThatThrownBy(kafka::restart).hasMessageContaining("was closed");
  }

  @Test
  void aTakenPortFailsBeforeStartingWithOneLineNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      int port = taken.getLocalPort();
      EmbeddedKafka.Settings settings =
          EmbeddedKafka.Settings.defaults(dataDir).withPorts(port, FreePorts.tcp());
      assertThatThrownBy(() -> EmbeddedKafka.start(settings))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Kafka port " + port + " on 127.0.0.1 is already in use")
          .hasMessageNotContaining("\n");
      assertThat(Files.exists(dataDir.resolve("kafka"))).isFalse();
    }
  }

  @Test
  void settingsRejectClashingPortsAndBadRetention() {
    assertThatThrownBy(() -> EmbeddedKafka.Settings.defaults(dataDir).withPorts(9092, 9092))
        .hasMessageContaining("must differ");
    assertThatThrownBy(
            () -> EmbeddedKafka.Settings.defaults(dataDir).withRetention(Duration.ZERO, -1))
        .hasMessageContaining("retention");
    assertThatThrownBy(() -> KafkaTopics.definitions(0, (short) 1))
        .hasMessageContaining("at least 1");
  }

  private static ConsumerRecord<byte[], byte[]> readOne(String bootstrap) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      TopicPartition partition = new TopicPartition(Topics.RAW_SYSLOG, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      assertThat(records).hasSize(1);
      return records.get(0);
    }
  }

  private static List<String> readAll(String bootstrap, int expected) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      TopicPartition partition = new TopicPartition(Topics.RAW_SYSLOG, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      List<String> values = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
      }
      // One more poll: a duplicate would show up here.
      consumer
          .poll(Duration.ofMillis(500))
          .forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
      return values;
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class));
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
