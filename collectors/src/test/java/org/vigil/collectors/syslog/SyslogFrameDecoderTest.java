package org.vigil.collectors.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.util.ResourceLeakDetector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SyslogFrameDecoderTest {
  private static final String FIXTURE = "/syslog/framing/framing_octet_counting.jsonl";
  private static ResourceLeakDetector.Level previousLevel;

  /** Every input buffer, to check that the decoder released each one. */
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

  static Stream<Arguments> fixtureCases() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Arguments> cases = new ArrayList<>();
    try (InputStream in =
            Objects.requireNonNull(
                SyslogFrameDecoderTest.class.getResourceAsStream(FIXTURE), FIXTURE);
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (!line.isBlank()) {
          JsonNode node = json.readTree(line);
          cases.add(Arguments.of(node.get("id").asText(), node));
        }
      }
    }
    assertThat(cases).hasSize(7);
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtureCases")
  void decodesFixtureChunks(String id, JsonNode fixture) {
    EmbeddedChannel channel = channel(SyslogFrameDecoder.DEFAULT_MAX_MESSAGE_SIZE);
    List<SyslogFrame> frames = new ArrayList<>();
    for (JsonNode chunk : fixture.get("chunks")) {
      write(channel, chunk.asText().getBytes(UTF_8));
      frames.addAll(read(channel));
    }
    assertFixture(fixture, channel, frames);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtureCases")
  void decodesFixtureByteByByte(String id, JsonNode fixture) {
    EmbeddedChannel channel = channel(SyslogFrameDecoder.DEFAULT_MAX_MESSAGE_SIZE);
    List<SyslogFrame> frames = new ArrayList<>();
    for (JsonNode chunk : fixture.get("chunks")) {
      for (byte b : chunk.asText().getBytes(UTF_8)) {
        write(channel, new byte[] {b});
        frames.addAll(read(channel));
      }
    }
    assertFixture(fixture, channel, frames);
  }

  private void assertFixture(JsonNode fixture, EmbeddedChannel channel, List<SyslogFrame> frames) {
    if (fixture.has("expected_error")) {
      assertOneFramingError("invalid frame length");
    } else {
      List<String> expected = new ArrayList<>();
      fixture.get("expected_frames").forEach(f -> expected.add(f.asText()));
      assertThat(frames).extracting(SyslogFrame::text).containsExactlyElementsOf(expected);
      assertThat(frames).noneMatch(SyslogFrame::truncated);
      assertThat(errors).isEmpty();
    }
    finish(channel);
  }

  @Test
  void waitsForTheRestOfASplitLength() {
    EmbeddedChannel channel = channel(1024);
    write(channel, "1".getBytes(UTF_8));
    write(channel, "0 <13>hello".getBytes(UTF_8));
    assertThat(read(channel)).isEmpty();
    write(channel, "!".getBytes(UTF_8));
    assertThat(read(channel)).containsExactly(frame("<13>hello!"));
    finish(channel);
  }

  @Test
  void skipsTheNewlineThatFollowsACountedFrame() {
    EmbeddedChannel channel = channel(1024);
    write(channel, "5 <13>a\n5 <13>b\r\n\n5 <13>c".getBytes(UTF_8));
    assertThat(read(channel)).containsExactly(frame("<13>a"), frame("<13>b"), frame("<13>c"));
    assertThat(decoder(channel).framing()).isEqualTo(SyslogFrameDecoder.Framing.OCTET_COUNTING);
    finish(channel);
  }

  @Test
  void keepsNewlinesInsideACountedFrame() {
    EmbeddedChannel channel = channel(1024);
    write(channel, "13 <13>two\nlines".getBytes(UTF_8));
    assertThat(read(channel)).containsExactly(frame("<13>two\nlines"));
    finish(channel);
  }

  @Test
  void splitsNewlineFramedMessagesOnLfCrLfAndNul() {
    EmbeddedChannel channel = channel(1024);
    write(channel, "<13>lf\n<13>crlf\r\n<13>nul\0\n\r\n<13>last\n".getBytes(UTF_8));
    assertThat(read(channel))
        .containsExactly(frame("<13>lf"), frame("<13>crlf"), frame("<13>nul"), frame("<13>last"));
    assertThat(decoder(channel).framing()).isEqualTo(SyslogFrameDecoder.Framing.NON_TRANSPARENT);
    finish(channel);
  }

  @Test
  void decodesNewlineFramedMessageSplitAcrossReads() {
    EmbeddedChannel channel = channel(1024);
    write(channel, "<13>first ha".getBytes(UTF_8));
    assertThat(read(channel)).isEmpty();
    write(channel, "lf\r".getBytes(UTF_8));
    assertThat(read(channel)).isEmpty();
    write(channel, "\n<13>second\n".getBytes(UTF_8));
    assertThat(read(channel)).containsExactly(frame("<13>first half"), frame("<13>second"));
    finish(channel);
  }

  @Test
  void deliversAnUnterminatedLastLineWhenTheConnectionCloses() {
    EmbeddedChannel channel = channel(1024);
    write(channel, "<13>done\n<13>no trailer\r".getBytes(UTF_8));
    assertThat(read(channel)).containsExactly(frame("<13>done"));
    assertThat(channel.finish()).isTrue();
    assertThat(read(channel)).containsExactly(frame("<13>no trailer"));
    assertReleased();
  }

  @Test
  void flagsACountedFrameCutShortByTheConnectionClosing() {
    EmbeddedChannel channel = channel(1024);
    write(channel, "20 <13>only part".getBytes(UTF_8));
    assertThat(read(channel)).isEmpty();
    channel.finish();
    assertThat(read(channel))
        .containsExactly(new SyslogFrame("<13>only part".getBytes(UTF_8), true));
    assertReleased();
  }

  @Test
  void truncatesAnOverlongCountedFrameAndSkipsItsRest() {
    EmbeddedChannel channel = channel(8);
    write(channel, "20 <13>0123456789abcdef5 <13>x".getBytes(UTF_8));
    assertThat(read(channel))
        .containsExactly(new SyslogFrame("<13>0123".getBytes(UTF_8), true), frame("<13>x"));
    finish(channel);
  }

  @Test
  void truncatesAnOverlongCountedFrameArrivingByteByByte() {
    EmbeddedChannel channel = channel(8);
    List<SyslogFrame> frames = new ArrayList<>();
    for (byte b : "20 <13>0123456789abcdef5 <13>x".getBytes(UTF_8)) {
      write(channel, new byte[] {b});
      frames.addAll(read(channel));
      assertThat(decoder(channel).bufferedBytes()).isLessThanOrEqualTo(8 + 3);
    }
    assertThat(frames)
        .containsExactly(new SyslogFrame("<13>0123".getBytes(UTF_8), true), frame("<13>x"));
    finish(channel);
  }

  @Test
  void truncatesAnOverlongLineAndDiscardsItUpToTheNextLf() {
    EmbeddedChannel channel = channel(8);
    write(channel, "<13>0123456789\n<13>ok\n".getBytes(UTF_8));
    assertThat(read(channel))
        .containsExactly(new SyslogFrame("<13>0123".getBytes(UTF_8), true), frame("<13>ok"));
    finish(channel);
  }

  @Test
  void acceptsALineOfExactlyTheMaximumSizeFollowedByCrLf() {
    EmbeddedChannel channel = channel(8);
    write(channel, "<13>0123\r\n<13>01234\n".getBytes(UTF_8));
    assertThat(read(channel))
        .containsExactly(frame("<13>0123"), new SyslogFrame("<13>0123".getBytes(UTF_8), true));
    finish(channel);
  }

  @Test
  void neverBuffersMoreThanTheMaximumWhileDiscardingAnEndlessLine() {
    EmbeddedChannel channel = channel(1024);
    byte[] chunk = new byte[4096];
    java.util.Arrays.fill(chunk, (byte) 'x');
    chunk[0] = '<';
    List<SyslogFrame> frames = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      write(channel, chunk);
      frames.addAll(read(channel));
      assertThat(decoder(channel).bufferedBytes()).isLessThanOrEqualTo(1024 + 2);
    }
    write(channel, "\n<13>after\n".getBytes(UTF_8));
    frames.addAll(read(channel));
    assertThat(frames).hasSize(2);
    assertThat(frames.get(0).truncated()).isTrue();
    assertThat(frames.get(0).bytes()).hasSize(1024);
    assertThat(frames.get(1)).isEqualTo(frame("<13>after"));
    finish(channel);
  }

  @Test
  void rejectsALengthWithALeadingZeroAfterTheFirstFrame() {
    EmbeddedChannel channel = channel(1024);
    write(channel, "5 <13>a05 <13>b\n<13>c\n".getBytes(UTF_8));
    assertThat(read(channel)).containsExactly(frame("<13>a"), frame("<13>c"));
    assertOneFramingError("\"05\"");
    finish(channel);
  }

  @Test
  void rejectsALengthOfMoreThanTenDigits() {
    EmbeddedChannel channel = channel(1024);
    write(channel, "12345678901 <13>a\n<13>next\n".getBytes(UTF_8));
    assertThat(read(channel)).containsExactly(frame("<13>next"));
    assertOneFramingError("\"12345678901\"");
    finish(channel);
  }

  @Test
  void acceptsATenDigitLengthAndSkipsWhatExceedsTheMaximum() {
    EmbeddedChannel channel = channel(4);
    write(channel, "1000000000 <13>abc".getBytes(UTF_8));
    assertThat(read(channel)).containsExactly(new SyslogFrame("<13>".getBytes(UTF_8), true));
    assertThat(errors).isEmpty();
    finish(channel);
  }

  @Test
  void rejectsAFrameThatDoesNotStartWithALengthOnAnOctetCountingConnection() {
    EmbeddedChannel channel = channel(1024);
    write(channel, "5 <13>a<13>no length\n<13>then lines\n".getBytes(UTF_8));
    assertThat(read(channel)).containsExactly(frame("<13>a"), frame("<13>then lines"));
    assertOneFramingError("\"<13>no\"");
    finish(channel);
  }

  @Test
  void readsTheLinesAfterAMissingLengthAsNewlineFramed() {
    EmbeddedChannel channel = channel(1024);
    write(
        channel,
        "2025-07-29 12:34:56 myhost myapp: first\n2025-07-29 12:34:57 myhost myapp: second\n"
            .getBytes(UTF_8));
    assertThat(read(channel)).containsExactly(frame("2025-07-29 12:34:57 myhost myapp: second"));
    assertOneFramingError("\"2025-07-29\"");
    assertThat(decoder(channel).framing()).isEqualTo(SyslogFrameDecoder.Framing.NON_TRANSPARENT);
    finish(channel);
  }

  @Test
  void reportsAConnectionClosedInsideALength() {
    EmbeddedChannel channel = channel(1024);
    write(channel, "5 <13>a12".getBytes(UTF_8));
    assertThat(read(channel)).containsExactly(frame("<13>a"));
    channel.finish();
    assertOneFramingError("closed inside the length");
    assertReleased();
  }

  @Test
  void survivesRandomGarbageWithinTheSizeLimitAndWithoutLeaks() {
    Random random = new Random(6587);
    for (int run = 0; run < 100; run++) {
      int max = 1 + random.nextInt(64);
      EmbeddedChannel channel = channel(max);
      int total = 0;
      List<SyslogFrame> frames = new ArrayList<>();
      while (total < 4096) {
        byte[] chunk = new byte[1 + random.nextInt(100)];
        random.nextBytes(chunk);
        if (random.nextBoolean()) {
          // Digits, spaces and newlines make the interesting paths likely.
          byte[] alphabet = "0123456789 \n\r\0<".getBytes(UTF_8);
          for (int i = 0; i < chunk.length; i++) {
            chunk[i] = alphabet[random.nextInt(alphabet.length)];
          }
        }
        total += chunk.length;
        write(channel, chunk);
        frames.addAll(read(channel));
        assertThat(decoder(channel).bufferedBytes()).isLessThanOrEqualTo(max + 12);
        assertThat(errors).allMatch(e -> e instanceof CorruptedFrameException);
      }
      channel.finishAndReleaseAll();
      assertThat(errors).allMatch(e -> e instanceof CorruptedFrameException);
      assertThat(frames).allSatisfy(f -> assertThat(f.bytes().length).isBetween(1, max));
      assertReleased();
    }
  }

  @Test
  void rejectsANonPositiveMaximum() {
    assertThatThrownBy(() -> new SyslogFrameDecoder(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxMessageSize");
  }

  /** Framing errors the decoder reported, in order. */
  private final List<Throwable> errors = new ArrayList<>();

  private EmbeddedChannel channel(int max) {
    errors.clear();
    return new EmbeddedChannel(
        new SyslogFrameDecoder(max),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
          }
        });
  }

  private void assertOneFramingError(String messagePart) {
    assertThat(errors)
        .singleElement()
        .isInstanceOf(CorruptedFrameException.class)
        .extracting(Throwable::getMessage)
        .asString()
        .contains(messagePart);
  }

  private static SyslogFrameDecoder decoder(EmbeddedChannel channel) {
    return channel.pipeline().get(SyslogFrameDecoder.class);
  }

  private static SyslogFrame frame(String text) {
    return new SyslogFrame(text.getBytes(UTF_8), false);
  }

  private void write(EmbeddedChannel channel, byte[] bytes) {
    ByteBuf buf = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    written.add(buf);
    channel.writeInbound(buf);
  }

  private static List<SyslogFrame> read(EmbeddedChannel channel) {
    List<SyslogFrame> frames = new ArrayList<>();
    Object message;
    while ((message = channel.readInbound()) != null) {
      frames.add((SyslogFrame) message);
    }
    return frames;
  }

  private void finish(EmbeddedChannel channel) {
    channel.finish();
    assertThat(read(channel)).isEmpty();
    assertReleased();
  }

  private void assertReleased() {
    assertThat(written).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    written.clear();
  }
}
