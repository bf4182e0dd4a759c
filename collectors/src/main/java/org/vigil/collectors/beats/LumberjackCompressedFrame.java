package org.vigil.collectors.beats;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A compressed frame still compressed: its zlib payload, to be inflated by {@link
 * BeatsInflateHandler}. Reference-counted, so a frame nobody inflated is still released by the
 * pipeline's tail.
 */
public final class LumberjackCompressedFrame extends DefaultByteBufHolder
    implements LumberjackFrame {
  private final byte version;

  public LumberjackCompressedFrame(byte version, ByteBuf zlibPayload) {
    super(zlibPayload);
    this.version = version;
  }

  @Override
  public byte version() {
    return version;
  }

  @Override
  public LumberjackCompressedFrame replace(ByteBuf content) {
    return new LumberjackCompressedFrame(version, content);
  }
}
