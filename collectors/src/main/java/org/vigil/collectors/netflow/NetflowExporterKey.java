package org.vigil.collectors.netflow;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Who exported a NetFlow or IPFIX packet, as far as its header tells: the Kafka record key of
 * {@code vigil.raw.netflow}, so every packet of one exporter lands in one partition and meets its
 * templates in one Flink key, whichever collector instance received it.
 *
 * <p>Only the fixed header is read, never a set, so the key costs a few byte reads on the event
 * loop. The domain is what scopes sequence numbers and templates within one exporter:
 *
 * <table>
 *   <caption>Header fields read (offsets in bytes, big-endian)</caption>
 *   <tr><th>version</th><th>header</th><th>domain</th></tr>
 *   <tr><td>5 (Cisco NetFlow v5)</td><td>24 bytes</td>
 *       <td>engine type (20) and engine id (21), as {@code type << 8 | id}</td></tr>
 *   <tr><td>9 (RFC 3954 §5.1)</td><td>20 bytes</td><td>Source ID (16..19)</td></tr>
 *   <tr><td>10 (IPFIX, RFC 7011 §3.1)</td><td>16 bytes</td>
 *       <td>Observation Domain ID (12..15)</td></tr>
 * </table>
 *
 * <p>A packet too short for its header, or of another version, still gets a key (family {@link
 * Family#MALFORMED}, domain 0) so the correlation job can dead-letter it with its sender.
 *
 * @param address the sender's IP address, IPv6 without brackets
 * @param family which header the packet carries
 * @param domain unsigned 32-bit domain of the exporter; 0 when the family has none
 */
public record NetflowExporterKey(String address, Family family, long domain) {

  /** Template and sequence spaces are separate per family, so the family is part of the key. */
  public enum Family {
    V5(5, 24),
    V9(9, 20),
    IPFIX(10, 16),
    MALFORMED(-1, 0);

    private final int version;
    private final int headerLength;

    Family(int version, int headerLength) {
      this.version = version;
      this.headerLength = headerLength;
    }

    /** The version number in the first two header bytes; -1 for {@link #MALFORMED}. */
    public int version() {
      return version;
    }

    /** Bytes of the fixed packet header. */
    public int headerLength() {
      return headerLength;
    }

    /** As written in the key: {@code v5}, {@code v9}, {@code ipfix}, {@code malformed}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Family fromWireName(String name) {
      for (Family family : values()) {
        if (family.wireName().equals(name)) {
          return family;
        }
      }
      throw new IllegalArgumentException("unknown NetFlow exporter family: " + name);
    }
  }

  public NetflowExporterKey {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(family, "family");
    if (address.isEmpty() || address.indexOf('|') >= 0) {
      throw new IllegalArgumentException("not an IP address: '" + address + "'");
    }
    if (domain < 0 || domain > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("domain must be an unsigned 32-bit value: " + domain);
    }
  }

  /**
   * Reads the key from a packet's header.
   *
   * @param address the sender's IP address, as the envelope writes it
   * @param packet the whole datagram or IPFIX message; only its header is read
   */
  public static NetflowExporterKey of(String address, byte[] packet) {
    Family family = familyOf(packet);
    long domain =
        switch (family) {
          case V5 -> unsignedShort(packet, 20);
          case V9 -> unsignedInt(packet, 16);
          case IPFIX -> unsignedInt(packet, 12);
          case MALFORMED -> 0;
        };
    return new NetflowExporterKey(address, family, domain);
  }

  /**
   * The family whose header the packet carries, or {@link Family#MALFORMED} when the version is
   * unknown or the packet is shorter than that version's header.
   */
  public static Family familyOf(byte[] packet) {
    if (packet.length < 2) {
      return Family.MALFORMED;
    }
    int version = unsignedShort(packet, 0);
    for (Family family : Family.values()) {
      if (family.version == version) {
        return packet.length >= family.headerLength ? family : Family.MALFORMED;
      }
    }
    return Family.MALFORMED;
  }

  /**
   * Reads a key back from its text form.
   *
   * @throws IllegalArgumentException when the text is not {@code address|family|domain}
   */
  public static NetflowExporterKey parse(String text) {
    int first = text.indexOf('|');
    int last = text.lastIndexOf('|');
    if (first <= 0 || last == first) {
      throw new IllegalArgumentException(
          "NetFlow exporter key must be address|family|domain: '" + text + "'");
    }
    try {
      return new NetflowExporterKey(
          text.substring(0, first),
          Family.fromWireName(text.substring(first + 1, last)),
          Long.parseLong(text.substring(last + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("NetFlow exporter key has a bad domain: '" + text + "'");
    }
  }

  /** {@code address|family|domain}, e.g. {@code 192.0.2.1|v9|2177} or {@code ::1|ipfix|42}. */
  @Override
  public String toString() {
    return address + '|' + family.wireName() + '|' + domain;
  }

  /** The Kafka record key: {@link #toString()} in UTF-8. */
  public byte[] toKafkaKey() {
    return toString().getBytes(StandardCharsets.UTF_8);
  }

  private static int unsignedShort(byte[] b, int offset) {
    return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
  }

  private static long unsignedInt(byte[] b, int offset) {
    return ((long) unsignedShort(b, offset) << 16) | unsignedShort(b, offset + 2);
  }
}
