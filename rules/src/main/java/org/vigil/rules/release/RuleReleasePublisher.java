package org.vigil.rules.release;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.vigil.model.Topics;
import org.vigil.rules.engine.RuleRelease;

/**
 * Reads and writes rule releases on the compacted topic {@code vigil.rules} (one partition, so
 * every release of every ruleset is in one order; keyed by ruleset id, so compaction keeps the
 * latest of each) and on {@code vigil.rules.history} (keyed {@code ruleset@version}, so compaction
 * keeps every release). Every Kafka call is bounded by the timeout: a wrong address fails with a
 * message that names it instead of hanging.
 */
public final class RuleReleasePublisher {
  private static final TopicPartition RULES = new TopicPartition(Topics.RULES, 0);
  private static final TopicPartition HISTORY = new TopicPartition(Topics.RULES_HISTORY, 0);

  private final String bootstrap;
  private final Duration timeout;

  /**
   * @param bootstrap Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}
   * @param timeout bound on each Kafka request, including the first connection
   */
  public RuleReleasePublisher(String bootstrap, Duration timeout) {
    this.bootstrap = bootstrap;
    this.timeout = timeout;
  }

  /**
   * The newest version published for the ruleset, or {@link RuleRelease#BUILT_IN_VERSION} when
   * there is none. Records that are not releases are skipped: a broken release still holds its
   * version number, so it is counted if it decodes at all.
   *
   * @throws KafkaUnreachableException when Kafka does not answer within the timeout
   */
  public int latestVersion(String ruleset) {
    int latest = RuleRelease.BUILT_IN_VERSION;
    for (RuleRelease release : history(ruleset)) {
      latest = Math.max(latest, release.version());
    }
    return latest;
  }

  /**
   * Every release of the ruleset, oldest first: those of {@code vigil.rules.history}, and the live
   * one of {@code vigil.rules} when the history lacks it (deployed before there was a history).
   *
   * @throws KafkaUnreachableException when Kafka does not answer within the timeout
   */
  public List<RuleRelease> history(String ruleset) {
    return allHistory().stream().filter(r -> r.ruleset().equals(ruleset)).toList();
  }

  /**
   * Every release of every ruleset, by ruleset then version: what the compliance reports read to
   * tell which rules ran when.
   *
   * @throws KafkaUnreachableException when Kafka does not answer within the timeout
   */
  public List<RuleRelease> allHistory() {
    Map<String, RuleRelease> byKey = new TreeMap<>();
    for (ConsumerRecord<String, byte[]> record : readAll(HISTORY)) {
      decode(record.value()).ifPresent(r -> byKey.put(key(r), r));
    }
    for (ConsumerRecord<String, byte[]> record : readAll(RULES)) {
      decode(record.value()).ifPresent(r -> byKey.putIfAbsent(key(r), r));
    }
    return List.copyOf(byKey.values());
  }

  /** Sorts by ruleset, then numerically by version. */
  private static String key(RuleRelease release) {
    return release.ruleset() + "@" + String.format(Locale.ROOT, "%010d", release.version());
  }

  private static Optional<RuleRelease> decode(byte[] value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(RuleRelease.fromJson(value));
    } catch (IllegalArgumentException notARelease) {
      return Optional.empty();
    }
  }

  /** Every record of a one-partition topic up to its current end; none when it does not exist. */
  private List<ConsumerRecord<String, byte[]>> readAll(TopicPartition partition) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      if (consumer.partitionsFor(partition.topic(), timeout).isEmpty()) {
        return records;
      }
      Map<TopicPartition, Long> ends = consumer.endOffsets(List.of(partition), timeout);
      long end = ends.getOrDefault(partition, 0L);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (consumer.position(partition, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new KafkaUnreachableException(
              "reading "
                  + partition.topic()
                  + " from Kafka at "
                  + bootstrap
                  + " (--kafka) timed out");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new KafkaUnreachableException(
          "Kafka at "
              + bootstrap
              + " (--kafka) did not answer within "
              + timeout.toSeconds()
              + " s",
          e);
    } catch (KafkaException e) {
      throw new KafkaUnreachableException(
          "cannot read " + partition.topic() + " from Kafka at " + bootstrap + " (--kafka): " + e,
          e);
    }
  }

  /**
   * Publishes the release to the history ({@code ruleset@version}) and then, keyed by its ruleset,
   * to the live rules topic, waiting each time for all in-sync replicas to hold it (acks=all,
   * idempotent, so a retried send is not written twice). History first: a release that went live is
   * always in the history.
   *
   * @throws KafkaUnreachableException when Kafka does not acknowledge within the timeout
   */
  public void publish(RuleRelease release) throws InterruptedException {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() * 2);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    // A ruleset's DRL files can be larger than the default 1 MiB record bound of the client.
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      byte[] value = release.toJson();
      producer
          .send(
              new ProducerRecord<>(
                  HISTORY.topic(),
                  HISTORY.partition(),
                  release.ruleset() + "@" + release.version(),
                  value))
          .get(timeout.toMillis() * 3, TimeUnit.MILLISECONDS);
      producer
          .send(new ProducerRecord<>(RULES.topic(), RULES.partition(), release.ruleset(), value))
          .get(timeout.toMillis() * 3, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new KafkaUnreachableException(
          "Kafka at " + bootstrap + " (--kafka) did not take the release: " + e.getCause(),
          e.getCause());
    } catch (java.util.concurrent.TimeoutException | KafkaException e) {
      throw new KafkaUnreachableException(
          "Kafka at " + bootstrap + " (--kafka) did not acknowledge the release: " + e, e);
    }
  }

  /** Kafka did not answer, or refused: the message names the address and {@code --kafka}. */
  public static final class KafkaUnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KafkaUnreachableException(String message) {
      super(message);
    }

    KafkaUnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
