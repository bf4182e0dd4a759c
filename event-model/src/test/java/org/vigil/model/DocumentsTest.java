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
}
