package org.vigil.collectors.netflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigil.collectors.netflow.NetflowCollectorFixture.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IpfixStreamDecoderTest {
  private static ResourceLeakDetector.Level previousLevel;

  private final List<ByteBuf> written = new ArrayList<>();

  @BeforeAll
  static void paranoid() {
    previousLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterAll
  static void restore() {
    ResourceLeakDetector.setLevel(previousLevel);
  }

  @Test
  void framesAMessageSplitAcrossReadsAtEveryPossibleByte() {
    byte[] message = packet("ipfix_test_openbsd_pflow_tpl.dat");
    for (int cut = 1; cut < message.length; cut++) {
      EmbeddedChannel channel = new EmbeddedChannel(new IpfixStreamDecoder());
      assertThat(channel.writeInbound(buffer(Arrays.copyOfRange(message, 0, cut)))).isFalse();
      assertThat(channel.writeInbound(buffer(Arrays.copyOfRange(message, cut, message.length))))
          .as("cut at %d", cut)
          .isTrue();
      assertThat((byte[]) channel.readInbound()).isEqualTo(message);
      assertThat(channel.finish()).isFalse();
    }
    assertAllReleased();
  }

  @Test
  void framesTwoMessagesInOneRead() {
    byte[] template = packet("ipfix_test_yaf_tpl45841.dat");
    byte[] data = packet("ipfix_test_yaf_data45841.dat");
    EmbeddedChannel channel = new EmbeddedChannel(new IpfixStreamDecoder());

    channel.writeInbound(buffer(concat(template, data)));

    assertThat((byte[]) channel.readInbound()).isEqualTo(template);
    assertThat((byte[]) channel.readInbound()).isEqualTo(data);
    assertThat(channel.<Object>readInbound()).isNull();
    assertThat(channel.finish()).isFalse();
    assertAllReleased();
  }

  @Test
  void framesARecordedStreamTheSameWhereverReadsSplitIt() {
    // ipfix.dat is several messages of one exporter back to back, as on a TCP connection.
    byte[] stream = packet("ipfix.dat");
    List<byte[]> whole = decodeInChunks(stream, new int[] {stream.length});
    assertThat(whole).hasSizeGreaterThan(1);
    assertThat(whole.stream().mapToInt(m -> m.length).sum()).isEqualTo(stream.length);
    Random random = new Random(4739);
    for (int run = 0; run < 50; run++) {
      int[] cuts = random.ints(1 + random.nextInt(20), 1, 200).toArray();
      assertThat(decodeInChunks(stream, cuts))
          .usingElementComparator(Arrays::compare)
          .containsExactlyElementsOf(whole);
    }
    assertAllReleased();
  }

  @Test
  void rejectsALengthShorterThanTheHeaderAndDiscardsEverythingAfter() {
    byte[] bad = {0, 10, 0, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    EmbeddedChannel channel = new EmbeddedChannel(new IpfixStreamDecoder());

    assertThatThrownBy(() -> channel.writeInbound(buffer(bad)))
        .isInstanceOf(CorruptedFrameException.class)
        .hasMessageContaining("length 15");
    channel.writeInbound(buffer(packet("ipfix_test_yaf_data45841.dat")));

    assertThat(channel.<Object>readInbound()).isNull();
    channel.finishAndReleaseAll();
    assertAllReleased();
  }

  @Test
  void rejectsAStreamThatIsNotIpfix() {
    EmbeddedChannel channel = new EmbeddedChannel(new IpfixStreamDecoder());

    // A NetFlow v9 packet sent to the IPFIX TCP port.
    assertThatThrownBy(() -> channel.writeInbound(buffer(packet("netflow9_test_valid01.dat"))))
        .isInstanceOf(CorruptedFrameException.class)
        .hasMessageContaining("version 9");
    assertThat(channel.<Object>readInbound()).isNull();
    channel.finishAndReleaseAll();
    assertAllReleased();
  }

  @Test
  void keepsAnIncompleteMessageUntilItsLastByteArrives() {
    byte[] message = packet("ipfix_test_mikrotik_data258.dat");
    EmbeddedChannel channel = new EmbeddedChannel(new IpfixStreamDecoder());

    channel.writeInbound(buffer(Arrays.copyOf(message, 3)));
    channel.writeInbound(buffer(Arrays.copyOfRange(message, 3, message.length - 1)));
    assertThat(channel.<Object>readInbound()).isNull();
    channel.writeInbound(buffer(Arrays.copyOfRange(message, message.length - 1, message.length)));

    assertThat((byte[]) channel.readInbound()).isEqualTo(message);
    assertThat(channel.finish()).isFalse();
    assertAllReleased();
  }

  private List<byte[]> decodeInChunks(byte[] stream, int[] chunkSizes) {
    EmbeddedChannel channel = new EmbeddedChannel(new IpfixStreamDecoder());
    int offset = 0;
    for (int i = 0; offset < stream.length; i++) {
      int end = Math.min(stream.length, offset + chunkSizes[i % chunkSizes.length]);
      channel.writeInbound(buffer(Arrays.copyOfRange(stream, offset, end)));
      offset = end;
    }
    List<byte[]> messages = new ArrayList<>();
    for (Object m = channel.readInbound(); m != null; m = channel.readInbound()) {
      messages.add((byte[]) m);
    }
    assertThat(channel.finish()).isFalse();
    return messages;
  }

  private ByteBuf buffer(byte[] bytes) {
    ByteBuf buf = Unpooled.copiedBuffer(bytes);
    written.add(buf);
    return buf;
  }

  private void assertAllReleased() {
    assertThat(written).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
