package org.vigil.collectors.netflow;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;

/**
 * Frames IPFIX messages from a TCP stream (RFC 7011 §10.4): the stream is the messages back to
 * back, each starting with its 16-byte header whose bytes 2..3 give the whole message's length.
 * Emits each message as a {@code byte[]}, header included, so nothing downstream holds a buffer.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       Version Number (10)     |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           Export Time                         |
 * |                       Sequence Number                         |
 * |                    Observation Domain ID                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>A length below the header's 16 bytes or a version other than 10 means the stream is not IPFIX
 * or has lost its framing; there is no marker to resynchronise on, so the decoder raises a {@link
 * CorruptedFrameException} once and discards everything after it, and the connection is closed. The
 * 16-bit length field cannot exceed 65,535, the largest message RFC 7011 allows.
 */
public final class IpfixStreamDecoder extends ByteToMessageDecoder {
  static final int VERSION = 10;
  static final int HEADER_LENGTH = 16;

  private boolean corrupted;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (corrupted) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.readableBytes() >= 4) {
      int start = in.readerIndex();
      int version = in.getUnsignedShort(start);
      int length = in.getUnsignedShort(start + 2);
      if (version != VERSION || length < HEADER_LENGTH) {
        corrupted = true;
        in.skipBytes(in.readableBytes());
        throw new CorruptedFrameException(
            version != VERSION
                ? "IPFIX message has version " + version + ", not " + VERSION
                : "IPFIX message length " + length + " is shorter than its 16-byte header");
      }
      if (in.readableBytes() < length) {
        return;
      }
      byte[] message = new byte[length];
      in.readBytes(message);
      out.add(message);
    }
  }
}
