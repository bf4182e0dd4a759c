package org.vigil.dashboards;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the correlation job's consumer group trails the raw topics: the sum over partitions of
 * the latest offset minus the group's committed one. Flink commits at each checkpoint, so a lag of
 * one checkpoint interval's input is normal.
 */
public final class KafkaLagProbe implements HealthProbe {
  private final String bootstrap;
  private final String group;
  private final long yellowLag;
  private final long redLag;

  /**
   * @param yellowLag records behind from which the job is called slow
   * @param redLag records behind from which it is called stuck
   */
  public KafkaLagProbe(String bootstrap, String group, long yellowLag, long redLag) {
    if (bootstrap == null || bootstrap.isBlank() || group == null || group.isBlank()) {
      throw new IllegalArgumentException("the Kafka lag probe needs bootstrap servers and a group");
    }
    if (yellowLag < 0 || redLag < yellowLag) {
      throw new IllegalArgumentException(
          "lag thresholds must be 0 <= yellow <= red: " + yellowLag + ", " + redLag);
    }
    this.bootstrap = bootstrap;
    this.group = group;
    this.yellowLag = yellowLag;
    this.redLag = redLag;
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public ComponentHealth probe() throws Exception {
    Properties props = new Properties();
    int timeout = (int) TIMEOUT.toMillis();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-dashboard-health");
    // A health poll must not leave a client retrying in the background.
    props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, timeout);
    Admin admin = Admin.create(props);
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          new HashMap<>(
              admin
                  .listConsumerGroupOffsets(group)
                  .partitionsToOffsetAndMetadata()
                  .get(timeout, TimeUnit.MILLISECONDS));
      committed.values().removeIf(o -> o == null);
      if (committed.isEmpty()) {
        return new ComponentHealth(
            name(),
            HealthStatus.YELLOW,
            "group " + group + " has committed no offsets",
            "The correlation job commits its Kafka offsets at each checkpoint: check that the job"
                + " is running and completing checkpoints.");
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(timeout, TimeUnit.MILLISECONDS);
      long lag = 0;
      for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
        ListOffsetsResult.ListOffsetsResultInfo end = ends.get(e.getKey());
        if (end != null) {
          lag += Math.max(0, end.offset() - e.getValue().offset());
        }
      }
      return health(lag, committed.size());
    } finally {
      // The default close waits for pending calls without bound.
      admin.close(Duration.ofMillis(200));
    }
  }

  ComponentHealth health(long lag, int partitions) {
    String detail =
        "group " + group + " lags " + lag + " records on " + partitions + " partition(s)";
    if (lag >= redLag) {
      return new ComponentHealth(
          name(),
          HealthStatus.RED,
          detail,
          "The correlation job is far behind: check the Flink job state and checkpoints below, and"
              + " its task managers' CPU and Elasticsearch's indexing rate.");
    }
    if (lag >= yellowLag) {
      return new ComponentHealth(
          name(),
          HealthStatus.YELLOW,
          detail,
          "The correlation job is falling behind: check the incoming rate against its"
              + " parallelism and Elasticsearch's indexing latency.");
    }
    return ComponentHealth.green(name(), detail);
  }

  @Override
  public String unreachable() {
    return "Kafka does not answer: check that the broker at "
        + bootstrap
        + " is running and"
        + " reachable from the dashboard.";
  }
}
