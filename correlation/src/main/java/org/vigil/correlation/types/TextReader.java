package org.vigil.correlation.types;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.vigil.model.FrozenFields;

/**
 * Reads the UTF-8 text of {@link EventSerializer}'s format 2, one instance per thread. Text is read
 * into a buffer kept for the next one, so each text costs only its String. Field names go through a
 * small cache: every event brings the same few dozen ({@code source.ip}, {@code event.outcome}),
 * and a name read again is the String read before, which costs nothing, has its hash already
 * computed for the event's map, and is shared by all the events the rule stage holds in state
 * instead of copied into each.
 *
 * <p>Short text values go through a cache of their own, for the same reasons: most are one of a few
 * ({@code failure}, {@code authentication}, a dataset, a user name, a port), and the rule stage
 * holds every event of a window, each with its own copy of them otherwise. A bench of the rule
 * stage kept a quarter of each young generation alive, mostly such events. Values that are always
 * new (addresses, ids) miss and replace a slot; a value seen often is back in its slot at its next
 * occurrence.
 *
 * <p>It also keeps the fields of the event read last, whose arrays of names the next event of the
 * same shape shares.
 */
final class TextReader {
  private static final ThreadLocal<TextReader> PER_THREAD =
      ThreadLocal.withInitial(TextReader::new);

  /** Name cache slots, a power of two. */
  private static final int NAME_SLOTS = 512;

  /** Longer names are read as text: field names are short, and the cache should stay small. */
  private static final int MAX_NAME = 64;

  /** Value cache slots, a power of two. */
  private static final int VALUE_SLOTS = 1024;

  /** Longer values are read as text: the repeated ones are words and numbers, not messages. */
  private static final int MAX_VALUE = 32;

  /** A longer text gets an array of its own rather than growing the kept buffer. */
  private static final int MAX_KEPT = 64 * 1024;

  private final Cache names = new Cache(NAME_SLOTS, MAX_NAME);
  private final Cache values = new Cache(VALUE_SLOTS, MAX_VALUE);
  private byte[] buffer = new byte[256];

  /**
   * The fields of the event this thread read last, whose names the next event of the same shape
   * shares ({@link FrozenFields.Builder#build(Map)}).
   */
  Map<String, Object> previousFields;

  private TextReader() {}

  /** This thread's reader. */
  static TextReader get() {
    return PER_THREAD.get();
  }

  /** What a text is, which decides the cache it goes through. */
  enum Kind {
    /** Read as it is: an id, a message. */
    TEXT,
    /** A field name. */
    NAME,
    /** A field's text value. */
    VALUE
  }

  /** A text of this kind, of {@code length} UTF-8 bytes. */
  String read(Kind kind, DataInputView in, int length) throws IOException {
    return switch (kind) {
      case TEXT -> text(in, length);
      case NAME -> cached(names, in, length);
      case VALUE -> cached(values, in, length);
    };
  }

  /** A text of {@code length} UTF-8 bytes. */
  private String text(DataInputView in, int length) throws IOException {
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

  /**
   * A text of {@code length} UTF-8 bytes through {@code cache}: the String read before for the same
   * bytes if it is still there; a text longer than the cache takes is read as it is.
   */
  private String cached(Cache cache, DataInputView in, int length) throws IOException {
    if (length > cache.maxLength) {
      return text(in, length);
    }
    in.readFully(buffer, 0, length);
    return cache.get(buffer, length);
  }

  /**
   * Strings by their UTF-8 bytes, one per slot: a text that collides replaces the one before. The
   * bytes of all slots are kept in one array, so a lookup follows no pointer to compare them, and a
   * miss copies into it rather than allocating.
   */
  private static final class Cache {
    private final int maxLength;
    private final byte[] bytes;
    private final int[] lengths;
    private final String[] strings;

    /**
     * @param slots a power of two
     * @param maxLength the longest text the cache takes
     */
    Cache(int slots, int maxLength) {
      this.maxLength = maxLength;
      bytes = new byte[slots * maxLength];
      lengths = new int[slots];
      strings = new String[slots];
    }

    /** The text of the first {@code length} bytes of {@code buffer}, at most maxLength. */
    String get(byte[] buffer, int length) {
      int hash = 0;
      for (int i = 0; i < length; i++) {
        hash = 31 * hash + buffer[i];
      }
      int slot = (hash ^ (hash >>> 16)) & (strings.length - 1);
      int at = slot * maxLength;
      String known = strings[slot];
      if (known != null
          && lengths[slot] == length
          && Arrays.equals(bytes, at, at + length, buffer, 0, length)) {
        return known;
      }
      String text = new String(buffer, 0, length, StandardCharsets.UTF_8);
      System.arraycopy(buffer, 0, bytes, at, length);
      lengths[slot] = length;
      strings[slot] = text;
      return text;
    }
  }
}
