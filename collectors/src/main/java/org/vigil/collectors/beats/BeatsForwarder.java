package org.vigil.collectors.beats;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.model.Envelope;
import org.vigil.model.Protocol;
import org.vigil.model.Topics;
import org.vigil.model.Transport;

/**
 * Publishes Beats events as raw records to {@link Topics#RAW_BEATS}, one record per event, shared
 * by every connection of a server.
 *
 * <p>The record: key = the client's IP address (one client's events stay in order in one
 * partition); value = the event's JSON document exactly as the client sent it (for a v1 data frame,
 * a JSON object of its string pairs); headers = the {@link Envelope}'s plus {@value
 * #HEADER_VERSION} ({@code 1} or {@code 2}, the frame's protocol version) and {@value
 * #HEADER_FRAME} ({@code J}, or {@code D} when the value was built from v1 key/value pairs).
 */
final class BeatsForwarder {
  /** The Lumberjack version byte of the event's frame, as an ASCII digit. */
  static final String HEADER_VERSION = "vigil.beats.version";

  /** The event's frame type: J for a JSON frame, D for v1 key/value pairs turned into JSON. */
  static final String HEADER_FRAME = "vigil.beats.frame";

  private static final Map<String, byte[]> V2_JSON = headers('2', 'J');
  private static final Map<String, byte[]> V1_JSON = headers('1', 'J');
  private static final Map<String, byte[]> V2_DATA = headers('2', 'D');
  private static final Map<String, byte[]> V1_DATA = headers('1', 'D');

  private final RawRecordPublisher publisher;
  private final BeatsCollectorMetrics metrics;
  private final String collectorId;
  private final Transport transport;

  BeatsForwarder(
      RawRecordPublisher publisher,
      BeatsCollectorMetrics metrics,
      String collectorId,
      Transport transport) {
    this.publisher = publisher;
    this.metrics = metrics;
    this.collectorId = collectorId;
    this.transport = transport;
  }

  RawRecordPublisher publisher() {
    return publisher;
  }

  BeatsCollectorMetrics metrics() {
    return metrics;
  }

  /** A client as records name it; made once per connection. */
  record Peer(String address, byte[] key, int port) {
    static Peer of(InetSocketAddress client) {
      String address = NetUtil.toAddressString(client.getAddress());
      return new Peer(address, address.getBytes(StandardCharsets.UTF_8), client.getPort());
    }
  }

  /**
   * @return completes when Kafka acknowledged the event (acks=all), exceptionally when it was lost
   */
  CompletableFuture<Void> publish(LumberjackFrame.Event event, Peer peer) {
    metrics.onReceived(event.json().length);
    Envelope envelope =
        new Envelope(
            Protocol.BEATS,
            transport,
            peer.address(),
            peer.port(),
            System.currentTimeMillis(),
            collectorId);
    boolean v1 = event.version() == LumberjackFrame.VERSION_1;
    Map<String, byte[]> extra =
        event.type() == LumberjackFrameType.DATA
            ? (v1 ? V1_DATA : V2_DATA)
            : (v1 ? V1_JSON : V2_JSON);
    CompletableFuture<Void> sent =
        publisher.publish(Topics.RAW_BEATS, peer.key(), event.json(), envelope, extra);
    sent.whenComplete(
        (ignored, failure) -> {
          if (failure == null) {
            metrics.onPublished();
          } else {
            metrics.onPublishFailed();
          }
        });
    return sent;
  }

  private static Map<String, byte[]> headers(char version, char frame) {
    return Map.of(
        HEADER_VERSION, new byte[] {(byte) version}, HEADER_FRAME, new byte[] {(byte) frame});
  }
}
