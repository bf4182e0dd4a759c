package org.vigil.app.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.app.PortCheck;

/**
 * A single Kafka node, broker and KRaft controller in one, running inside this JVM: the all-in-one
 * setup's durable buffer between the collectors and the correlation job.
 *
 * <p>Its storage lives under {@code <dataDir>/kafka} and survives restarts: the storage is
 * formatted (a new cluster id, the metadata log) only when {@code meta.properties} is absent. The
 * quorum is static (one voter at the controller port), so the controller port may change between
 * runs. Clients connect to {@code 127.0.0.1:<port>}; nothing listens on other interfaces.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /**
   * How the node is set up.
   *
   * @param dataDir the Vigil data folder; Kafka keeps its logs in {@code dataDir/kafka}
   * @param port the client (PLAINTEXT) port on 127.0.0.1
   * @param controllerPort the KRaft controller port on 127.0.0.1
   * @param retention how long records are kept before their segment may be deleted
   * @param retentionBytesPerPartition how large one partition may grow before old segments are
   *     deleted, or -1 for no size bound
   * @param overrides further broker settings, applied last (e.g. {@code num.io.threads})
   */
  public record Settings(
      Path dataDir,
      int port,
      int controllerPort,
      Duration retention,
      long retentionBytesPerPartition,
      Map<String, String> overrides) {
    public static final int DEFAULT_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final long DEFAULT_RETENTION_BYTES = 1L << 30;

    public Settings {
      Objects.requireNonNull(dataDir, "dataDir");
      checkPort("Kafka", port);
      checkPort("Kafka controller", controllerPort);
      if (port == controllerPort) {
        throw new IllegalArgumentException(
            "the Kafka port and the Kafka controller port must differ, both are " + port);
      }
      retention = retention == null ? DEFAULT_RETENTION : retention;
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("Kafka retention must be positive: " + retention);
      }
      if (retentionBytesPerPartition == 0 || retentionBytesPerPartition < -1) {
        throw new IllegalArgumentException(
            "Kafka retention bytes must be positive or -1 (unbounded): "
                + retentionBytesPerPartition);
      }
      overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    }

    /** Ports 9092 and 9093, seven days or 1 GiB per partition. */
    public static Settings defaults(Path dataDir) {
      return new Settings(
          dataDir,
          DEFAULT_PORT,
          DEFAULT_CONTROLLER_PORT,
          DEFAULT_RETENTION,
          DEFAULT_RETENTION_BYTES,
          Map.of());
    }

    public Settings withPorts(int newPort, int newControllerPort) {
      return new Settings(
          dataDir, newPort, newControllerPort, retention, retentionBytesPerPartition, overrides);
    }

    public Settings withRetention(Duration newRetention, long newRetentionBytesPerPartition) {
      return new Settings(
          dataDir, port, controllerPort, newRetention, newRetentionBytesPerPartition, overrides);
    }

    public Settings withOverrides(Map<String, String> newOverrides) {
      return new Settings(
          dataDir, port, controllerPort, retention, retentionBytesPerPartition, newOverrides);
    }

    /** Where Kafka keeps its logs and metadata. */
    public Path logDir() {
      return dataDir.resolve("kafka");
    }

    private static void checkPort(String what, int p) {
      if (p < 1 || p > 65_535) {
        throw new IllegalArgumentException(what + " port " + p + " is out of range 1-65535");
      }
    }
  }

  private final Settings settings;
  // Guarded by this; null while stopped. A KafkaRaftServer cannot start twice, so every start
  // makes a new one over the same storage.
  private KafkaRaftServer server;
  private boolean closed;

  private EmbeddedKafka(Settings settings) {
    this.settings = settings;
  }

  /**
   * Formats the storage if it is new, starts the node and waits until it takes requests.
   *
   * @throws IllegalStateException when a port is taken (naming it), or the node does not become
   *     ready in time
   * @throws IOException when the data folder cannot be created or formatted
   */
  public static EmbeddedKafka start(Settings settings) throws IOException, InterruptedException {
    Objects.requireNonNull(settings, "settings");
    requireFree(settings.port(), "Kafka");
    requireFree(settings.controllerPort(), "Kafka controller");
    Files.createDirectories(settings.logDir());
    EmbeddedKafka kafka = new EmbeddedKafka(settings);
    synchronized (kafka) {
      kafka.startServer();
    }
    return kafka;
  }

  /**
   * Starts a node over the storage, formatting it first when it is new; closes this on failure.
   * Called holding the lock.
   */
  private void startServer() throws IOException, InterruptedException {
    Path logDir = settings.logDir();
    KafkaConfig config = new KafkaConfig(brokerProperties(settings), false);
    long begin = System.nanoTime();
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      format(logDir);
    }
    server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
      awaitReady();
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
    LOG.info(
        "Kafka ready on {} (data in {}) after {} ms",
        bootstrapServers(),
        logDir,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
  }

  private static Properties brokerProperties(Settings s) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + s.controllerPort());
    p.put(
        "listeners",
        "PLAINTEXT://"
            + HOST
            + ":"
            + s.port()
            + ",CONTROLLER://"
            + HOST
            + ":"
            + s.controllerPort());
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + s.port());
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", s.logDir().toAbsolutePath().toString());
    // Topics are created on purpose, with their partitions and policies, by KafkaTopics.
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    // One node: every internal topic has one replica, and fewer partitions than the default 50
    // keep the first consumer group's start quick.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.retention.ms", String.valueOf(s.retention().toMillis()));
    p.put("log.retention.bytes", String.valueOf(s.retentionBytesPerPartition()));
    p.put("log.retention.check.interval.ms", String.valueOf(Duration.ofMinutes(5).toMillis()));
    // The cleaner only compacts vigil.rules and the offsets: 128 MiB of dedupe buffer is waste.
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8L << 20));
    p.put("log.cleaner.threads", "1");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.putAll(s.overrides());
    return p;
  }

  private static void format(Path logDir) throws IOException {
    String dir = logDir.toAbsolutePath().toString();
    Formatter formatter =
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setNodeId(NODE_ID)
            .setClusterId(Uuid.randomUuid().toString())
            .setDirectories(List.of(dir))
            .setMetadataLogDirectory(dir)
            .setControllerListenerName("CONTROLLER")
            .setReleaseVersion(MetadataVersion.latestProduction())
            .setIgnoreFormatted(false);
    try {
      formatter.run();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot format Kafka storage in " + dir + ": " + e.getMessage(), e);
    }
    LOG.info("formatted new Kafka storage in {}", dir);
  }

  /**
   * Fails with a one-line message when something already listens on the port, before Kafka starts:
   * Kafka itself would fail later with a long stack trace.
   */
  static void requireFree(int port, String what) {
    PortCheck.tcpBindFailure(HOST, port)
        .ifPresent(
            e -> {
              throw new IllegalStateException(
                  what
                      + " port "
                      + port
                      + " on "
                      + HOST
                      + " is already in use: stop the process using it (is another Vigil or Kafka"
                      + " running?) or configure another "
                      + what
                      + " port",
                  e);
            });
  }

  private void awaitReady() throws InterruptedException {
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Exception last = null;
    try (Admin admin = Admin.create(config)) {
      while (System.nanoTime() < deadline) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          last = e;
        }
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(
        "Kafka on " + bootstrapServers() + " did not become ready in " + READY_TIMEOUT, last);
  }

  /** {@code 127.0.0.1:<port>}, for clients' {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return HOST + ":" + settings.port();
  }

  public Settings settings() {
    return settings;
  }

  /** True from start until {@link #stop} or {@link #close}. */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /**
   * Stops the broker and the controller as an outage would, keeping the storage, so that {@link
   * #restart} brings the same topics, records and offsets back on the same ports. Clients see the
   * node go away and reconnect once it is back. Does nothing when already stopped.
   *
   * @throws IllegalStateException when closed
   */
  public synchronized void stop() {
    requireOpen();
    shutdownServer();
  }

  /**
   * Starts the node again over the same storage and ports after {@link #stop} (or stops it first
   * when it runs), and waits until it takes requests.
   *
   * @throws IllegalStateException when closed, when a port was taken meanwhile (naming it), or when
   *     the node does not become ready in time; the instance is closed after a failed start
   */
  public synchronized void restart() throws IOException, InterruptedException {
    requireOpen();
    shutdownServer();
    requireFree(settings.port(), "Kafka");
    requireFree(settings.controllerPort(), "Kafka controller");
    startServer();
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("Kafka on " + bootstrapServers() + " was closed");
    }
  }

  /** Stops the broker and the controller and waits until both have closed their ports. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    shutdownServer();
  }

  private void shutdownServer() {
    if (server == null) {
      return;
    }
    long begin = System.nanoTime();
    KafkaRaftServer stopping = server;
    server = null;
    stopping.shutdown();
    stopping.awaitShutdown();
    LOG.info(
        "Kafka on {} stopped after {} ms",
        bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
  }
}
