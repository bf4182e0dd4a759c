package org.vigil.collectors.netflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of {@code testdata/netflow/expected.json} (from logstash-codec-netflow's spec): its
 * packets fed in order to one decoder and one template store, pending sets retried when a template
 * arrives, as the Flink operator does. Logstash field names are mapped to ours by {@code
 * netflow/logstash-field-map.properties}; the README beside it explains the choices.
 */
class NetflowFixturesTest {
  private static final Path TESTDATA = findTestdata();
  private static final Map<String, String> FIELD_MAP = loadFieldMap();

  /** Logstash names whose value must also appear under an ECS field. */
  private static final Map<String, String> ECS_ALSO =
      Map.of(
          "ipv4_src_addr", "source.ip",
          "ipv4_dst_addr", "destination.ip",
          "sourceIPv4Address", "source.ip",
          "destinationIPv4Address", "destination.ip",
          "sourceIPv6Address", "source.ip",
          "destinationIPv6Address", "destination.ip",
          "l4_src_port", "source.port",
          "l4_dst_port", "destination.port",
          "sourceTransportPort", "source.port",
          "destinationTransportPort", "destination.port");

  @TestFactory
  Stream<DynamicTest> decodesEveryExpectedCase() throws IOException {
    JsonNode root = new ObjectMapper().readTree(TESTDATA.resolve("expected.json").toFile());
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      tests.add(DynamicTest.dynamicTest(c.get("context").asText(), () -> runCase(c)));
    }
    return tests.stream();
  }

  @Test
  void everyFixtureAloneDecodesOrFailsWithTheDecodeException() throws IOException {
    try (Stream<Path> files = Files.list(TESTDATA.resolve("logstash-codec-netflow"))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        try {
          new NetflowDecoder().decode(Files.readAllBytes(p), new InMemoryTemplateStore());
        } catch (NetflowDecodeException e) {
          assertThat(e.getMessage()).as(p.toString()).doesNotStartWith("read past");
        }
      }
    }
  }

  private void runCase(JsonNode c) throws IOException, NetflowDecodeException {
    NetflowDecoder decoder = new NetflowDecoder();
    InMemoryTemplateStore store = new InMemoryTemplateStore();
    List<FlowRecord> records = new ArrayList<>();
    List<PendingSet> pending = new ArrayList<>();
    boolean mayFail = c.get("must_not_raise").asBoolean();
    for (JsonNode packet : c.get("packets_in_order")) {
      byte[] bytes =
          Files.readAllBytes(TESTDATA.resolve("logstash-codec-netflow").resolve(packet.asText()));
      NetflowMessage m;
      try {
        m = decoder.decode(bytes, store);
      } catch (NetflowDecodeException e) {
        if (mayFail) {
          assertThat(e.getMessage()).doesNotStartWith("read past");
          continue;
        }
        throw new AssertionError(packet.asText() + ": " + e.getMessage(), e);
      }
      records.addAll(m.records());
      pending.addAll(m.pending());
      if (!m.templatesLearned().isEmpty()) {
        for (Iterator<PendingSet> it = pending.iterator(); it.hasNext(); ) {
          var decoded = decoder.decodePending(it.next(), store);
          if (decoded.isPresent()) {
            records.addAll(decoded.get());
            it.remove();
          }
        }
      }
    }
    JsonNode count = c.get("expected_event_count");
    if (count != null && !count.isNull()) {
      assertThat(records).as("record count").hasSize(count.asInt());
    }
    for (JsonNode a : c.get("field_assertions")) {
      int index = a.get("event_index").asInt();
      String field = a.get("field").asText();
      JsonNode expected = a.get("value");
      assertThat(records.size()).as("records for " + field).isGreaterThan(index);
      Map<String, Object> fields = records.get(index).fields();
      String ours = FIELD_MAP.get(field);
      if (ours == null) {
        fail("no mapping for Logstash field " + field);
      }
      assertValue(field + " -> " + ours, fields.get(ours), expected);
      String ecs = ECS_ALSO.get(field);
      if (ecs != null) {
        assertValue(field + " -> " + ecs, fields.get(ecs), expected);
      }
    }
  }

  /**
   * Numbers compare by value; a time we decode to ISO-8601 compares with Logstash's epoch number or
   * ISO text to the second (Logstash 7 and 8 differ below the millisecond, see notes).
   */
  private static void assertValue(String what, Object actual, JsonNode expected) {
    assertThat(actual).as(what).isNotNull();
    String text = String.valueOf(actual);
    if (expected.isNumber()) {
      if (actual instanceof String s && s.endsWith("Z")) {
        Instant t = Instant.parse(s);
        long e = expected.asLong();
        assertThat(e > 100_000_000_000L ? t.toEpochMilli() : t.getEpochSecond())
            .as(what)
            .isEqualTo(e);
        return;
      }
      assertThat(text).as(what).isEqualTo(expected.asText());
      return;
    }
    String e = expected.asText();
    if (e.matches("\\d{4}-\\d\\d-\\d\\dT.*")) {
      assertThat(text.substring(0, 19)).as(what).isEqualTo(e.substring(0, 19));
      return;
    }
    assertThat(text).as(what).isEqualTo(e);
  }

  private static Map<String, String> loadFieldMap() {
    Properties p = new Properties();
    try (InputStream in =
        NetflowFixturesTest.class.getResourceAsStream("/netflow/logstash-field-map.properties")) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> m = new HashMap<>();
    p.forEach((k, v) -> m.put((String) k, (String) v));
    return m;
  }

  static Path findTestdata() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path candidate = d.resolve("testdata/netflow");
      if (Files.isRegularFile(candidate.resolve("expected.json"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("testdata/netflow not found above " + dir);
  }
}
