package org.vigil.collectors.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.util.ByteProcessor;
import java.util.List;

/**
 * Cuts a syslog TCP stream into {@link SyslogFrame}s, per RFC 6587 §3.4.
 *
 * <p>Two framings exist, and senders do not announce which one they use:
 *
 * <pre>
 * octet counting (§3.4.1)             non-transparent framing (§3.4.2)
 * +---------+----+-------------+      +-------------+---------+
 * | MSG-LEN | SP | SYSLOG-MSG  |      | SYSLOG-MSG  | TRAILER |
 * +---------+----+-------------+      +-------------+---------+
 *  NONZERO-DIGIT *DIGIT, octets        TRAILER = LF (CR LF and NUL
 *  in SYSLOG-MSG                       are accepted as well)
 * </pre>
 *
 * <p>A syslog message starts with {@code <} (its PRI), a length with a non-zero digit, so the first
 * byte of a connection tells the framing apart; it then holds for the whole connection, as real
 * senders never switch.
 *
 * <ul>
 *   <li>Counted octets are the message, as §3.4.1 makes them transparent: rsyslog and syslog-ng
 *       count a trailing LF and it stays in the frame. Senders that do not count it still send it,
 *       so LF, CR and NUL between counted frames are skipped.
 *   <li>A newline-framed message loses its trailer (and the CR of a CR LF); empty lines yield
 *       nothing. An unterminated last line is delivered when the connection closes.
 *   <li>No message is buffered beyond {@code maxMessageSize} (+2 bytes to find a CR LF): a longer
 *       one yields its first {@code maxMessageSize} bytes flagged {@link SyslogFrame#truncated()},
 *       and the rest is skipped, by count or up to the next LF.
 *   <li>A bad length ({@code 2025-07-29 ...}, a leading zero, more than 10 digits) means the sender
 *       is not octet counting after all: the decoder fires a {@link CorruptedFrameException} down
 *       the pipeline, drops that line and reads the rest of the connection as newline framed. It
 *       does not throw, so one bad line neither closes the connection nor stalls the frames behind
 *       it in the same read (the way Netty's {@code LineBasedFrameDecoder} reports too-long lines).
 * </ul>
 *
 * <p>Not sharable: each connection has its own framing state.
 */
public final class SyslogFrameDecoder extends ByteToMessageDecoder {

  /** RFC 5425 §4.3.1 asks for 8 KiB at least; 64 KiB holds what real devices send. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;

  private static final int MAX_LENGTH_DIGITS = 10;
  private static final int SHOWN_PREFIX = 24;
  private static final ByteProcessor FIND_TRAILER = b -> b != '\n' && b != 0;

  /** How this connection frames its messages. */
  enum Framing {
    UNDETECTED,
    OCTET_COUNTING,
    NON_TRANSPARENT
  }

  private enum State {
    FRAME_START,
    COUNTED_BODY,
    LINE,
    SKIP_COUNTED,
    SKIP_LINE
  }

  private final int maxMessageSize;
  private Framing framing = Framing.UNDETECTED;
  private State state = State.FRAME_START;

  /** Octets of the current counted frame still to read or, in SKIP_COUNTED, to skip. */
  private long counted;

  /** Bytes of the current line already searched for a trailer, so split reads stay linear. */
  private int lineScanned;

  public SyslogFrameDecoder() {
    this(DEFAULT_MAX_MESSAGE_SIZE);
  }

  /**
   * @param maxMessageSize the most bytes a frame holds; longer messages are truncated to it
   */
  public SyslogFrameDecoder(int maxMessageSize) {
    if (maxMessageSize < 1 || maxMessageSize > Integer.MAX_VALUE - 2) {
      throw new IllegalArgumentException(
          "maxMessageSize must be between 1 and "
              + (Integer.MAX_VALUE - 2)
              + ": "
              + maxMessageSize);
    }
    this.maxMessageSize = maxMessageSize;
  }

  Framing framing() {
    return framing;
  }

