package org.vigil.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Several payloads in one raw Kafka record. A collector that receives messages in batches (a Beats
 * window of 2,048 events) publishes a run of them as one record rather than one record each:
 * Kafka's cost per record (headers, producer callbacks, broker validation, the consumer's record
 * objects, the envelope read again per record) was a large share of a small event's way through
 * Vigil. The payloads themselves stay the bytes as received.
 *
 * <p>Layout of the value, integers big-endian, repeated {@value #HEADER_COUNT} times:
 *
 * <pre>
 * length:u32  payload:length bytes
 * </pre>
 *
 * A record without the {@value #HEADER_COUNT} header holds a single payload, its whole value, as
 * every record did before.
 */
public final class Payloads {
  /** The number of payloads in the record, as ASCII digits. */
  public static final String HEADER_COUNT = "vigil.payloads";

  private static final int LENGTH_BYTES = 4;

  private Payloads() {}

  /**
   * The payloads of a record value.
   *
   * @param countHeader the value of {@value #HEADER_COUNT}, or null when the record has none
   * @throws IllegalArgumentException saying what is wrong when the value does not hold exactly the
   *     count of payloads the header announces
   */
  public static List<byte[]> split(byte[] value, byte[] countHeader) {
    if (countHeader == null) {
      return List.of(value);
    }
    int count = parseCount(countHeader);
    List<byte[]> payloads = new ArrayList<>(count);
    int at = 0;
    for (int i = 0; i < count; i++) {
      if (value.length - at < LENGTH_BYTES) {
        throw new IllegalArgumentException(
            "malformed payloads: " + count + " announced, the value ends after " + i);
      }
      int length =
          (value[at] & 0xff) << 24
              | (value[at + 1] & 0xff) << 16
              | (value[at + 2] & 0xff) << 8
              | (value[at + 3] & 0xff);
      at += LENGTH_BYTES;
      if (length < 0 || length > value.length - at) {
        throw new IllegalArgumentException(
            "malformed payloads: payload "
                + i
                + " claims "
                + Integer.toUnsignedString(length)
                + " bytes, "
                + (value.length - at)
                + " remain");
      }
      payloads.add(Arrays.copyOfRange(value, at, at + length));
      at += length;
    }
    if (at != value.length) {
      throw new IllegalArgumentException(
          "malformed payloads: "
              + (value.length - at)
              + " bytes after the "
              + count
              + " announced payloads");
    }
    return payloads;
  }

  /**
   * How many payloads a record holds by its {@value #HEADER_COUNT} header: 1 when it has none.
   *
   * @throws IllegalArgumentException when the header is not a positive number
   */
  public static int count(byte[] countHeader) {
    return countHeader == null ? 1 : parseCount(countHeader);
  }

  private static int parseCount(byte[] header) {
    String text = new String(header, StandardCharsets.US_ASCII);
    int count;
    try {
      count = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "malformed header " + HEADER_COUNT + ": not a number: " + text, e);
    }
    if (count < 1) {
      throw new IllegalArgumentException(
          "malformed header " + HEADER_COUNT + ": must be at least 1: " + text);
    }
    return count;
  }

  /**
   * Gathers payloads for one record's value. It keeps the payloads it is given until {@link #take},
   * which writes them into one array of the exact size and starts the next record: nothing is
   * copied twice, and an idle writer holds no buffer.
   */
  public static final class Writer {
    private final List<byte[]> payloads = new ArrayList<>();
    private int size;

    /** Adds one payload, which must not change until {@link #take}. */
    public void add(byte[] payload) {
      payloads.add(payload);
      size += LENGTH_BYTES + payload.length;
    }

    /** Bytes the value would have with one more payload of {@code payloadBytes}. */
    public int sizeWith(int payloadBytes) {
      return size + LENGTH_BYTES + payloadBytes;
    }

    /** Payloads added since the last {@link #take}. */
    public int count() {
      return payloads.size();
    }

    /** The value {@value #HEADER_COUNT} must carry for what was added. */
    public byte[] countHeader() {
      return Integer.toString(payloads.size()).getBytes(StandardCharsets.US_ASCII);
    }

    /** The value of what was added, and an empty writer for the next record. */
    public byte[] take() {
      byte[] value = new byte[size];
      int at = 0;
      for (byte[] payload : payloads) {
        int length = payload.length;
        value[at] = (byte) (length >>> 24);
        value[at + 1] = (byte) (length >>> 16);
        value[at + 2] = (byte) (length >>> 8);
        value[at + 3] = (byte) length;
        System.arraycopy(payload, 0, value, at + LENGTH_BYTES, length);
        at += LENGTH_BYTES + length;
      }
      payloads.clear();
      size = 0;
      return value;
    }
  }
}
