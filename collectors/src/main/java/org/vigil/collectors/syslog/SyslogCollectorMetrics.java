package org.vigil.collectors.syslog;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one syslog server, cheap enough to bump on the event loop. Every message that is not
 * published shows up in one of them: UDP is lossy by nature, so its losses must at least be seen.
 * Drops the kernel makes before Netty sees a datagram are read by {@link
 * SyslogServer#kernelUdpDrops()}.
 */
public final class SyslogCollectorMetrics {
  private final AtomicLong receivedUdp = new AtomicLong();
  private final AtomicLong receivedTcp = new AtomicLong();
  private final AtomicLong receivedBytes = new AtomicLong();
  private final AtomicLong truncated = new AtomicLong();
  private final AtomicLong framingErrors = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong publishFailures = new AtomicLong();
  private final AtomicLong udpDropped = new AtomicLong();
  private final AtomicLong tlsHandshakeFailures = new AtomicLong();

  /** Messages read from datagrams, including those dropped afterwards. */
  public long receivedUdp() {
    return receivedUdp.get();
  }

  /** Messages framed from TCP connections, those over TLS included. */
  public long receivedTcp() {
    return receivedTcp.get();
  }

  /** Message bytes received over both transports, after framing. */
  public long receivedBytes() {
    return receivedBytes.get();
  }

  /** Messages cut to the maximum message size. */
  public long truncated() {
    return truncated.get();
  }

  /** TCP lines dropped because their octet-count framing was broken. */
  public long framingErrors() {
    return framingErrors.get();
  }

  /** Messages Kafka acknowledged. */
  public long published() {
    return published.get();
  }

  /** Messages Kafka did not take. */
  public long publishFailures() {
    return publishFailures.get();
  }

  /** Datagrams dropped by the collector because Kafka was congested. */
  public long udpDropped() {
    return udpDropped.get();
  }

  /**
   * TLS handshakes that failed: senders refused for their protocol version, their client
   * certificate or the lack of one, or that refused ours. Connections closed before a handshake
   * (port probes) are not counted.
   */
  public long tlsHandshakeFailures() {
    return tlsHandshakeFailures.get();
  }

  void onReceived(boolean udp, int bytes, boolean wasTruncated) {
    (udp ? receivedUdp : receivedTcp).incrementAndGet();
    receivedBytes.addAndGet(bytes);
    if (wasTruncated) {
      truncated.incrementAndGet();
    }
  }

  void onFramingError() {
    framingErrors.incrementAndGet();
  }

  void onPublished() {
    published.incrementAndGet();
  }

  void onPublishFailed() {
    publishFailures.incrementAndGet();
  }

  void onUdpDropped() {
    udpDropped.incrementAndGet();
  }

  void onTlsHandshakeFailed() {
    tlsHandshakeFailures.incrementAndGet();
  }

  @Override
  public String toString() {
    return "SyslogCollectorMetrics[receivedUdp="
        + receivedUdp()
        + ", receivedTcp="
        + receivedTcp()
        + ", receivedBytes="
        + receivedBytes()
        + ", truncated="
        + truncated()
        + ", framingErrors="
        + framingErrors()
        + ", published="
        + published()
        + ", publishFailures="
        + publishFailures()
        + ", udpDropped="
        + udpDropped()
        + ", tlsHandshakeFailures="
        + tlsHandshakeFailures()
        + "]";
  }
}
