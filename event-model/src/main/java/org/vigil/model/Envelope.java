package org.vigil.model;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a collector knows about a raw record besides its bytes. Travels as Kafka record headers, so
 * the payload stays the untouched bytes from the wire and can be replayed.
 *
 * @param protocol the wire protocol
 * @param transport UDP, TCP or TLS
 * @param peerAddress the sender's IP address (IPv4 or IPv6, no brackets)
 * @param peerPort the sender's port
 * @param receivedAtMillis when the collector read the record, epoch milliseconds
 * @param collectorId which collector instance received it
 */
public record Envelope(
    Protocol protocol,
    Transport transport,
    String peerAddress,
    int peerPort,
    long receivedAtMillis,
    String collectorId)
    implements java.io.Serializable {

  public static final String HEADER_PROTOCOL = "vigil.protocol";
  public static final String HEADER_TRANSPORT = "vigil.transport";
  public static final String HEADER_PEER_ADDRESS = "vigil.peer.address";
  public static final String HEADER_PEER_PORT = "vigil.peer.port";
  public static final String HEADER_RECEIVED_AT = "vigil.received_at";
  public static final String HEADER_COLLECTOR_ID = "vigil.collector.id";

  public Envelope {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(peerAddress, "peerAddress");
    Objects.requireNonNull(collectorId, "collectorId");
  }

  /** Header name to UTF-8 value, in a stable order. */
  public Map<String, byte[]> toHeaders() {
    Map<String, byte[]> headers = new LinkedHashMap<>();
    headers.put(HEADER_PROTOCOL, utf8(protocol.wireName()));
    headers.put(HEADER_TRANSPORT, utf8(transport.wireName()));
    headers.put(HEADER_PEER_ADDRESS, utf8(peerAddress));
    headers.put(HEADER_PEER_PORT, utf8(Integer.toString(peerPort)));
    headers.put(HEADER_RECEIVED_AT, utf8(Long.toString(receivedAtMillis)));
    headers.put(HEADER_COLLECTOR_ID, utf8(collectorId));
    return headers;
  }

  /**
   * Reads an envelope back from headers.
   *
   * @param header returns the last value of a header, or null when it is absent
   * @throws IllegalArgumentException naming the header that is missing or malformed
   */
  public static Envelope fromHeaders(Function<String, byte[]> header) {
    try {
      return new Envelope(
          Protocol.fromWireName(required(header, HEADER_PROTOCOL)),
          Transport.fromWireName(required(header, HEADER_TRANSPORT)),
          required(header, HEADER_PEER_ADDRESS),
          Integer.parseInt(required(header, HEADER_PEER_PORT)),
          Long.parseLong(required(header, HEADER_RECEIVED_AT)),
          required(header, HEADER_COLLECTOR_ID));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed envelope header: " + e.getMessage(), e);
    }
  }

  private static String required(Function<String, byte[]> header, String name) {
    byte[] value = header.apply(name);
    if (value == null) {
      throw new IllegalArgumentException("missing envelope header " + name);
    }
    return new String(value, StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
