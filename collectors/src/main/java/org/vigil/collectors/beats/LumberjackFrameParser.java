package org.vigil.collectors.beats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one Lumberjack frame (v1 and v2) from a buffer: a pure function of bytes, used on the wire
 * by {@link BeatsFrameDecoder} and inside inflated payloads by {@link BeatsInflateHandler}.
 *
 * <p>Every frame starts with a version byte (ASCII '1' or '2') and a type byte; all integers are
 * 32-bit big-endian. The layouts, after those two bytes (logstash-input-beats {@code PROTOCOL.md},
 * go-lumber {@code protocol/v2}):
 *
 * <pre>
 * W window      | count u32 |                                     (6 bytes in all)
 * J JSON        | seq u32 | len u32 | JSON document (len bytes) |  (v2)
 * D data        | seq u32 | pairs u32 | pairs x (klen u32 | key | vlen u32 | value) |  (v1)
 * C compressed  | len u32 | zlib (RFC 1950) stream of whole frames (len bytes) |
 * </pre>
 *
 * <p>Each frame is read whole or not at all: the parser checks how many bytes the frame needs, from
 * its fixed header and its length fields, and returns null without moving the reader index when
 * fewer are buffered. Lengths are checked against {@link LumberjackLimits} as soon as they are
 * read, so a header announcing gigabytes is refused before anything is buffered for it. Error
 * messages follow logstash-input-beats' where it has one, so operators recognise them.
 */
public final class LumberjackFrameParser {
  private static final JsonFactory JSON = new JsonFactory();

  private static final int HEADER = 2;

  private LumberjackFrameParser() {}

  /**
   * Reads the next frame when all its bytes are buffered.
   *
   * @return the frame, or null when more bytes are needed (nothing is consumed then)
   * @throws BeatsProtocolException when the bytes cannot be a frame, or break a limit; the stream
   *     cannot be resynchronised after it
   */
  public static LumberjackFrame decode(ByteBuf in, LumberjackLimits limits) {
    int start = in.readerIndex();
    int readable = in.readableBytes();
    if (readable < 1) {
      return null;
    }
    byte version = in.getByte(start);
    if (version != LumberjackFrame.VERSION_1 && version != LumberjackFrame.VERSION_2) {
      throw new BeatsProtocolException(
          "Invalid version of beats protocol: " + (version & 0xff) + " (expected '1' or '2')");
    }
    if (readable < HEADER) {
      return null;
    }
    byte code = in.getByte(start + 1);
    LumberjackFrameType type = LumberjackFrameType.valueOf(code);
    if (type == null || type == LumberjackFrameType.ACK) {
      throw new BeatsProtocolException(
          "Invalid Frame Type, received: " + (code & 0xff) + " (a client sends W, J, D or C)");
    }
    return switch (type) {
      case WINDOW -> window(in, version, limits);
      case JSON -> json(in, version, limits);
      case DATA -> data(in, version, limits);
      case COMPRESSED -> compressed(in, version, limits);
      case ACK -> throw new IllegalStateException("unreachable");
    };
  }

  private static LumberjackFrame window(ByteBuf in, byte version, LumberjackLimits limits) {
    if (in.readableBytes() < HEADER + 4) {
      return null;
    }
    long count = in.getUnsignedInt(in.readerIndex() + HEADER);
    if (count > limits.maxWindowSize()) {
      throw new BeatsProtocolException(
          "window of " + count + " events is larger than the limit of " + limits.maxWindowSize());
    }
    in.skipBytes(HEADER + 4);
    return new LumberjackFrame.Window(version, (int) count);
  }

  private static LumberjackFrame json(ByteBuf in, byte version, LumberjackLimits limits) {
    if (in.readableBytes() < HEADER + 8) {
      return null;
    }
    int start = in.readerIndex();
    int length = in.getInt(start + HEADER + 4);
    if (length <= 0) {
      throw new BeatsProtocolException("Invalid json length, received: " + length);
    }
    if (length > limits.maxEventBytes()) {
      throw new BeatsProtocolException(
          "JSON frame of "
              + length
              + " bytes is longer than the limit of "
              + limits.maxEventBytes());
    }
    if (in.readableBytes() < HEADER + 8 + length) {
      return null;
    }
    int sequence = in.getInt(start + HEADER);
    byte[] json = new byte[length];
    in.getBytes(start + HEADER + 8, json);
    in.skipBytes(HEADER + 8 + length);
    return new LumberjackFrame.Event(version, LumberjackFrameType.JSON, sequence, json);
  }

  /** Walks the pairs' lengths first, so a data frame is consumed only once it is all there. */
  private static LumberjackFrame data(ByteBuf in, byte version, LumberjackLimits limits) {
    if (in.readableBytes() < HEADER + 8) {
      return null;
    }
    int start = in.readerIndex();
    int end = in.writerIndex();
    int pairs = in.getInt(start + HEADER + 4);
    if (pairs <= 0) {
      throw new BeatsProtocolException("Invalid number of fields, received: " + pairs);
    }
    if (pairs > limits.maxFieldPairs()) {
      throw new BeatsProtocolException(
          "data frame of "
              + pairs
              + " fields has more than the limit of "
              + limits.maxFieldPairs());
    }
    int position = start + HEADER + 8;
    long payload = 0;
    for (int i = 0; i < 2 * pairs; i++) {
      if (end - position < 4) {
        return null;
      }
      int length = in.getInt(position);
      payload += Math.max(length, 0);
      if (length < 0 || payload > limits.maxEventBytes()) {
        throw new BeatsProtocolException(
            length < 0
                ? "Invalid " + (i % 2 == 0 ? "key" : "value") + " length, received: " + length
                : "data frame is longer than the limit of " + limits.maxEventBytes() + " bytes");
      }
      position += 4;
      if (end - position < length) {
        return null;
      }
      position += length;
    }
    int sequence = in.getInt(start + HEADER);
    Map<String, String> fields = new LinkedHashMap<>(pairs * 2);
    in.skipBytes(HEADER + 8);
    for (int i = 0; i < pairs; i++) {
      String key = in.readCharSequence(in.readInt(), StandardCharsets.UTF_8).toString();
      String value = in.readCharSequence(in.readInt(), StandardCharsets.UTF_8).toString();
      fields.put(key, value);
    }
    return new LumberjackFrame.Event(version, LumberjackFrameType.DATA, sequence, toJson(fields));
  }

  private static LumberjackFrame compressed(ByteBuf in, byte version, LumberjackLimits limits) {
    if (in.readableBytes() < HEADER + 4) {
      return null;
    }
    int length = in.getInt(in.readerIndex() + HEADER);
    if (length < 0 || length > limits.maxCompressedBytes()) {
      throw new BeatsProtocolException(
          length < 0
              ? "Invalid compressed length, received: " + length
              : "compressed frame of "
                  + length
                  + " bytes is longer than the limit of "
                  + limits.maxCompressedBytes());
    }
    if (in.readableBytes() < HEADER + 4 + length) {
      return null;
    }
    in.skipBytes(HEADER + 4);
    return new LumberjackCompressedFrame(version, in.readRetainedSlice(length));
  }

  /**
   * v1 fields as one JSON object, so that every raw beats record is JSON whatever the client's
   * version; a key sent twice keeps its last value.
   */
  static byte[] toJson(Map<String, String> fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + fields.size() * 32);
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      generator.writeStartObject();
      for (Map.Entry<String, String> field : fields.entrySet()) {
        generator.writeStringField(field.getKey(), field.getValue());
      }
      generator.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }
}
