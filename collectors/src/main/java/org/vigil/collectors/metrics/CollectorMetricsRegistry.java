package org.vigil.collectors.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.vigil.collectors.beats.BeatsServer;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.collectors.netflow.NetflowCollectorMetrics;
import org.vigil.collectors.netflow.NetflowInput;
import org.vigil.collectors.netflow.NetflowServer;
import org.vigil.collectors.syslog.SyslogCollectorMetrics;
import org.vigil.collectors.syslog.SyslogServer;
import org.vigil.model.Transport;

/**
 * The collector's meters in Prometheus form: the counters a {@link SyslogServer} and a {@link
 * RawRecordPublisher} already keep, read at scrape time, plus the JVM's own. Nothing is counted
 * twice: the servers stay the single source of truth, and a scrape only reads their atomics, so the
 * hot path pays nothing for being observed.
 *
 * <p>Names follow Prometheus conventions (Micrometer adds {@code _total}, {@code _bytes}, {@code
 * _seconds}). Each input is a tag, so dashboards sum over {@code input} rather than over names:
 *
 * <table>
 *   <caption>Meters of one syslog server</caption>
 *   <tr><th>name</th><th>tags</th></tr>
 *   <tr><td>{@code vigil_collector_received_total}</td>
 *       <td>{@code input=syslog_udp|syslog_tcp} (TCP includes TLS)</td></tr>
 *   <tr><td>{@code vigil_collector_received_bytes_total}</td><td>{@code input=syslog}</td></tr>
 *   <tr><td>{@code vigil_collector_truncated_total}</td><td>{@code input=syslog}</td></tr>
 *   <tr><td>{@code vigil_collector_framing_errors_total}</td><td>{@code input=syslog_tcp}</td></tr>
 *   <tr><td>{@code vigil_collector_dropped_total}</td>
 *       <td>{@code input=syslog_udp}, {@code reason=kafka_refused|kernel_receive_buffer}</td></tr>
 *   <tr><td>{@code vigil_collector_published_total}</td><td>{@code input=syslog}</td></tr>
 *   <tr><td>{@code vigil_collector_publish_failures_total}</td><td>{@code input=syslog}</td></tr>
 *   <tr><td>{@code vigil_collector_tls_handshake_failures_total}</td>
 *       <td>{@code input=syslog_tls}</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Meters of one NetFlow server, {@code input=netflow_udp|ipfix_udp|ipfix_tcp}, for
 *   the inputs it listens on</caption>
 *   <tr><th>name</th><th>tags</th></tr>
 *   <tr><td>{@code vigil_collector_received_total}</td><td>{@code input}</td></tr>
 *   <tr><td>{@code vigil_collector_received_bytes_total}</td><td>{@code input}</td></tr>
 *   <tr><td>{@code vigil_collector_malformed_total}</td><td>{@code input}</td></tr>
 *   <tr><td>{@code vigil_collector_framing_errors_total}</td><td>{@code input=ipfix_tcp}</td></tr>
 *   <tr><td>{@code vigil_collector_dropped_total}</td>
 *       <td>{@code input=netflow_udp|ipfix_udp},
 *       {@code reason=kafka_refused|kernel_receive_buffer}</td></tr>
 *   <tr><td>{@code vigil_collector_published_total}</td><td>{@code input}</td></tr>
 *   <tr><td>{@code vigil_collector_publish_failures_total}</td><td>{@code input}</td></tr>
 * </table>
 *
 * <p>{@code input=syslog} marks counters the server keeps for both transports together; they gain
 * per-transport tags once {@link SyslogCollectorMetrics} splits them. The Kafka publisher, shared
 * by every input, has no {@code input} tag: {@code vigil_collector_kafka_inflight_bytes}, {@code
 * vigil_collector_kafka_congested} (0 or 1), {@code vigil_collector_kafka_published_total}, {@code
 * vigil_collector_kafka_failed_total} and the {@code vigil_collector_kafka_send_seconds} histogram
 * (time from publish to Kafka's acknowledgement).
 */
public final class CollectorMetricsRegistry implements AutoCloseable {

