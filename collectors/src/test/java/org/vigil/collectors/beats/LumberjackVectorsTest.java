package org.vigil.collectors.beats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every vector of the shared {@code lumberjack_vectors.json} (copied to the test resources, so a
 * clean clone is enough), valid and malformed: through the codec alone, and through the server's
 * whole pipeline with Kafka acknowledging at once.
 */
class LumberjackVectorsTest {
  private static final String VECTORS = "/beats/lumberjack_vectors.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The vectors' error texts that describe rather than quote a message, with what ours says. */
  private static final Map<String, String> MESSAGES =
      Map.of(
          "bad-version-byte", "Invalid version of beats protocol: 88",
          "bad-frame-type", "Invalid Frame Type, received: 88",
          "window-too-large", "window of 10001 events is larger than the limit of 10000");

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

  static Stream<Arguments> vectors() throws IOException {
    JsonNode root;
    try (InputStream in =
        Objects.requireNonNull(LumberjackVectorsTest.class.getResourceAsStream(VECTORS), VECTORS)) {
      root = JSON.readTree(in);
    }
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode vector : root.get("vectors")) {
      cases.add(Arguments.of(vector.get("name").asText(), vector));
    }
    assertThat(cases).hasSize(14);
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void codecDecodesEventsOrRaisesTheVectorsError(String name, JsonNode vector) throws Exception {
    LumberjackLimits limits = LumberjackLimits.defaults();
    EmbeddedChannel channel =
        new EmbeddedChannel(new BeatsFrameDecoder(limits), new BeatsInflateHandler(limits));
    var input = Unpooled.wrappedBuffer(bytes(vector));
    JsonNode expected = vector.get("expected");
    if (expected.has("error")) {
      String message = MESSAGES.getOrDefault(name, expected.get("error").asText());
      assertThatThrownBy(() -> channel.writeInbound(input))
          .isInstanceOf(BeatsProtocolException.class)
          .hasMessageContaining(message);
    } else {
      channel.writeInbound(input);
      List<JsonNode> events = new ArrayList<>();
      int windows = 0;
      Object frame;
      while ((frame = channel.readInbound()) != null) {
        if (frame instanceof LumberjackFrame.Event event) {
          events.add(JSON.readTree(event.json()));
        } else if (frame instanceof LumberjackFrame.Window window && window.count() > 0) {
          windows++;
        }
      }
      assertThat(events).containsExactlyElementsOf(expected.get("events"));
      assertThat(windows).isEqualTo(expected.path("batches").asInt(events.isEmpty() ? 0 : 1));
    }
    channel.finishAndReleaseAll();
    assertThat(input.refCnt()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void serverPublishesAcknowledgesOrClosesAsTheVectorSays(String name, JsonNode vector)
      throws Exception {
    try (BeatsChannelFixture fixture =
        new BeatsChannelFixture(BeatsChannelFixture.config(), true)) {
      fixture.write(bytes(vector));
      String replies = fixture.replies();
      JsonNode expected = vector.get("expected");
      if (expected.has("error")) {
        assertThat(fixture.channel.isOpen()).isFalse();
        assertThat(fixture.metrics.malformed()).isEqualTo(1);
        assertThat(replies).isEmpty();
        assertThat(fixture.producer.history()).isEmpty();
      } else {
        assertThat(fixture.channel.isOpen()).isTrue();
        List<JsonNode> published = new ArrayList<>();
        for (String value : fixture.publishedValues()) {
          published.add(JSON.readTree(value));
        }
        assertThat(published).containsExactlyElementsOf(expected.get("events"));
        assertThat(replies).isEqualTo(vector.path("expected_server_reply_hex").asText(""));
        assertThat(fixture.metrics.malformed()).isZero();
      }
      assertThat(fixture.allReleased()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void serverAnswersTheSameWhereverOneSplitCutsTheStream(String name, JsonNode vector) {
    byte[] stream = bytes(vector);
    String whole;
    try (BeatsChannelFixture fixture =
        new BeatsChannelFixture(BeatsChannelFixture.config(), true)) {
      fixture.write(stream);
      whole = fixture.replies() + fixture.channel.isOpen() + fixture.publishedValues();
    }
    for (int cut = 1; cut < stream.length; cut++) {
      try (BeatsChannelFixture fixture =
          new BeatsChannelFixture(BeatsChannelFixture.config(), true)) {
        fixture.write(java.util.Arrays.copyOfRange(stream, 0, cut));
        fixture.write(java.util.Arrays.copyOfRange(stream, cut, stream.length));
        // Where a read ends decides how the events are gathered into records, never which events.
        assertThat(fixture.replies() + fixture.channel.isOpen() + fixture.publishedValues())
            .as("cut at %d", cut)
            .isEqualTo(whole);
        assertThat(fixture.allReleased()).isTrue();
      }
    }
  }

  static byte[] bytes(JsonNode vector) {
    return ByteBufUtil.decodeHexDump(vector.get("client_to_server_hex").asText());
  }
}
