package org.vigil.correlation.types;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputView;

/**
 * Reads the UTF-8 text of {@link EventSerializer}'s format 2, one instance per thread. Text is read
 * into a buffer kept for the next one, so each text costs only its String. Field names go through a
 * small cache: every event brings the same few dozen ({@code source.ip}, {@code event.outcome}),
 * and a name read again is the String read before, which costs nothing, has its hash already
 * computed for the event's map, and is shared by all the events the rule stage holds in state
 * instead of copied into each.
 */
final class TextReader {
  private static final ThreadLocal<TextReader> PER_THREAD =
      ThreadLocal.withInitial(TextReader::new);

  /** Cache slots, a power of two; a name that collides replaces the one before. */
  private static final int SLOTS = 512;

  /** Longer names are read as text: field names are short, and the cache should stay small. */
  private static final int MAX_NAME = 64;

  /** A longer text gets an array of its own rather than growing the kept buffer. */
  private static final int MAX_KEPT = 64 * 1024;

  private final byte[][] nameBytes = new byte[SLOTS][];
  private final String[] names = new String[SLOTS];
  private byte[] buffer = new byte[256];

  private TextReader() {}

  /** This thread's reader. */
  static TextReader get() {
    return PER_THREAD.get();
  }

  /** A text of {@code length} UTF-8 bytes. */
  String text(DataInputView in, int length) throws IOException {
    if (length > MAX_KEPT) {
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (length > buffer.length) {
      buffer = new byte[Math.min(MAX_KEPT, Math.max(length, 2 * buffer.length))];
    }
    in.readFully(buffer, 0, length);
    return new String(buffer, 0, length, StandardCharsets.UTF_8);
  }

  /** A field name of {@code length} UTF-8 bytes: the String read before for the same bytes. */
  String name(DataInputView in, int length) throws IOException {
    if (length > MAX_NAME) {
      return text(in, length);
    }
    in.readFully(buffer, 0, length);
    int hash = 0;
    for (int i = 0; i < length; i++) {
      hash = 31 * hash + buffer[i];
    }
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    byte[] known = nameBytes[slot];
    if (known != null && Arrays.equals(known, 0, known.length, buffer, 0, length)) {
      return names[slot];
    }
    String name = new String(buffer, 0, length, StandardCharsets.UTF_8);
    nameBytes[slot] = Arrays.copyOf(buffer, length);
    names[slot] = name;
    return name;
  }
}