  /** The Prometheus text exposition format that {@link #scrape()} writes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final String PREFIX = "vigil.collector.";

  /**
   * Histogram buckets of the send time, from a healthy local broker's few milliseconds up to the
   * producer's default {@code delivery.timeout.ms} of two minutes. Fixed buckets rather than
   * client-side percentiles: Prometheus computes quantiles from them with {@code
   * histogram_quantile}, and buckets, unlike percentiles, add up across collector instances.
   */
  private static final Duration[] SEND_BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(2)
  };

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  // Held here because FunctionCounter only keeps weak references to what it reads.
  private SyslogServer syslogServer;
  private KernelDrops kernelDrops;
  private NetflowServer netflowServer;
  private BeatsServer beatsServer;
  private final List<KernelDrops> netflowKernelDrops = new ArrayList<>();
  private RawRecordPublisher publisher;
  private boolean closed;

  /** A registry of its own, with the JVM's memory, GC, thread, class-loading and CPU meters. */
  public CollectorMetricsRegistry() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /**
   * Binds into an existing registry, without the JVM's meters (its owner decides on those).
   *
   * @param registry closed by {@link #close()}
   */
  public CollectorMetricsRegistry(PrometheusMeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Every meter, in the Prometheus text format ({@link #CONTENT_TYPE}). */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * Exposes a started syslog server's counters, and the kernel's drops on its UDP port where Linux
   * reports them.
   *
   * @throws IllegalStateException when the server is not started yet: its UDP port, and with it the
   *     kernel's drop count, is not known before
   */
  public synchronized void bindSyslog(SyslogServer server) {
    Objects.requireNonNull(server, "server");
    checkOpen();
    if (syslogServer != null) {
      throw new IllegalStateException(
          "a syslog server is already bound: its meters would hide the second one's");
    }
    try {
      server.port();
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "bind the syslog server's metrics after starting it: its ports are not known before", e);
    }
    SyslogCollectorMetrics metrics = server.metrics();
    counter("received", "Syslog messages received", metrics, "syslog_udp", m -> m.receivedUdp());
    counter("received", "Syslog messages received", metrics, "syslog_tcp", m -> m.receivedTcp());
    FunctionCounter.builder(PREFIX + "received.bytes", metrics, m -> (double) m.receivedBytes())
        .description("Message bytes received, counted before truncation")
        .baseUnit("bytes")
        .tags(Tags.of("input", "syslog"))
        .register(registry);
    counter(
        "truncated",
        "Messages cut to the maximum message size",
        metrics,
        "syslog",
        m -> m.truncated());
    counter(
        "framing.errors",
        "TCP lines dropped because their octet-count framing was broken",
        metrics,
        "syslog_tcp",
        m -> m.framingErrors());
    FunctionCounter.builder(PREFIX + "dropped", metrics, m -> (double) m.udpDropped())
        .description("Messages received and then lost")
        .tags(Tags.of("input", "syslog_udp", "reason", "kafka_refused"))
        .register(registry);
    counter("published", "Messages Kafka acknowledged", metrics, "syslog", m -> m.published());
    counter(
        "publish.failures",
        "Messages Kafka did not take",
        metrics,
        "syslog",
        m -> m.publishFailures());
    counter(
        "tls.handshake.failures",
        "TLS handshakes refused or failed",
        metrics,
        "syslog_tls",
        m -> m.tlsHandshakeFailures());
    if (server.kernelUdpDrops().isPresent()) {
      kernelDrops = new KernelDrops(server::kernelUdpDrops);
      FunctionCounter.builder(PREFIX + "dropped", kernelDrops, KernelDrops::read)
          .description("Messages received and then lost")
          .tags(Tags.of("input", "syslog_udp", "reason", "kernel_receive_buffer"))
          .register(registry);
    }
    syslogServer = server;
  }

  /**
   * Exposes a started NetFlow server's counters for each input it listens on, and the kernel's
   * drops on its UDP ports where Linux reports them.
   *
   * @throws IllegalStateException when the server is not started yet, or one is already bound
   */
  public synchronized void bindNetflow(NetflowServer server) {
    Objects.requireNonNull(server, "server");
    checkOpen();
    if (netflowServer != null) {
      throw new IllegalStateException(
          "a NetFlow server is already bound: its meters would hide the second one's");
    }
    NetflowCollectorMetrics metrics = server.metrics();
    boolean any = false;
    for (NetflowInput input : NetflowInput.values()) {
      if (!server.isListening(input)) {
        continue;
      }
      any = true;
      Tags tags = Tags.of("input", input.tag());
      netflowCounter("received", "Packets received", metrics, tags, m -> m.received(input));
      FunctionCounter.builder(
              PREFIX + "received.bytes", metrics, m -> (double) m.receivedBytes(input))
          .description("Message bytes received, counted before truncation")
          .baseUnit("bytes")
          .tags(tags)
          .register(registry);
      netflowCounter(
          "malformed",
          "Packets too short for a header or of an unknown version, published to be dead-lettered",
          metrics,
          tags,
          m -> m.malformed(input));
      netflowCounter(
          "published", "Messages Kafka acknowledged", metrics, tags, m -> m.published(input));
      netflowCounter(
          "publish.failures",
          "Messages Kafka did not take",
          metrics,
          tags,
          m -> m.publishFailures(input));
      if (input.transport() == Transport.TCP) {
        netflowCounter(
            "framing.errors",
            "TCP connections closed because their stream was not IPFIX",
            metrics,
            tags,
            m -> m.framingErrors(input));
        continue;
      }
      netflowCounter(
          "dropped",
          "Messages received and then lost",
          metrics,
          tags.and("reason", "kafka_refused"),
          m -> m.dropped(input));
      if (server.kernelUdpDrops(input).isPresent()) {
        KernelDrops drops = new KernelDrops(() -> server.kernelUdpDrops(input));
        netflowKernelDrops.add(drops);
        FunctionCounter.builder(PREFIX + "dropped", drops, KernelDrops::read)
            .description("Messages received and then lost")
            .tags(tags.and("reason", "kernel_receive_buffer"))
            .register(registry);
      }
    }
    if (!any) {
      throw new IllegalStateException(
          "bind the NetFlow server's metrics after starting it: its ports are not known before");
    }
    netflowServer = server;
  }

  /**
   * Binds a started Beats server's meters ({@code input=beats_tcp|beats_tls}): events received and
   * published, ACKs and keep-alives sent, malformed streams, inflate-limit hits and the events
   * waiting for Kafka.
   *
   * @throws IllegalStateException if a Beats server is bound already, or this one is not started
   */
  public synchronized void bindBeats(BeatsServer server) {
    Objects.requireNonNull(server, "server");
    checkOpen();
    if (beatsServer != null) {
      throw new IllegalStateException(
          "a Beats server is already bound: its meters would hide the second one's");
    }
    server.port(); // throws when not started
    server.metrics().bindTo(registry);
    beatsServer = server;
  }

  /**
   * Exposes a publisher's backlog and outcome counts, and times its sends from now on: it becomes
   * the publisher's only {@linkplain RawRecordPublisher#setSendLatencyListener latency listener}
   * until {@link #close()}.
   */
  public synchronized void bindPublisher(RawRecordPublisher publisher) {
    Objects.requireNonNull(publisher, "publisher");
    checkOpen();
    if (this.publisher != null) {
      throw new IllegalStateException(
          "a Kafka publisher is already bound: its meters would hide the second one's");
    }
    Gauge.builder(PREFIX + "kafka.inflight", publisher, p -> (double) p.bytesInFlight())
        .description("Bytes handed to Kafka and not yet acknowledged or failed")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(PREFIX + "kafka.congested", publisher, p -> p.isCongested() ? 1 : 0)
        .description("1 while TCP inputs are paused because Kafka is behind, else 0")
        .register(registry);
    FunctionCounter.builder(PREFIX + "kafka.published", publisher, p -> (double) p.publishedCount())
        .description("Records Kafka acknowledged, all inputs together")
        .register(registry);
    FunctionCounter.builder(PREFIX + "kafka.failed", publisher, p -> (double) p.failedCount())
        .description("Records lost: refused, or given up on by the producer, all inputs together")
        .register(registry);
    Timer sends =
        Timer.builder(PREFIX + "kafka.send")
            .description("Time from publish to Kafka's acknowledgement")
            .serviceLevelObjectives(SEND_BUCKETS)
            .register(registry);
    publisher.setSendLatencyListener(nanos -> sends.record(nanos, TimeUnit.NANOSECONDS));
    this.publisher = publisher;
  }

  /** Stops timing the bound publisher's sends and closes the registry. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (publisher != null) {
      publisher.setSendLatencyListener(null);
    }
    gcMetrics.close();
    registry.close();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("collector metrics registry is closed");
    }
  }

  private void counter(
      String name,
      String description,
      SyslogCollectorMetrics metrics,
      String input,
      ToDoubleFunction<SyslogCollectorMetrics> value) {
    FunctionCounter.builder(PREFIX + name, metrics, value)
        .description(description)
        .tags(Tags.of("input", input))
        .register(registry);
  }

  private void netflowCounter(
      String name,
      String description,
      NetflowCollectorMetrics metrics,
      Tags tags,
      ToDoubleFunction<NetflowCollectorMetrics> value) {
    FunctionCounter.builder(PREFIX + name, metrics, value)
        .description(description)
        .tags(tags)
        .register(registry);
  }

  /**
   * The kernel's count for a server's UDP port. It vanishes when the socket closes; the last value
   * seen is kept then, since a counter must never go down.
   */
  private static final class KernelDrops {
    private final Supplier<OptionalLong> source;
    private final AtomicLong lastSeen = new AtomicLong();

    KernelDrops(Supplier<OptionalLong> source) {
      this.source = source;
    }

    double read() {
      OptionalLong now = source.get();
      return now.isPresent()
          ? lastSeen.accumulateAndGet(now.getAsLong(), Math::max)
          : lastSeen.get();
    }
  }
}
