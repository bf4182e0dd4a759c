package org.vigil.collectors.netflow;

import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.model.Envelope;
import org.vigil.model.Protocol;
import org.vigil.model.Topics;

/** Keys a received packet by its exporter, wraps it in its envelope and hands it to Kafka. */
final class NetflowForwarder {
  private final RawRecordPublisher publisher;
  private final NetflowCollectorMetrics metrics;
  private final String collectorId;

  NetflowForwarder(
      RawRecordPublisher publisher, NetflowCollectorMetrics metrics, String collectorId) {
    this.publisher = publisher;
    this.metrics = metrics;
    this.collectorId = collectorId;
  }

  RawRecordPublisher publisher() {
    return publisher;
  }

  NetflowCollectorMetrics metrics() {
    return metrics;
  }

  /**
   * Publishes one packet, malformed ones included: the correlation job dead-letters those with
   * their reason, which keeps them replayable and visible where the collector could only count.
   *
   * @param peerAddress the sender's address as the envelope writes it, no brackets
   */
  void forward(NetflowInput input, byte[] packet, String peerAddress, int peerPort) {
    NetflowExporterKey key = NetflowExporterKey.of(peerAddress, packet);
    metrics.onReceived(input, packet.length, key.family() == NetflowExporterKey.Family.MALFORMED);
    Envelope envelope =
        new Envelope(
            Protocol.NETFLOW,
            input.transport(),
            peerAddress,
            peerPort,
            System.currentTimeMillis(),
            collectorId);
    publisher
        .publish(Topics.RAW_NETFLOW, key.toKafkaKey(), packet, envelope)
        .whenComplete(
            (ignored, failure) -> {
              if (failure == null) {
                metrics.onPublished(input);
              } else {
                metrics.onPublishFailed(input);
              }
            });
  }
}
