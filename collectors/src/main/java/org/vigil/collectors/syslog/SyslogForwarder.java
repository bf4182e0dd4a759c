package org.vigil.collectors.syslog;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.model.Envelope;
import org.vigil.model.Protocol;
import org.vigil.model.Topics;
import org.vigil.model.Transport;

/** Wraps a received message in its envelope and hands it to Kafka; shared by both transports. */
final class SyslogForwarder {
  private static final Map<String, byte[]> TRUNCATED =
      Map.of(SyslogFrame.HEADER_TRUNCATED, "true".getBytes(StandardCharsets.UTF_8));

  private final RawRecordPublisher publisher;
  private final SyslogCollectorMetrics metrics;
  private final String collectorId;

  SyslogForwarder(
      RawRecordPublisher publisher, SyslogCollectorMetrics metrics, String collectorId) {
    this.publisher = publisher;
    this.metrics = metrics;
    this.collectorId = collectorId;
  }

  RawRecordPublisher publisher() {
    return publisher;
  }

  SyslogCollectorMetrics metrics() {
    return metrics;
  }

  /** A sender as records name it; made once per connection or sender, not per message. */
  record Peer(String address, byte[] key, int port) {
    static Peer of(InetSocketAddress sender) {
      String address = NetUtil.toAddressString(sender.getAddress());
      return new Peer(address, address.getBytes(StandardCharsets.UTF_8), sender.getPort());
    }
  }

  /**
   * @param peer the sender: its address is written in the envelope and is also the record key, so a
   *     sender's messages stay in order within one partition
   */
  void forward(SyslogFrame frame, Transport transport, Peer peer) {
    String peerAddress = peer.address();
    int peerPort = peer.port();
    Envelope envelope =
        new Envelope(
            Protocol.SYSLOG,
            transport,
            peerAddress,
            peerPort,
            System.currentTimeMillis(),
            collectorId);
    publisher
        .publish(
            Topics.RAW_SYSLOG,
            peer.key(),
            frame.bytes(),
            envelope,
            frame.truncated() ? TRUNCATED : Map.of())
        .whenComplete(
            (ignored, failure) -> {
              if (failure == null) {
                metrics.onPublished();
              } else {
                metrics.onPublishFailed();
                if (transport == Transport.UDP) {
                  metrics.onUdpDropped();
                }
              }
            });
  }
}
