package org.vigil.collectors.beats;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Frames a Lumberjack connection into {@link LumberjackFrame}s, however TCP splits the bytes.
 * Compressed frames pass on still compressed, for {@link BeatsInflateHandler}.
 *
 * <p>After the first protocol error the rest of the stream is discarded unread: a Lumberjack stream
 * has no marker to resynchronise on, and the handler behind closes the connection.
 */
public final class BeatsFrameDecoder extends ByteToMessageDecoder {
  private final LumberjackLimits limits;
  private boolean broken;

  public BeatsFrameDecoder(LumberjackLimits limits) {
    this.limits = limits;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (broken) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      LumberjackFrame frame = LumberjackFrameParser.decode(in, limits);
      if (frame != null) {
        out.add(frame);
      }
    } catch (BeatsProtocolException e) {
      broken = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }
}
