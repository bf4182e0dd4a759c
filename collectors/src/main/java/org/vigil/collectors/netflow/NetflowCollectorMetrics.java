package org.vigil.collectors.netflow;

import java.util.concurrent.atomic.AtomicLongArray;
import org.vigil.model.Transport;

/**
 * Counters of one NetFlow server per {@link NetflowInput}, cheap enough to bump on the event loop.
 * Every packet that is not published shows up in one of them. Drops the kernel makes before Netty
 * sees a datagram are read by {@link NetflowServer#kernelUdpDrops(NetflowInput)}.
 */
public final class NetflowCollectorMetrics {
  private final AtomicLongArray received = counters();
  private final AtomicLongArray receivedBytes = counters();
  private final AtomicLongArray malformed = counters();
  private final AtomicLongArray dropped = counters();
  private final AtomicLongArray published = counters();
  private final AtomicLongArray publishFailures = counters();
  private final AtomicLongArray framingErrors = counters();

  /** Datagrams, or IPFIX messages framed from TCP, including those dropped afterwards. */
  public long received(NetflowInput input) {
    return received.get(input.ordinal());
  }

  /** Bytes of the packets received. */
  public long receivedBytes(NetflowInput input) {
    return receivedBytes.get(input.ordinal());
  }

  /**
   * Packets too short for a header or of an unknown version. They are still published, so the
   * correlation job dead-letters them with their sender and reason; this counts them early.
   */
  public long malformed(NetflowInput input) {
    return malformed.get(input.ordinal());
  }

  /** Datagrams received and then dropped by the collector because Kafka refused them. */
  public long dropped(NetflowInput input) {
    return dropped.get(input.ordinal());
  }

  /** Packets Kafka acknowledged. */
  public long published(NetflowInput input) {
    return published.get(input.ordinal());
  }

  /** Packets Kafka did not take; on UDP inputs these are {@link #dropped} too. */
  public long publishFailures(NetflowInput input) {
    return publishFailures.get(input.ordinal());
  }

  /**
   * TCP connections closed because their stream was not IPFIX: a message length below the 16-byte
   * header, or a version other than 10. Always 0 for UDP inputs.
   */
  public long framingErrors(NetflowInput input) {
    return framingErrors.get(input.ordinal());
  }

  void onReceived(NetflowInput input, int bytes, boolean wasMalformed) {
    received.incrementAndGet(input.ordinal());
    receivedBytes.addAndGet(input.ordinal(), bytes);
    if (wasMalformed) {
      malformed.incrementAndGet(input.ordinal());
    }
  }

  void onPublished(NetflowInput input) {
    published.incrementAndGet(input.ordinal());
  }

  void onPublishFailed(NetflowInput input) {
    publishFailures.incrementAndGet(input.ordinal());
    if (input.transport() == Transport.UDP) {
      dropped.incrementAndGet(input.ordinal());
    }
  }

  void onFramingError(NetflowInput input) {
    framingErrors.incrementAndGet(input.ordinal());
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("NetflowCollectorMetrics[");
    for (NetflowInput input : NetflowInput.values()) {
      if (input.ordinal() > 0) {
        b.append(", ");
      }
      b.append(input.tag())
          .append("={received=")
          .append(received(input))
          .append(", bytes=")
          .append(receivedBytes(input))
          .append(", malformed=")
          .append(malformed(input))
          .append(", dropped=")
          .append(dropped(input))
          .append(", published=")
          .append(published(input))
          .append(", publishFailures=")
          .append(publishFailures(input))
          .append(", framingErrors=")
          .append(framingErrors(input))
          .append('}');
    }
    return b.append(']').toString();
  }

  private static AtomicLongArray counters() {
    return new AtomicLongArray(NetflowInput.values().length);
  }
}
