package org.vigil.collectors.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of {@link SyslogParser}: any payload either parses into a message whose
 * fields are consistent with the text, or is rejected with a {@link SyslogParseException} that
 * names a reason; nothing else escapes, and nothing hides a crash behind "parser failure".
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the seeds in {@code SyslogParserFuzzTestInputs} as a
 * unit test; {@code -Pfuzz} (collectors/pom.xml) fuzzes it for real.
 */
class SyslogParserFuzzTest {
  /** Zones with odd offsets and one far from UTC, where year and day guessing go wrong first. */
  private static final List<ZoneId> ZONES =
      List.of(ZoneOffset.UTC, ZoneId.of("America/St_Johns"), ZoneId.of("Pacific/Kiritimati"));

  /** Just after a new year (year-less times from December) and on a leap day. */
  private static final List<Instant> RECEIVED =
      List.of(Instant.parse("2026-01-01T00:00:30Z"), Instant.parse("2024-02-29T12:00:00Z"));

  @FuzzTest(maxDuration = "30s")
  void parsesAnyPayloadIntoAConsistentMessageOrAStatedReason(@NotNull byte[] payload) {
    for (ZoneId zone : ZONES) {
      for (Instant receivedAt : RECEIVED) {
        SyslogMessage message;
        try {
          message = SyslogParser.parse(payload, zone, receivedAt);
        } catch (SyslogParseException e) {
          assertThat(e.getMessage())
              .as("a RuntimeException in a parser, turned into a parse error")
              .doesNotStartWith("parser failure");
          assertThat(e.offset()).isBetween(-1, payload.length);
          continue;
        }
        assertConsistent(message, trimmed(SyslogParser.decode(payload)));
      }
    }
  }

  private static void assertConsistent(SyslogMessage m, String text) {
    assertThat(m.format()).isEqualTo(SyslogParser.detectFormat(text));
    // The content is the end of the text as sent: a parser may drop the header, never rewrite MSG.
    assertThat(text).endsWith(m.message());
    assertThat(m.hasPri()).isEqualTo(m.severity() >= 0);
    if (m.hasPri()) {
      assertThat(m.facility()).isBetween(0, 23);
      assertThat(m.severity()).isBetween(0, 7);
      assertThat(text).startsWith("<");
      assertThat(Integer.parseInt(text.substring(1, text.indexOf('>')))).isEqualTo(m.priority());
    } else {
      assertThat(m.facility()).isEqualTo(-1);
      assertThat(m.severity()).isEqualTo(-1);
    }
    assertThat(m.timestampOffset() == null).isEqualTo(m.timestamp() == null);
    if (m.timestampHadZone()) {
      assertThat(m.timestamp()).isNotNull();
    }
    for (String field : new String[] {m.hostname(), m.appName(), m.procId(), m.msgId(), m.tag()}) {
      if (field != null) {
        assertThat(field).isNotEmpty();
        assertThat(text).contains(field);
      }
    }
    if (m.format() == SyslogFormat.RFC5424) {
      assertThat(m.version()).isBetween(1, 999);
      assertThat(m.tag()).isNull();
      assertThat(m.sequenceNumber()).isEqualTo(-1);
      assertHeaderField(m.hostname(), 255);
      assertHeaderField(m.appName(), 48);
      assertHeaderField(m.procId(), 128);
      assertHeaderField(m.msgId(), 32);
      for (Map.Entry<String, Map<String, String>> element : m.structuredData().entrySet()) {
        assertSdName(element.getKey());
        element.getValue().keySet().forEach(SyslogParserFuzzTest::assertSdName);
      }
    } else {
      assertThat(m.version()).isEqualTo(-1);
      assertThat(m.msgId()).isNull();
      assertThat(m.structuredData()).isEmpty();
      assertThat(m.sequenceNumber()).isGreaterThanOrEqualTo(-1);
    }
  }

  /** RFC 5424 §6: 1 to {@code max} PRINTUSASCII, or the NILVALUE (null here). */
  private static void assertHeaderField(String value, int max) {
    if (value != null) {
      assertThat(value.length()).isBetween(1, max);
      assertThat(value.chars().allMatch(c -> c >= 33 && c <= 126)).as(value).isTrue();
    }
  }

  private static void assertSdName(String name) {
    assertThat(name.length()).isBetween(1, 32);
    assertThat(name.chars().allMatch(c -> c >= 33 && c <= 126 && "= ]\"".indexOf(c) < 0))
        .as(name)
        .isTrue();
  }

  private static String trimmed(String s) {
    int end = s.length();
    while (end > 0 && "\n\r\0".indexOf(s.charAt(end - 1)) >= 0) {
      end--;
    }
    return s.substring(0, end);
  }
}
