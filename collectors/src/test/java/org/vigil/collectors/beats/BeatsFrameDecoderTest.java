package org.vigil.collectors.beats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BeatsFrameDecoderTest {
  private static final LumberjackLimits LIMITS = LumberjackLimits.defaults();
  private static ResourceLeakDetector.Level previousLevel;

  private final List<ByteBuf> written = new ArrayList<>();

  @BeforeAll
  static void paranoidLeakDetection() {
    previousLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterAll
  static void restoreLeakDetection() {
    ResourceLeakDetector.setLevel(previousLevel);
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> vectors()
      throws Exception {
    return LumberjackVectorsTest.vectors()
        .filter(a -> !((JsonNode) a.get()[1]).get("expected").has("error"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesTheSameFramesWhereverOneSplitCutsTheStream(String name, JsonNode vector) {
    byte[] stream = LumberjackVectorsTest.bytes(vector);
    List<String> whole = decode(List.of(stream));
    for (int cut = 1; cut < stream.length; cut++) {
      List<String> split =
          decode(
              List.of(
                  Arrays.copyOfRange(stream, 0, cut),
                  Arrays.copyOfRange(stream, cut, stream.length)));
      assertThat(split).as("cut at %d", cut).isEqualTo(whole);
    }
    assertThat(whole).isNotEmpty();
    assertEveryBufferReleased();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesTheSameFramesFedOneByteAtATime(String name, JsonNode vector) {
    byte[] stream = LumberjackVectorsTest.bytes(vector);
    List<byte[]> bytes = new ArrayList<>();
    for (byte b : stream) {
      bytes.add(new byte[] {b});
    }
    assertThat(decode(bytes)).isEqualTo(decode(List.of(stream)));
    assertEveryBufferReleased();
  }

  @Test
  void rejectsRandomGarbageWithAProtocolErrorAndReleasesIt() {
    Random random = new Random(20261126L);
    int rejected = 0;
    for (int run = 0; run < 500; run++) {
      byte[] garbage = new byte[1 + random.nextInt(4096)];
      random.nextBytes(garbage);
      EmbeddedChannel channel = channel(LIMITS);
      ByteBuf buffer = track(garbage);
      try {
        channel.writeInbound(buffer);
      } catch (BeatsProtocolException e) {
        rejected++;
      }
      releaseInbound(channel);
      channel.finishAndReleaseAll();
    }
    // A random first byte is '1' or '2' 2 times in 256; the rest must all be refused.
    assertThat(rejected).isGreaterThan(480);
    assertEveryBufferReleased();
  }

  @Test
  void rejectsGarbageAfterValidFramesAndDiscardsTheRestOfTheStream() {
    Random random = new Random(7);
    for (int run = 0; run < 200; run++) {
      byte[] garbage = new byte[64 + random.nextInt(512)];
      random.nextBytes(garbage);
      garbage[0] = 'X';
      EmbeddedChannel channel = channel(LIMITS);
      byte[] valid = json('2', 1, "{\"a\":1}");
      channel.writeInbound(track(valid));
      assertThatThrownBy(() -> channel.writeInbound(track(garbage)))
          .isInstanceOf(BeatsProtocolException.class);
      // Later bytes, even valid ones, are dropped unread: the stream cannot be trusted any more.
      channel.writeInbound(track(valid));
      assertThat(releaseInbound(channel)).isEqualTo(1);
      channel.finishAndReleaseAll();
    }
    assertEveryBufferReleased();
  }

  @Test
  void refusesAJsonFrameLongerThanTheLimitBeforeBufferingIt() {
    LumberjackLimits limits = new LumberjackLimits(10, 100, 8, 1000, 1000);
    EmbeddedChannel channel = channel(limits);
    // Only the header arrives: the length alone must be enough to refuse it.
    byte[] header = {'2', 'J', 0, 0, 0, 1, 0, 0, 0, 101};
    assertThatThrownBy(() -> channel.writeInbound(track(header)))
        .isInstanceOf(BeatsProtocolException.class)
        .hasMessageContaining("longer than the limit of 100");
    channel.finishAndReleaseAll();
    assertEveryBufferReleased();
  }

  @Test
  void refusesADataFrameWithMoreFieldsThanTheLimit() {
    LumberjackLimits limits = new LumberjackLimits(10, 1000, 8, 1000, 1000);
    EmbeddedChannel channel = channel(limits);
    byte[] header = {'1', 'D', 0, 0, 0, 1, 0, 0, 0, 9};
    assertThatThrownBy(() -> channel.writeInbound(track(header)))
        .isInstanceOf(BeatsProtocolException.class)
        .hasMessageContaining("9 fields");
    channel.finishAndReleaseAll();
    assertEveryBufferReleased();
  }

  @Test
  void refusesACompressedFrameLongerThanTheLimitBeforeBufferingIt() {
    LumberjackLimits limits = new LumberjackLimits(10, 1000, 8, 1000, 1000);
    EmbeddedChannel channel = channel(limits);
    byte[] header = {'2', 'C', 0, 0, 0x03, (byte) 0xe9};
    assertThatThrownBy(() -> channel.writeInbound(track(header)))
        .isInstanceOf(BeatsProtocolException.class)
        .hasMessageContaining("compressed frame of 1001 bytes");
    channel.finishAndReleaseAll();
    assertEveryBufferReleased();
  }

  @Test
  void inflatesNestedCompressedFramesAgainstOneBudget() {
    byte[] inner = compressed('2', json('2', 1, "{\"n\":1}"));
    byte[] outer = compressed('2', concat(inner, json('2', 2, "{\"n\":2}")));
    EmbeddedChannel channel = channel(LIMITS);
    channel.writeInbound(track(outer));
    assertThat(readAll(channel)).containsExactly("J1{\"n\":1}", "J2{\"n\":2}");
    channel.finishAndReleaseAll();
    assertEveryBufferReleased();
  }

  @Test
  void refusesAStreamThatIsNotZlib() {
    byte[] notZlib = {'2', 'C', 0, 0, 0, 4, 1, 2, 3, 4};
    EmbeddedChannel channel = channel(LIMITS);
    assertThatThrownBy(() -> channel.writeInbound(track(notZlib)))
        .isInstanceOf(BeatsProtocolException.class)
        .hasMessageContaining("not a zlib stream");
    channel.finishAndReleaseAll();
    assertEveryBufferReleased();
  }

  @Test
  void stopsInflatingABombAtTheLimit() {
    byte[] zeros = new byte[64 * 1024 * 1024];
    byte[] bomb = compressed('2', zeros);
    assertThat(bomb.length).isLessThan(128 * 1024);
    EmbeddedChannel channel = channel(LIMITS.withMaxInflatedBytes(1024 * 1024));
    assertThatThrownBy(() -> channel.writeInbound(track(bomb)))
        .isInstanceOf(BeatsInflateLimitException.class)
        .hasMessageContaining("1048576");
    channel.finishAndReleaseAll();
    assertEveryBufferReleased();
  }

  @Test
  void turnsV1FieldsIntoAJsonObject() throws Exception {
    byte[] frame = dataFrame(7, "line", "say \"hi\"\n", "host", "h1");
    EmbeddedChannel channel = channel(LIMITS);
    channel.writeInbound(track(frame));
    LumberjackFrame.Event event = channel.readInbound();
    assertThat(event.type()).isEqualTo(LumberjackFrameType.DATA);
    assertThat(event.unsignedSequence()).isEqualTo(7);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(event.json()))
        .isEqualTo(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"line\":\"say \\\"hi\\\"\\n\",\"host\":\"h1\"}"));
    channel.finishAndReleaseAll();
  }

  @Test
  void keepsSequenceNumbersAboveTwoToThe31Unsigned() {
    EmbeddedChannel channel = channel(LIMITS);
    channel.writeInbound(track(json('2', 0xfffffffe, "{}")));
    LumberjackFrame.Event event = channel.readInbound();
    assertThat(event.unsignedSequence()).isEqualTo(0xfffffffeL);
    channel.finishAndReleaseAll();
  }

  // --- helpers

  private List<String> decode(List<byte[]> reads) {
    EmbeddedChannel channel = channel(LIMITS);
    for (byte[] read : reads) {
      channel.writeInbound(track(read));
    }
    List<String> frames = readAll(channel);
    assertThat(channel.finishAndReleaseAll()).isFalse();
    return frames;
  }

  private static List<String> readAll(EmbeddedChannel channel) {
    List<String> frames = new ArrayList<>();
    Object frame;
    while ((frame = channel.readInbound()) != null) {
      if (frame instanceof LumberjackFrame.Event event) {
        frames.add(
            event.type().code() == 'J'
                ? "J" + event.unsignedSequence() + new String(event.json(), StandardCharsets.UTF_8)
                : "D"
                    + event.unsignedSequence()
                    + new String(event.json(), StandardCharsets.UTF_8));
      } else if (frame instanceof LumberjackFrame.Window window) {
        frames.add("W" + (char) window.version() + window.count());
      } else {
        io.netty.util.ReferenceCountUtil.release(frame);
        throw new AssertionError("unexpected frame " + frame);
      }
    }
    return frames;
  }

  private static int releaseInbound(EmbeddedChannel channel) {
    int count = 0;
    Object frame;
    while ((frame = channel.readInbound()) != null) {
      io.netty.util.ReferenceCountUtil.release(frame);
      count++;
    }
    return count;
  }

  private static EmbeddedChannel channel(LumberjackLimits limits) {
    return new EmbeddedChannel(new BeatsFrameDecoder(limits), new BeatsInflateHandler(limits));
  }

  private ByteBuf track(byte[] bytes) {
    ByteBuf buffer = Unpooled.buffer(bytes.length).writeBytes(bytes);
    written.add(buffer);
    return buffer;
  }

  private void assertEveryBufferReleased() {
    assertThat(written).allSatisfy(b -> assertThat(b.refCnt()).isZero());
  }

  static byte[] json(char version, int sequence, String json) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    return toArray(
        Unpooled.buffer()
            .writeByte(version)
            .writeByte('J')
            .writeInt(sequence)
            .writeInt(payload.length)
            .writeBytes(payload));
  }

  static byte[] window(char version, int count) {
    return new byte[] {
      (byte) version,
      'W',
      (byte) (count >>> 24),
      (byte) (count >>> 16),
      (byte) (count >>> 8),
      (byte) count
    };
  }

  static byte[] dataFrame(int sequence, String... keysAndValues) {
    ByteBuf out = Unpooled.buffer();
    out.writeByte('1').writeByte('D').writeInt(sequence).writeInt(keysAndValues.length / 2);
    for (String text : keysAndValues) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      out.writeInt(bytes.length).writeBytes(bytes);
    }
    return toArray(out);
  }

  static byte[] compressed(char version, byte[] frames) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    deflater.setInput(frames);
    deflater.finish();
    ByteArrayOutputStream zlib = new ByteArrayOutputStream();
    byte[] chunk = new byte[64 * 1024];
    while (!deflater.finished()) {
      zlib.write(chunk, 0, deflater.deflate(chunk));
    }
    deflater.end();
    byte[] payload = zlib.toByteArray();
    ByteBuf out = Unpooled.buffer();
    out.writeByte(version).writeByte('C').writeInt(payload.length).writeBytes(payload);
    return toArray(out);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] toArray(ByteBuf buffer) {
    byte[] bytes = new byte[buffer.readableBytes()];
    buffer.readBytes(bytes);
    buffer.release();
    return bytes;
  }
}
