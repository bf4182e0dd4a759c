package org.vigil.collectors.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every line of {@code syslog/vectors.jsonl} (see the README next to it). */
class SyslogVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant RECEIVED = Instant.parse("2026-06-01T00:00:00Z");
  private static final DateTimeFormatter RFC3164_RENDERING =
      DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

  record Vector(String id, String format, String input, boolean valid, JsonNode json) {
    @Override
    public String toString() {
      return id;
    }
  }

  static Stream<Vector> vectors() throws IOException {
    List<Vector> vectors = new ArrayList<>();
    try (InputStream in = SyslogVectorsTest.class.getResourceAsStream("/syslog/vectors.jsonl");
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          JsonNode node = JSON.readTree(line);
          vectors.add(
              new Vector(
                  node.get("id").asText(),
                  node.get("format").asText(),
                  node.get("input").asText(),
                  node.get("valid").asBoolean(),
                  node));
        }
      }
    }
    return vectors.stream();
  }

  @Test
  void readsAllSixtyFourVectors() throws IOException {
    assertThat(vectors()).hasSize(64);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void parsesVectorAsItsSourceExpects(Vector v) throws Exception {
    boolean strict5424 = v.format().equals("rfc5424");
    if (!v.valid()) {
      assertThat(strict5424).as("only strict RFC 5424 vectors are invalid").isTrue();
      assertThatThrownBy(() -> Rfc5424Parser.parse(v.input()))
          .isInstanceOf(SyslogParseException.class)
          .hasMessageNotContaining("parser failure");
      return;
    }
    SyslogMessage viaBytes =
        SyslogParser.parse(v.input().getBytes(StandardCharsets.UTF_8), ZoneOffset.UTC, RECEIVED);
    SyslogMessage viaText = SyslogParser.parse(v.input(), ZoneOffset.UTC, RECEIVED);
    assertThat(viaBytes).isEqualTo(viaText);
    if (strict5424) {
      assertThat(Rfc5424Parser.parse(v.input())).isEqualTo(viaText);
    }
    assertMatches(v, viaText);
  }

  private static void assertMatches(Vector v, SyslogMessage m) {
    JsonNode e = v.json().get("expected");
    assertThat(m.effectivePriority()).as("priority").isEqualTo(e.get("priority").asInt());
    assertThat(m.effectivePriority() >> 3).as("facility").isEqualTo(e.get("facility").asInt());
    assertThat(m.effectivePriority() & 7).as("severity").isEqualTo(e.get("severity").asInt());
    if (v.input().startsWith("<")) {
      assertThat(m.facility()).isEqualTo(e.get("facility").asInt());
    } else {
      assertThat(m.hasPri()).as("no PRI in the input").isFalse();
    }
    if (e.has("version")) {
      assertThat(m.format()).isEqualTo(SyslogFormat.RFC5424);
      assertThat(m.version()).isEqualTo(e.get("version").asInt());
    }
    if (e.has("timestamp")) {
      OffsetDateTime expected = OffsetDateTime.parse(e.get("timestamp").asText());
      assertThat(m.timestamp()).isEqualTo(expected.toInstant());
      assertThat(m.timestampOffset()).isEqualTo(expected.getOffset());
      assertThat(m.timestampHadZone()).isTrue();
    }
    if (e.has("timestamp_rfc3164_rendering")) {
      assertThat(m.timestamp()).as("timestamp").isNotNull();
      assertThat(RFC3164_RENDERING.format(m.timestamp().atOffset(m.timestampOffset())))
          .isEqualTo(e.get("timestamp_rfc3164_rendering").asText());
    } else if (!e.has("timestamp")) {
      assertThat(m.timestamp()).as("no timestamp in the input").isNull();
    }
    assertThat(m.hostname()).as("hostname").isEqualTo(text(e, "hostname"));
    assertThat(m.appName()).as("appname").isEqualTo(text(e, "appname"));
    if (e.has("procid")) {
      assertThat(m.procId()).as("procid").isEqualTo(text(e, "procid"));
    }
    if (e.has("msgid")) {
      assertThat(m.msgId()).as("msgid").isEqualTo(text(e, "msgid"));
    }
    if (e.has("structured_data")) {
      assertThat(m.structuredData())
          .containsExactlyEntriesOf(structuredData(e.get("structured_data")));
    }
    assertThat(m.message()).as("message").isEqualTo(e.has("message") ? text(e, "message") : "");
    JsonNode specific = v.json().get("expected_source_specific");
    if (m.format() == SyslogFormat.RFC3164 && specific != null && specific.has("syslogtag")) {
      String tag = specific.get("syslogtag").asText();
      assertThat(m.tag()).as("tag").isEqualTo(tag.isEmpty() ? null : tag);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Map<String, Map<String, String>> structuredData(JsonNode sd) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> element : sd.properties()) {
      Map<String, String> params = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> p : element.getValue().properties()) {
        params.put(p.getKey(), p.getValue().asText());
      }
      out.put(element.getKey(), params);
    }
    return out;
  }
}
