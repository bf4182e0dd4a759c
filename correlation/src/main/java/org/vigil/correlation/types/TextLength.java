package org.vigil.correlation.types;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The length before a text, as Flink's {@code StringValue} writes it: a non-negative number in
 * 7-bit groups, low first, the high bit set on every byte but the last (one byte below 128). Both
 * {@link EventSerializer}'s format 2 and {@link KeyTextSerializer} use it.
 */
final class TextLength {
  private TextLength() {}

  static void write(int length, DataOutputView out) throws IOException {
    int rest = length;
    while (rest >= 0x80) {
      out.write((rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    out.write(rest);
  }

  static int read(DataInputView in) throws IOException {
    int length = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.readUnsignedByte();
      length |= (b & 0x7F) << shift;
      if (b < 0x80) {
        if (length < 0) {
          break;
        }
        return length;
      }
    }
    throw new IOException("not a text length: corrupt data");
  }
}
