package org.vigil.collectors.syslog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One syslog message as it came off the wire, still unparsed.
 *
 * <p>The bytes are a private copy, so a frame outlives the Netty buffer it was cut from and needs
 * no reference counting.
 *
 * @param bytes the message octets, at most the configured maximum message size
 * @param truncated true when the sender's message was longer than {@code bytes}: it exceeded the
 *     maximum message size, or the connection closed inside an octet-counted frame
 */
public record SyslogFrame(byte[] bytes, boolean truncated) {

  /**
   * Kafka header set (to {@code true}) on a raw record whose frame was truncated, so the parser can
   * tag the event instead of guessing from a cut-off message.
   */
  public static final String HEADER_TRUNCATED = "vigil.syslog.truncated";

  public SyslogFrame {
    Objects.requireNonNull(bytes, "bytes");
  }

  /** The message decoded as UTF-8; for tests and logs, the pipeline keeps the bytes. */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SyslogFrame other
        && truncated == other.truncated
        && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(bytes) + Boolean.hashCode(truncated);
  }

  @Override
  public String toString() {
    return "SyslogFrame[" + bytes.length + " bytes" + (truncated ? ", truncated" : "") + "]";
  }
}
