package org.vigil.collectors.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of {@link SyslogFrameDecoder}: any byte stream, cut into reads at points
 * the fuzzer chooses, against a decoder whose maximum message size the fuzzer also chooses (small,
 * so truncation is reached often).
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the seeds in {@code SyslogFrameDecoderFuzzTestInputs}
 * as a unit test; {@code -Pfuzz} (collectors/pom.xml) fuzzes it for real.
 */
class SyslogFrameDecoderFuzzTest {
  private static final int LARGEST_FUZZED_MAX_SIZE = 600;
  private static final int MAX_READS = 8;
  private static final boolean FUZZING = !System.getenv().getOrDefault("JAZZER_FUZZ", "").isEmpty();

  /** The most bytes the decoder may hold: a line up to max + CR LF, or a 10-digit length. */
  private static int bufferBound(int maxMessageSize) {
    return Math.max(maxMessageSize + 2, 10);
  }

  private static ResourceLeakDetector.Level previousLevel;

  @BeforeAll
  static void paranoidLeakDetection() {
    previousLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterAll
  static void restoreLeakDetection() {
    ResourceLeakDetector.setLevel(previousLevel);
  }

  @FuzzTest(maxDuration = "30s")
  void framesAnyStreamTheSameWhereverReadsSplitItAndReleasesEveryBuffer(FuzzedDataProvider data) {
    int maxMessageSize = data.consumeInt(1, LARGEST_FUZZED_MAX_SIZE);
    int[] cuts = new int[data.consumeInt(0, MAX_READS - 1)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = data.consumeInt(0, 0xffff);
    }
    byte[] stream = data.consumeRemainingAsBytes();

    Decoded whole = decode(maxMessageSize, List.of(stream));
    Decoded split = decode(maxMessageSize, reads(stream, cuts));

    // Framing depends on the bytes only, never on how TCP happened to deliver them.
    assertThat(split.frames()).isEqualTo(whole.frames());
    assertThat(split.reports()).isEqualTo(whole.reports());
    if (startsNewlineFramed(stream)) {
      for (SyslogFrame frame : whole.frames()) {
        assertThat(frame.bytes())
            .as("a newline-framed frame holds no trailer")
            .doesNotContain((byte) '\n', (byte) 0);
      }
    }
  }

  private record Decoded(List<SyslogFrame> frames, int reports) {}

  private static Decoded decode(int maxMessageSize, List<byte[]> reads) {
    SyslogFrameDecoder decoder = new SyslogFrameDecoder(maxMessageSize);
    ReportCollector reports = new ReportCollector();
    RecordingAllocator alloc = new RecordingAllocator();
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setAllocator(alloc);
    channel.pipeline().addLast(decoder, reports);
    List<SyslogFrame> frames = new ArrayList<>();
    try {
      for (byte[] read : reads) {
        channel.writeInbound(alloc.buffer(read.length).writeBytes(read));
        drain(channel, frames);
        assertThat(decoder.bufferedBytes())
            .as("bytes held between reads")
            .isLessThanOrEqualTo(bufferBound(maxMessageSize));
      }
      channel.finish();
      drain(channel, frames);
    } finally {
      channel.finishAndReleaseAll();
    }
    // The reads and every cumulation buffer the decoder made from them.
    for (ByteBuf buf : alloc.allocated) {
      assertThat(buf.refCnt()).as("every buffer is released").isZero();
    }
    for (Throwable t : reports.caught) {
      // Bad framing is reported down the pipeline as exactly this, never thrown; anything else
      // (a DecoderException wrapping a bug, an Error) is a crash.
      assertThat(t).isExactlyInstanceOf(CorruptedFrameException.class).hasNoCause();
    }
    for (SyslogFrame frame : frames) {
      assertThat(frame.bytes().length).isBetween(1, maxMessageSize);
    }
    return new Decoded(frames, reports.caught.size());
  }

  private static void drain(EmbeddedChannel channel, List<SyslogFrame> frames) {
    Object message;
    while ((message = channel.readInbound()) != null) {
      assertThat(message).isInstanceOf(SyslogFrame.class);
      frames.add((SyslogFrame) message);
    }
  }

  /** Cuts {@code stream} at the given positions (taken modulo its length), in order. */
  private static List<byte[]> reads(byte[] stream, int[] cuts) {
    int[] at = new int[cuts.length];
    for (int i = 0; i < cuts.length; i++) {
      at[i] = cuts[i] % (stream.length + 1);
    }
    Arrays.sort(at);
    List<byte[]> reads = new ArrayList<>();
    int from = 0;
    for (int to : at) {
      reads.add(Arrays.copyOfRange(stream, from, to));
      from = to;
    }
    reads.add(Arrays.copyOfRange(stream, from, stream.length));
    return reads;
  }

  /** True when the decoder must take the whole stream as newline framed from its first byte. */
  private static boolean startsNewlineFramed(byte[] stream) {
    for (byte b : stream) {
      if (b != '\n' && b != '\r' && b != 0) {
        return b < '1' || b > '9';
      }
    }
    return true;
  }

  /**
   * Keeps every buffer it hands out, the reads and the decoder's cumulations alike, so none can be
   * left unreleased unnoticed: a check of each one's reference count after every input, which
   * unlike the leak detector does not wait for the garbage collector and names the input.
   *
   * <p>When replaying seeds its buffers are leak-aware too, so PARANOID records every access. While
   * fuzzing they are not: PARANOID takes a stack trace per access, which held fuzzing to about 60
   * inputs a second, and the reference counts already catch every leak.
   */
  private static final class RecordingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();

    RecordingAllocator() {
      super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      return record(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      return record(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }

    private ByteBuf record(ByteBuf buf) {
      ByteBuf tracked = FUZZING ? buf : toLeakAwareBuffer(buf);
      allocated.add(tracked);
      return tracked;
    }
  }

  /** Stands in for the handler after the framer, keeping what the decoder reported. */
  private static final class ReportCollector extends ChannelInboundHandlerAdapter {
    private final List<Throwable> caught = new ArrayList<>();

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      caught.add(cause);
    }
  }
}
