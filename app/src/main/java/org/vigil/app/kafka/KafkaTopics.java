package org.vigil.app.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.vigil.model.Topics;

/**
 * Creates Vigil's topics when they are missing. Existing topics are left as they are (their
 * partition count and settings are the operator's), so it is safe to call on every start.
 */
public final class KafkaTopics {
  public static final int DEFAULT_PARTITIONS = 2;
  private static final long TIMEOUT_SECONDS = 30;

  private KafkaTopics() {}

  /**
   * The topics Vigil needs: the raw topics and the dead-letter topic with {@code partitions}
   * partitions each, and the compacted single-partition rules and rules history topics.
   */
  public static List<NewTopic> definitions(int partitions, short replicationFactor) {
    if (partitions < 1) {
      throw new IllegalArgumentException("topic partitions must be at least 1: " + partitions);
    }
    List<NewTopic> topics = new ArrayList<>();
    for (String name :
        List.of(Topics.RAW_SYSLOG, Topics.RAW_NETFLOW, Topics.RAW_BEATS, Topics.DEADLETTER)) {
      topics.add(new NewTopic(name, partitions, replicationFactor));
    }
    // One partition keeps every rule pack update in one order; compaction keeps the latest per
    // pack.
    topics.add(
        new NewTopic(Topics.RULES, 1, replicationFactor)
            .configs(
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    // Every release by ruleset@version: compaction never drops one, so history outlives the
    // compaction of the rules topic.
    topics.add(
        new NewTopic(Topics.RULES_HISTORY, 1, replicationFactor)
            .configs(
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    return topics;
  }

  /**
   * Creates the missing topics with one replica, as on the embedded single node.
   *
   * @return the names of the topics created now (empty when all existed)
   * @throws IllegalStateException when Kafka cannot be reached or refuses a topic
   */
  public static Set<String> ensure(String bootstrap, int partitions) throws InterruptedException {
    return ensure(bootstrap, partitions, (short) 1);
  }

  /** As {@link #ensure(String, int)}, with a replication factor for a real cluster. */
  public static Set<String> ensure(String bootstrap, int partitions, short replicationFactor)
      throws InterruptedException {
    List<NewTopic> wanted = definitions(partitions, replicationFactor);
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    try (Admin admin = Admin.create(config)) {
      Map<String, KafkaFuture<Void>> results = admin.createTopics(wanted).values();
      Set<String> created = new java.util.TreeSet<>();
      for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
        try {
          result.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
          created.add(result.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create Kafka topic "
                    + result.getKey()
                    + " on "
                    + bootstrap
                    + ": "
                    + e.getCause().getMessage(),
                e.getCause());
          }
        } catch (TimeoutException e) {
          throw new IllegalStateException(
              "Kafka at " + bootstrap + " did not answer within " + TIMEOUT_SECONDS + " s", e);
        }
      }
      return created;
    }
  }
}
