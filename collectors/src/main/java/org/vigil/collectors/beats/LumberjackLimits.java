package org.vigil.collectors.beats;

/**
 * What one Lumberjack connection may make the collector hold. Every length on the wire is checked
 * against these before a byte of its payload is buffered, so a lying header costs nothing.
 *
 * @param maxWindowSize most events one window frame may announce (go-lumber's default is 10,000;
 *     Filebeat sends 2,048 by default)
 * @param maxEventBytes longest JSON document, or sum of key and value bytes of a v1 data frame. It
 *     must stay below the producer's {@code max.request.size} (1 MiB by default), or Kafka refuses
 *     the record, the batch is never acknowledged and the client resends it forever
 * @param maxFieldPairs most key/value pairs in a v1 data frame
 * @param maxCompressedBytes longest compressed frame, buffered whole before it is inflated
 * @param maxInflatedBytes most bytes one compressed frame may inflate to, nested frames included
 */
public record LumberjackLimits(
    int maxWindowSize,
    int maxEventBytes,
    int maxFieldPairs,
    int maxCompressedBytes,
    int maxInflatedBytes) {

  public static final int DEFAULT_MAX_WINDOW_SIZE = 10_000;

  /** 1 MiB minus room for the key, the headers and Kafka's record overhead. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 1_000_000;

  public static final int DEFAULT_MAX_FIELD_PAIRS = 1024;
  public static final int DEFAULT_MAX_COMPRESSED_BYTES = 32 * 1024 * 1024;
  public static final int DEFAULT_MAX_INFLATED_BYTES = 64 * 1024 * 1024;

  public LumberjackLimits {
    positive("maxWindowSize", maxWindowSize);
    positive("maxEventBytes", maxEventBytes);
    positive("maxFieldPairs", maxFieldPairs);
    positive("maxCompressedBytes", maxCompressedBytes);
    positive("maxInflatedBytes", maxInflatedBytes);
  }

  public static LumberjackLimits defaults() {
    return new LumberjackLimits(
        DEFAULT_MAX_WINDOW_SIZE,
        DEFAULT_MAX_EVENT_BYTES,
        DEFAULT_MAX_FIELD_PAIRS,
        DEFAULT_MAX_COMPRESSED_BYTES,
        DEFAULT_MAX_INFLATED_BYTES);
  }

  public LumberjackLimits withMaxInflatedBytes(int bytes) {
    return new LumberjackLimits(
        maxWindowSize, maxEventBytes, maxFieldPairs, maxCompressedBytes, bytes);
  }

  public LumberjackLimits withMaxWindowSize(int size) {
    return new LumberjackLimits(
        size, maxEventBytes, maxFieldPairs, maxCompressedBytes, maxInflatedBytes);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
