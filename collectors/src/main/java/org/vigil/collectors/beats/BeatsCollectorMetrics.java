package org.vigil.collectors.beats;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Counters of one Beats server, cheap enough to bump on the event loop, and their Prometheus form.
 *
 * <p>As a {@link MeterBinder} it registers, all tagged {@code input=beats_tcp} or {@code
 * input=beats_tls} (names as {@code CollectorMetricsRegistry} writes them for the other inputs):
 * {@code vigil_collector_received_total}, {@code vigil_collector_received_bytes_total}, {@code
 * vigil_collector_malformed_total}, {@code vigil_collector_inflate_limit_hits_total}, {@code
 * vigil_collector_published_total}, {@code vigil_collector_publish_failures_total}, {@code
 * vigil_collector_acks_total}, {@code vigil_collector_keepalives_total}, {@code
 * vigil_collector_tls_handshake_failures_total} and the gauge {@code
 * vigil_collector_awaiting_kafka} (events read and not yet acknowledged by Kafka).
 */
public final class BeatsCollectorMetrics implements MeterBinder {
  private static final String PREFIX = "vigil.collector.";

  private final String input;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong receivedBytes = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong inflateLimitHits = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong publishFailures = new AtomicLong();
  private final AtomicLong acks = new AtomicLong();
  private final AtomicLong keepAlives = new AtomicLong();
  private final AtomicLong tlsHandshakeFailures = new AtomicLong();
  private final AtomicLong awaitingKafka = new AtomicLong();

  /**
   * @param tls tags the meters {@code input=beats_tls} rather than {@code beats_tcp}
   */
  public BeatsCollectorMetrics(boolean tls) {
    this.input = tls ? "beats_tls" : "beats_tcp";
  }

  /** Events read from window, JSON and data frames, compressed or not. */
  public long received() {
    return received.get();
  }

  /** Bytes of those events' documents (JSON as sent; v1 fields as their JSON form). */
  public long receivedBytes() {
    return receivedBytes.get();
  }

  /** Connections closed for breaking the protocol or a limit, inflate limit hits excluded. */
  public long malformed() {
    return malformed.get();
  }

  /** Connections closed because a compressed frame inflated beyond the limit. */
  public long inflateLimitHits() {
    return inflateLimitHits.get();
  }

  /** Events Kafka acknowledged. */
  public long published() {
    return published.get();
  }

  /** Events Kafka did not take; their connection was closed without acknowledging them. */
  public long publishFailures() {
    return publishFailures.get();
  }

  /** ACK frames acknowledging a whole window. */
  public long acks() {
    return acks.get();
  }

  /** ACK frames sent while a window waited for Kafka, with the sequence acknowledged so far. */
  public long keepAlives() {
    return keepAlives.get();
  }

  /** TLS handshakes that failed; connections closed before a handshake are not counted. */
  public long tlsHandshakeFailures() {
    return tlsHandshakeFailures.get();
  }

  /** Events read and handed to Kafka, not yet acknowledged or failed, over all connections. */
  public long awaitingKafka() {
    return awaitingKafka.get();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "received", "Beats events received", m -> m.received());
    FunctionCounter.builder(PREFIX + "received.bytes", this, m -> (double) m.receivedBytes())
        .description("Beats event bytes received, after inflating")
        .baseUnit("bytes")
        .tags(Tags.of("input", input))
        .register(registry);
    counter(
        registry,
        "malformed",
        "Beats connections closed for breaking the protocol or a limit",
        m -> m.malformed());
    counter(
        registry,
        "inflate.limit.hits",
        "Beats connections closed because a compressed frame inflated beyond the limit",
        m -> m.inflateLimitHits());
    counter(registry, "published", "Messages Kafka acknowledged", m -> m.published());
    counter(registry, "publish.failures", "Messages Kafka did not take", m -> m.publishFailures());
    counter(registry, "acks", "Beats windows acknowledged", m -> m.acks());
    counter(
        registry,
        "keepalives",
        "Beats keep-alive ACKs sent while a window waited for Kafka",
        m -> m.keepAlives());
    counter(
        registry,
        "tls.handshake.failures",
        "TLS handshakes refused or failed",
        m -> m.tlsHandshakeFailures());
    Gauge.builder(PREFIX + "awaiting.kafka", this, m -> (double) m.awaitingKafka())
        .description("Beats events read and not yet acknowledged by Kafka")
        .tags(Tags.of("input", input))
        .register(registry);
  }

  void onReceived(int bytes) {
    received.incrementAndGet();
    receivedBytes.addAndGet(bytes);
    awaitingKafka.incrementAndGet();
  }

  void onMalformed() {
    malformed.incrementAndGet();
  }

  void onInflateLimitHit() {
    inflateLimitHits.incrementAndGet();
  }

  void onPublished(int events) {
    published.addAndGet(events);
    awaitingKafka.addAndGet(-events);
  }

  void onPublishFailed(int events) {
    publishFailures.addAndGet(events);
    awaitingKafka.addAndGet(-events);
  }

  void onDropped(int events) {
    awaitingKafka.addAndGet(-events);
  }

  void onAck() {
    acks.incrementAndGet();
  }

  void onKeepAlive() {
    keepAlives.incrementAndGet();
  }

  void onTlsHandshakeFailed() {
    tlsHandshakeFailures.incrementAndGet();
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<BeatsCollectorMetrics> value) {
    FunctionCounter.builder(PREFIX + name, this, value)
        .description(description)
        .tags(Tags.of("input", input))
        .register(registry);
  }

  @Override
  public String toString() {
    return "BeatsCollectorMetrics[input="
        + input
        + ", received="
        + received()
        + ", receivedBytes="
        + receivedBytes()
        + ", malformed="
        + malformed()
        + ", inflateLimitHits="
        + inflateLimitHits()
        + ", published="
        + published()
        + ", publishFailures="
        + publishFailures()
        + ", acks="
        + acks()
        + ", keepAlives="
        + keepAlives()
        + ", tlsHandshakeFailures="
        + tlsHandshakeFailures()
        + "]";
  }
}
