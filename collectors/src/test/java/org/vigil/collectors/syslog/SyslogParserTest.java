package org.vigil.collectors.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SyslogParserTest {
  private static final Instant NOW = Instant.parse("2026-11-25T20:15:42Z");

  @Test
  void detectsBothFormats() {
    assertThat(SyslogParser.detectFormat("<13>1 - - - - - -")).isEqualTo(SyslogFormat.RFC5424);
    assertThat(SyslogParser.detectFormat("<13>Nov 25 20:15:41 h a: x"))
        .isEqualTo(SyslogFormat.RFC3164);
    assertThat(SyslogParser.detectFormat("<189>12: *Mar  1 00:00:00: %X: y"))
        .isEqualTo(SyslogFormat.RFC3164);
  }

  @Test
  void reportsBrokenRfc5424InsteadOfReadingItAsBsd() {
    assertThatThrownBy(
            () -> SyslogParser.parse("<13>1 2026-13-01T00:00:00Z h a - - -", ZoneOffset.UTC, NOW))
        .isInstanceOf(SyslogParseException.class)
        .hasMessageContaining("TIMESTAMP");
  }

  @Test
  void parsesRfc5424WhosePriARelayStripped() throws Exception {
    SyslogMessage m =
        SyslogParser.parse("1 2026-11-25T20:15:41Z h app - - - hi", ZoneOffset.UTC, NOW);
    assertThat(m.format()).isEqualTo(SyslogFormat.RFC5424);
    assertThat(m.hasPri()).isFalse();
    assertThat(m.message()).isEqualTo("hi");
  }

  @Test
  void stripsUtf8BomFromBytes() throws Exception {
    byte[] head = "<14>1 - h a - - - ".getBytes(StandardCharsets.US_ASCII);
    byte[] body = "Grüße".getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[head.length + 3 + body.length];
    System.arraycopy(head, 0, payload, 0, head.length);
    payload[head.length] = (byte) 0xEF;
    payload[head.length + 1] = (byte) 0xBB;
    payload[head.length + 2] = (byte) 0xBF;
    System.arraycopy(body, 0, payload, head.length + 3, body.length);
    assertThat(SyslogParser.parse(payload, ZoneOffset.UTC, NOW).message()).isEqualTo("Grüße");
  }

  @Test
  void decodesNonUtf8PayloadAsLatin1() throws Exception {
    byte[] payload = "<13>Nov 25 20:15:41 h app: caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(SyslogParser.parse(payload, ZoneOffset.UTC, NOW).message()).isEqualTo("café");
  }

  @Test
  void dropsTrailingLineFeedsAndNuls() throws Exception {
    SyslogMessage m = SyslogParser.parse("<13>1 - h a - - - hello\r\n\0", ZoneOffset.UTC, NOW);
    assertThat(m.message()).isEqualTo("hello");
  }

  @Test
  void rejectsEmptyPayload() {
    assertThatThrownBy(() -> SyslogParser.parse(new byte[0], ZoneOffset.UTC, NOW))
        .isInstanceOf(SyslogParseException.class);
    assertThatThrownBy(() -> SyslogParser.parse("\n", ZoneOffset.UTC, NOW))
        .isInstanceOf(SyslogParseException.class);
  }

  @Test
  void throwsNothingButParseExceptionOnRandomInput() {
    Random random = new Random(42);
    String alphabet = "<>0123456789 -:.[]=\"\\TZ*abcMarNov\t\uFEFF";
    for (int i = 0; i < 50_000; i++) {
      String text;
      if (i % 2 == 0) {
        byte[] bytes = new byte[random.nextInt(80)];
        random.nextBytes(bytes);
        text = new String(bytes, StandardCharsets.ISO_8859_1);
      } else {
        StringBuilder sb = new StringBuilder(random.nextBoolean() ? "<13>1 " : "<13>");
        for (int j = random.nextInt(60); j > 0; j--) {
          sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        text = sb.toString();
      }
      for (int mode = 0; mode < 3; mode++) {
        try {
          switch (mode) {
            case 0 -> SyslogParser.parse(text, ZoneOffset.UTC, NOW);
            case 1 -> Rfc5424Parser.parse(text);
            default -> Rfc3164Parser.parse(text, ZoneOffset.UTC, NOW);
          }
        } catch (SyslogParseException expected) {
          assertThat(expected.getMessage()).doesNotContain("parser failure");
        }
      }
    }
  }
}