  /** Bytes held in the decoder's buffer, waiting for the rest of a frame. */
  int bufferedBytes() {
    return internalBuffer().readableBytes();
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      boolean progressed =
          switch (state) {
            case FRAME_START -> startFrame(ctx, in);
            case COUNTED_BODY -> readCountedBody(in, out);
            case LINE -> readLine(in, out);
            case SKIP_COUNTED -> skipCounted(in);
            case SKIP_LINE -> skipLine(in);
          };
      if (!progressed) {
        return;
      }
    }
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    decode(ctx, in, out);
    int left = in.readableBytes();
    if (left == 0) {
      return;
    }
    switch (state) {
      case LINE -> {
        int length = in.getByte(in.writerIndex() - 1) == '\r' ? left - 1 : left;
        if (length > 0) {
          out.add(copy(in, Math.min(length, maxMessageSize), length > maxMessageSize));
        }
      }
      case COUNTED_BODY -> out.add(copy(in, left, true));
      default ->
          ctx.fireExceptionCaught(
              new CorruptedFrameException(
                  "connection closed inside the length of an octet-counted frame: \""
                      + shown(in, in.readerIndex(), left)
                      + "\""));
    }
    in.skipBytes(in.readableBytes());
  }

  private boolean startFrame(ChannelHandlerContext ctx, ByteBuf in) {
    byte first = in.getByte(in.readerIndex());
    if (first == '\n' || first == '\r' || first == 0) {
      in.skipBytes(1);
      return true;
    }
    if (framing == Framing.UNDETECTED) {
      framing = first >= '1' && first <= '9' ? Framing.OCTET_COUNTING : Framing.NON_TRANSPARENT;
    }
    if (framing == Framing.NON_TRANSPARENT) {
      state = State.LINE;
      lineScanned = 0;
      return true;
    }
    return readLength(ctx, in);
  }

  private boolean readLength(ChannelHandlerContext ctx, ByteBuf in) {
    int start = in.readerIndex();
    long length = 0;
    for (int i = start; i < in.writerIndex(); i++) {
      byte b = in.getByte(i);
      int digits = i - start;
      if (b == ' ' && digits > 0) {
        in.readerIndex(i + 1);
        counted = length;
        state = State.COUNTED_BODY;
        return true;
      }
      boolean validDigit = b >= '0' && b <= '9' && (digits > 0 || b != '0');
      if (!validDigit || digits == MAX_LENGTH_DIGITS) {
        rejectLength(ctx, in, start);
        return true;
      }
      length = length * 10 + (b - '0');
    }
    return false;
  }

  private void rejectLength(ChannelHandlerContext ctx, ByteBuf in, int start) {
    String seen = shown(in, start, in.writerIndex() - start);
    framing = Framing.NON_TRANSPARENT;
    state = State.SKIP_LINE;
    ctx.fireExceptionCaught(
        new CorruptedFrameException(
            "invalid frame length at the start of an octet-counted frame (RFC 6587 3.4.1): \""
                + seen
                + "\"; the line is dropped and the connection is read as newline framed"));
  }

  private boolean readCountedBody(ByteBuf in, List<Object> out) {
    int wanted = (int) Math.min(counted, maxMessageSize);
    if (in.readableBytes() < wanted) {
      return false;
    }
    boolean truncated = counted > wanted;
    out.add(copy(in, wanted, truncated));
    counted -= wanted;
    state = truncated ? State.SKIP_COUNTED : State.FRAME_START;
    return true;
  }

  private boolean skipCounted(ByteBuf in) {
    int skipped = (int) Math.min(counted, in.readableBytes());
    in.skipBytes(skipped);
    counted -= skipped;
    if (counted == 0) {
      state = State.FRAME_START;
    }
    return true;
  }

  private boolean readLine(ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    int searchable = Math.min(in.readableBytes(), maxMessageSize + 2);
    int trailer =
        searchable > lineScanned
            ? in.forEachByte(start + lineScanned, searchable - lineScanned, FIND_TRAILER)
            : -1;
    if (trailer < 0) {
      if (searchable < maxMessageSize + 2) {
        lineScanned = searchable;
        return false;
      }
      out.add(copy(in, maxMessageSize, true));
      lineScanned = 0;
      state = State.SKIP_LINE;
      return true;
    }
    int length = trailer - start;
    if (length > 0 && in.getByte(trailer) == '\n' && in.getByte(trailer - 1) == '\r') {
      length--;
    }
    if (length > 0) {
      out.add(copy(in, Math.min(length, maxMessageSize), length > maxMessageSize));
    }
    in.readerIndex(trailer + 1);
    lineScanned = 0;
    state = State.FRAME_START;
    return true;
  }

  private boolean skipLine(ByteBuf in) {
    int trailer = in.forEachByte(FIND_TRAILER);
    if (trailer < 0) {
      in.skipBytes(in.readableBytes());
    } else {
      in.readerIndex(trailer + 1);
      state = State.FRAME_START;
    }
    return true;
  }

  /** Reads {@code length} bytes into a frame; the reader index moves past them only. */
  private static SyslogFrame copy(ByteBuf in, int length, boolean truncated) {
    byte[] bytes = new byte[length];
    in.readBytes(bytes);
    return new SyslogFrame(bytes, truncated);
  }

  /** The start of what the sender sent instead of a length, safe to put in a log line. */
  private static String shown(ByteBuf in, int start, int available) {
    StringBuilder seen = new StringBuilder();
    int end = start + Math.min(available, SHOWN_PREFIX);
    for (int i = start; i < end; i++) {
      int b = in.getByte(i) & 0xff;
      if (b == ' ' && i > start) {
        break;
      }
      if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
        seen.append((char) b);
      } else {
        seen.append(String.format("\\x%02x", b));
      }
    }
    return seen.toString();
  }
}
