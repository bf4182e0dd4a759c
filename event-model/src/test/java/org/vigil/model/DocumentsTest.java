package org.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DocumentsTest {
  private static final long TIME = 1_764_000_000_123L;

  @Test
  void writesAnEventAsNestedObjectsWithTheTimestampFirst() throws IOException {
    Map<String, Object> flat = new LinkedHashMap<>();
    flat.put("source.ip", "203.0.113.9");
    flat.put("message", "Failed password for root");
    flat.put("source.port", 51004L);
    flat.put("log.syslog.facility.code", 4L);
    flat.put("log.syslog.hostname", "web-1");
    flat.put("tags", List.of("a", "b"));
    flat.put("event.risk_score", 47.5);
    flat.put("vigil.flag", true);
    flat.put("log.syslog.structured_data", Map.of("origin@1", Map.of("ip", "10.0.0.1")));

    String json = new String(Documents.toJsonBytes(TIME, flat), "UTF-8");

    assertThat(json).startsWith("{\"@timestamp\":\"2025-11-24T16:00:00.123Z\",");
    assertThat(Documents.parseObject(json.getBytes("UTF-8")))
        .isEqualTo(nested(flat))
        .containsEntry(
            "log",
            Map.of(
                "syslog",
                Map.of(
                    "facility",
                    Map.of("code", 4),
                    "hostname",
                    "web-1",
                    "structured_data",
                    Map.of("origin@1", Map.of("ip", "10.0.0.1")))));
  }

  @Test
  void aKeyThatIsAlsoAPrefixLetTheLaterKeyWinAsNestingDoes() throws IOException {
    Map<String, Object> valueThenObject = new LinkedHashMap<>();
    valueThenObject.put("user", "root");
    valueThenObject.put("user-agent", "curl");
    valueThenObject.put("user.name", "alice");
    Map<String, Object> objectThenValue = new LinkedHashMap<>();
    objectThenValue.put("user.name", "alice");
    objectThenValue.put("user", "root");
    Map<String, Object> timestampField = new LinkedHashMap<>();
    timestampField.put("@timestamp", "2020-01-01T00:00:00Z");

    assertThat(parse(valueThenObject)).containsEntry("user", Map.of("name", "alice"));
    assertThat(parse(objectThenValue)).containsEntry("user", "root");
    assertThat(parse(timestampField)).containsEntry("@timestamp", "2020-01-01T00:00:00Z");
  }

  @Test
  void anyMixOfKeysGivesTheDocumentThatNestingBuilds() throws IOException {
    // Short segments from a small alphabet, so that shared prefixes, keys that are prefixes of
    // others, odd characters that sort before the dot and empty segments all come up often.
    String[] segments = {"a", "b", "ab", "a-", "a b", "", "source", "source_x", "ip", "@x"};
    Random random = new Random(42);
    for (int round = 0; round < 5_000; round++) {
      Map<String, Object> flat = new LinkedHashMap<>();
      int fields = random.nextInt(12);
      for (int f = 0; f < fields; f++) {
        StringBuilder key = new StringBuilder(segments[random.nextInt(segments.length)]);
        for (int depth = random.nextInt(4); depth > 0; depth--) {
          key.append('.').append(segments[random.nextInt(segments.length)]);
        }
        Object value =
            switch (random.nextInt(5)) {
              case 0 -> "v" + random.nextInt(100);
              case 1 -> (long) random.nextInt(1_000);
              case 2 -> List.of("x", "y");
              case 3 -> null;
              default -> Map.of("k.l", "m");
            };
        flat.put(key.toString(), value);
      }

      assertThat(parse(flat)).as("fields %s", flat).isEqualTo(nested(flat));
    }
  }

  /** The document as built by nesting maps, through JSON so that numbers compare alike. */
  private static Map<String, Object> nested(Map<String, Object> flat) throws IOException {
    return Documents.parseObject(Documents.toJsonBytes(Documents.document(TIME, flat)));
  }

  private static Map<String, Object> parse(Map<String, Object> flat) throws IOException {
    return Documents.parseObject(Documents.toJsonBytes(TIME, flat));
  }

  @Test
  void readsFlatWhatParsingThenFlatteningReads() throws IOException {
    Random random = new Random(11);
    for (int i = 0; i < 5_000; i++) {
      StringBuilder json = new StringBuilder();
      randomObject(random, json, 0);
      byte[] bytes = json.toString().getBytes("UTF-8");

      Map<String, Object> expected = Documents.flatten(Documents.parseObject(bytes));
      Map<String, Object> flat = Documents.parseFlatObject(bytes);

      assertThat(flat).as(json.toString()).isEqualTo(expected);
      assertThat(List.copyOf(flat.keySet())).isEqualTo(List.copyOf(expected.keySet()));
    }
  }

  @Test
  void aNameRepeatedInOneObjectDropsTheWholeEarlierValueAsParsingThenFlatteningDoes()
      throws IOException {
    byte[] json = "{\"a\":{\"x\":1},\"b\":2,\"a\":{\"y\":3}}".getBytes("UTF-8");

    assertThat(Documents.parseFlatObject(json))
        .containsExactly(Map.entry("a.y", 3), Map.entry("b", 2));
  }

  @Test
  void failsOnWhatIsNotAnObjectAsParsingDoes() throws IOException {
    assertThat(Documents.parseFlatObject("null".getBytes("UTF-8"))).isNull();
    for (String bad : List.of("", "[1]", "\"text\"", "{\"a\":", "{\"a\" 1}", "{\"a\":[1,}")) {
      byte[] bytes = bad.getBytes("UTF-8");
      Exception expected = null;
      try {
        Documents.parseObject(bytes);
      } catch (Exception e) {
        expected = e;
      }
      Exception actual = null;
      try {
        Documents.parseFlatObject(bytes);
      } catch (Exception e) {
        actual = e;
      }
      assertThat(actual).as(bad).isNotNull();
      assertThat(actual.getClass()).as(bad).isEqualTo(expected.getClass());
      assertThat(actual.getMessage()).as(bad).isEqualTo(expected.getMessage());
    }
  }

  private static final String[] NAMES = {"a", "b", "agent", "id", "log.offset", "é", "x y", "@m"};

  private static void randomObject(Random random, StringBuilder json, int depth) {
    json.append('{');
    int fields = random.nextInt(depth == 0 ? 8 : 4);
    for (int f = 0; f < fields; f++) {
      if (f > 0) {
        json.append(',');
      }
      // Mostly distinct names; now and then one repeats, as a careless shipper might send.
      String name =
          random.nextInt(20) == 0 ? NAMES[random.nextInt(NAMES.length)] : NAMES[f % 8] + f;
      json.append('"').append(name).append("\":");
      randomValue(random, json, depth + 1);
    }
    json.append('}');
  }

  private static void randomValue(Random random, StringBuilder json, int depth) {
    switch (random.nextInt(depth > 3 ? 7 : 9)) {
      case 0 -> json.append('"').append("v\\u00e9\\n").append(random.nextInt(100)).append('"');
      case 1 -> json.append(random.nextInt());
      case 2 -> json.append(random.nextLong());
      case 3 -> json.append("123456789012345678901234567890");
      case 4 -> json.append(random.nextDouble() * 1e6);
      case 5 -> json.append(random.nextBoolean());
      case 6 -> json.append("null");
      case 7 -> randomObject(random, json, depth);
      default -> {
        json.append('[');
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            json.append(',');
          }
          randomValue(random, json, depth + 1);
        }
        json.append(']');
      }
    }
  }
}
