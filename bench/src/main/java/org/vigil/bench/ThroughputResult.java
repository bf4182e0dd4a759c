package org.vigil.bench;

import java.util.Objects;

/**
 * One measured run of the syslog benchmark: how many messages a sender sent, how many arrived where
 * the run counts them (Kafka's end offsets, or documents in Elasticsearch), and over how long.
 *
 * @param name what ran, e.g. {@code collector tcp}, {@code vigil e2e}, {@code rsyslog e2e}
 * @param transport {@code tcp} or {@code udp}
 * @param sent messages the sender reported sent
 * @param received messages counted at the far end
 * @param seconds from the start of sending to the moment the last message was counted
 * @param senderRate the sender's own figure, messages per second, 0 when unknown
 * @param collectorDrops datagrams the collector dropped itself (Kafka congested), -1 when not
 *     applicable
 * @param kernelDrops datagrams the kernel dropped on the collector's socket, -1 when unknown
 * @param complete false when the run stopped waiting before every sent message was counted
 */
public record ThroughputResult(
    String name,
    String transport,
    long sent,
    long received,
    double seconds,
    double senderRate,
    long collectorDrops,
    long kernelDrops,
    boolean complete) {

  public ThroughputResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(transport, "transport");
    if (sent < 0 || received < 0) {
      throw new IllegalArgumentException("counts must not be negative: " + sent + ", " + received);
    }
    if (seconds < 0 || Double.isNaN(seconds)) {
      throw new IllegalArgumentException("elapsed seconds must not be negative: " + seconds);
    }
  }

  /** Messages per second counted at the far end; 0 when nothing arrived or no time passed. */
  public double rate() {
    return seconds <= 0 ? 0 : received / seconds;
  }

  /**
   * Percent of sent messages that never arrived; 0 when nothing was sent. More counted than sent (a
   * sender that undercounts) is no loss.
   */
  public double lossPercent() {
    return sent == 0 ? 0 : Math.max(0, sent - received) * 100.0 / sent;
  }

  public boolean udp() {
    return "udp".equals(transport);
  }
}
