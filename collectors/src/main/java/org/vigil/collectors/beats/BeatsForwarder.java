package org.vigil.collectors.beats;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.model.Envelope;
import org.vigil.model.Payloads;
import org.vigil.model.Protocol;
import org.vigil.model.Topics;
import org.vigil.model.Transport;

/**
 * Publishes Beats events as raw records to {@link Topics#RAW_BEATS}, shared by every connection of
 * a server. A record holds a run of events of one window, up to {@value #MAX_RECORD_BYTES} bytes
 * ({@link Payloads}): Kafka's cost per record would otherwise be a large share of a small event's.
 *
 * <p>The record: key = the client's IP address (one client's events stay in order in one
 * partition); value = the events' JSON documents exactly as the client sent them (for a v1 data
 * frame, a JSON object of its string pairs), in the order sent; headers = the {@link Envelope}'s,
 * {@value Payloads#HEADER_COUNT} (how many events), {@value #HEADER_VERSION} ({@code 1} or {@code
 * 2}, the frames' protocol version) and {@value #HEADER_FRAME} ({@code J}, or {@code D} when the
 * values were built from v1 key/value pairs).
 */
final class BeatsForwarder {
  /** The Lumberjack version byte of the events' frames, as an ASCII digit. */
  static final String HEADER_VERSION = "vigil.beats.version";

  /** The events' frame type: J for JSON frames, D for v1 key/value pairs turned into JSON. */
  static final String HEADER_FRAME = "vigil.beats.frame";

  /**
   * The most bytes a record of several events gets. An event larger than that (up to {@link
   * LumberjackLimits#maxEventBytes()}) goes in a record of its own; either stays below the
   * producer's {@code max.request.size}.
   */
  static final int MAX_RECORD_BYTES = 256 * 1024;

  private static final byte[] VERSION_1 = {LumberjackFrame.VERSION_1};
  private static final byte[] VERSION_2 = {LumberjackFrame.VERSION_2};
  private static final byte[] JSON = {'J'};
  private static final byte[] DATA = {'D'};

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

  /** Counts an event read, which now waits for Kafka until its record is answered or dropped. */
  void received(LumberjackFrame.Event event) {
    metrics.onReceived(event.json().length);
  }

  /** Counts events read that will never be published: their connection closed first. */
  void dropped(int events) {
    metrics.onDropped(events);
  }

  /**
   * Publishes the events gathered in {@code events} as one record and empties it.
   *
   * @param version the Lumberjack version of the events' frames
   * @param type the events' frame type
   * @return completes when Kafka acknowledged the record (acks=all), exceptionally when it was lost
   */
  CompletableFuture<Void> publish(
      byte version, LumberjackFrameType type, Payloads.Writer events, Peer peer) {
    int count = events.count();
    Map<String, byte[]> extra =
        Map.of(
            Payloads.HEADER_COUNT,
            events.countHeader(),
            HEADER_VERSION,
            version == LumberjackFrame.VERSION_1 ? VERSION_1 : VERSION_2,
            HEADER_FRAME,
            type == LumberjackFrameType.DATA ? DATA : JSON);
    Envelope envelope =
        new Envelope(
            Protocol.BEATS,
            transport,
            peer.address(),
            peer.port(),
            System.currentTimeMillis(),
            collectorId);
    CompletableFuture<Void> sent =
        publisher.publish(Topics.RAW_BEATS, peer.key(), events.take(), envelope, extra);
    sent.whenComplete(
        (ignored, failure) -> {
          if (failure == null) {
            metrics.onPublished(count);
          } else {
            metrics.onPublishFailed(count);
          }
        });
    return sent;
  }
}
