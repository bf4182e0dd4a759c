package org.vigil.collectors.beats;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes {@link BeatsAck}s as 6-byte ACK frames. Stateless, so one instance serves all. */
@ChannelHandler.Sharable
public final class BeatsAckEncoder extends MessageToByteEncoder<BeatsAck> {
  public static final BeatsAckEncoder INSTANCE = new BeatsAckEncoder();

  private BeatsAckEncoder() {
    super(BeatsAck.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, BeatsAck ack, ByteBuf out) {
    out.writeByte(ack.version());
    out.writeByte(LumberjackFrameType.ACK.code());
    out.writeInt(ack.sequence());
  }
}
