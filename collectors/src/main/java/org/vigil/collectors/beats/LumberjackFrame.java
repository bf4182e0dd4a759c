package org.vigil.collectors.beats;

import java.util.Objects;

/** One frame a Beats client sends, as {@link LumberjackFrameParser} reads it. */
public sealed interface LumberjackFrame
    permits LumberjackFrame.Window, LumberjackFrame.Event, LumberjackCompressedFrame {

  /** ASCII '1': Lumberjack v1 (logstash-forwarder). */
  byte VERSION_1 = '1';

  /** ASCII '2': Lumberjack v2, what Beats 5 and later send. */
  byte VERSION_2 = '2';

  /** The version byte the frame came with, {@link #VERSION_1} or {@link #VERSION_2}. */
  byte version();

  /**
   * Opens a batch: the next {@code count} events belong to it and are acknowledged together.
   *
   * @param count events announced, 0 to {@link LumberjackLimits#maxWindowSize()}
   */
  record Window(byte version, int count) implements LumberjackFrame {}

  /**
   * One event.
   *
   * @param type {@link LumberjackFrameType#JSON} or {@link LumberjackFrameType#DATA}
   * @param sequence the client's sequence number, an unsigned 32-bit value kept in an int; echoed
   *     back in the ACK
   * @param json the document exactly as sent for a JSON frame; for a v1 data frame, a JSON object
   *     of its key/value pairs, all strings
   */
  record Event(byte version, LumberjackFrameType type, int sequence, byte[] json)
      implements LumberjackFrame {
    public Event {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(json, "json");
    }

    /** The sequence number as the unsigned value it is on the wire. */
    public long unsignedSequence() {
      return Integer.toUnsignedLong(sequence);
    }
  }
}
