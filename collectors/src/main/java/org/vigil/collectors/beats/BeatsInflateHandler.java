package org.vigil.collectors.beats;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates compressed frames and passes on the frames inside them; other frames pass through.
 *
 * <p>The payload is a zlib (RFC 1950) stream of whole frames, each with its own version byte
 * (logstash-input-beats {@code PROTOCOL.md}: "The compressed payload MUST contain full frames
 * only"). Inflating stops as soon as the output would pass {@link
 * LumberjackLimits#maxInflatedBytes()}, counting nested compressed frames against the same budget:
 * a few kilobytes of zeros that would inflate to gigabytes cost at most the limit and end in a
 * {@link BeatsInflateLimitException}, never in an out-of-memory error.
 *
 * <p>A payload's frames are all parsed before the first is passed on, so a payload that turns out
 * broken publishes none of its events.
 */
public final class BeatsInflateHandler extends ChannelInboundHandlerAdapter {
  private static final int CHUNK = 64 * 1024;

  private final LumberjackLimits limits;

  public BeatsInflateHandler(LumberjackLimits limits) {
    this.limits = limits;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof LumberjackCompressedFrame compressed)) {
      ctx.fireChannelRead(msg);
      return;
    }
    List<LumberjackFrame> frames = new ArrayList<>();
    try {
      unpack(ctx.alloc(), compressed, frames, new long[] {limits.maxInflatedBytes()});
    } finally {
      compressed.release();
    }
    for (LumberjackFrame frame : frames) {
      ctx.fireChannelRead(frame);
    }
  }

  /**
   * @param budget bytes still allowed to be inflated, shared with nested frames
   */
  private void unpack(
      ByteBufAllocator alloc,
      LumberjackCompressedFrame compressed,
      List<LumberjackFrame> frames,
      long[] budget) {
    ByteBuf inflated = inflate(alloc, compressed.content(), budget);
    try {
      while (inflated.isReadable()) {
        LumberjackFrame frame = LumberjackFrameParser.decode(inflated, limits);
        if (frame == null) {
          throw new BeatsProtocolException(
              "Insufficient bytes in compressed content to decode: "
                  + inflated.readableBytes()
                  + " bytes left after the last whole frame");
        }
        if (frame instanceof LumberjackCompressedFrame nested) {
          try {
            unpack(alloc, nested, frames, budget);
          } finally {
            nested.release();
          }
        } else {
          frames.add(frame);
        }
      }
    } finally {
      inflated.release();
    }
  }

  /** Inflates in chunks, checking the budget before each chunk is kept. */
  private ByteBuf inflate(ByteBufAllocator alloc, ByteBuf zlib, long[] budget) {
    Inflater inflater = new Inflater();
    ByteBuf out = alloc.heapBuffer(Math.min(CHUNK, (int) Math.min(budget[0], CHUNK)));
    boolean done = false;
    try {
      inflater.setInput(zlib.nioBuffer());
      byte[] chunk = new byte[CHUNK];
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0) {
          // Input used up before the stream's end (a truncated stream) or a preset dictionary,
          // which Lumberjack never uses: what came out is parsed, and a cut frame reported there.
          break;
        }
        if (n > budget[0]) {
          throw new BeatsInflateLimitException(
              "compressed frame inflates to more than the limit of "
                  + limits.maxInflatedBytes()
                  + " bytes");
        }
        budget[0] -= n;
        out.writeBytes(chunk, 0, n);
      }
      done = true;
      return out;
    } catch (DataFormatException e) {
      throw new BeatsProtocolException(
          "compressed frame is not a zlib stream: " + e.getMessage(), e);
    } finally {
      inflater.end();
      if (!done) {
        out.release();
      }
    }
  }
}
