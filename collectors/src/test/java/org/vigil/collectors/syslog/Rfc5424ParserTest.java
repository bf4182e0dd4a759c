package org.vigil.collectors.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Rfc5424ParserTest {
  private static final String LOGGER_LINE =
      "<13>1 2026-11-25T20:15:41.123456+00:00 myhost sshd 123 - [timeQuality tzKnown=\"1\""
          + " isSynced=\"1\" syncAccuracy=\"12345\"] Failed password for root from 203.0.113.9"
          + " port 4242 ssh2";

  @Test
  void parsesLineAsUtilLinuxLoggerSendsIt() throws Exception {
    SyslogMessage m = Rfc5424Parser.parse(LOGGER_LINE);
    assertThat(m.format()).isEqualTo(SyslogFormat.RFC5424);
    assertThat(m.facility()).isEqualTo(1);
    assertThat(m.severity()).isEqualTo(5);
    assertThat(m.version()).isEqualTo(1);
    assertThat(m.timestamp()).isEqualTo(Instant.parse("2026-11-25T20:15:41.123456Z"));
    assertThat(m.hostname()).isEqualTo("myhost");
    assertThat(m.appName()).isEqualTo("sshd");
    assertThat(m.procId()).isEqualTo("123");
    assertThat(m.msgId()).isNull();
    assertThat(m.structuredData())
        .containsEntry(
            "timeQuality", Map.of("tzKnown", "1", "isSynced", "1", "syncAccuracy", "12345"));
    assertThat(m.timestampUnsynced()).isFalse();
    assertThat(m.message()).startsWith("Failed password for root");
  }

  @Test
  void keepsMicrosecondsAndOffset() throws Exception {
    SyslogMessage m =
        Rfc5424Parser.parse("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - x");
    assertThat(m.timestamp()).isEqualTo(Instant.parse("2003-08-24T12:14:15.000003Z"));
    assertThat(m.timestampOffset()).isEqualTo(ZoneOffset.ofHours(-7));
  }

  @Test
  void acceptsAllNilValues() throws Exception {
    SyslogMessage m = Rfc5424Parser.parse("<0>1 - - - - - -");
    assertThat(m.timestamp()).isNull();
    assertThat(m.timestampHadZone()).isFalse();
    assertThat(m.hostname()).isNull();
    assertThat(m.appName()).isNull();
    assertThat(m.structuredData()).isEmpty();
    assertThat(m.message()).isEmpty();
  }

  @Test
  void keepsBackslashBeforeCharacterThatNeedsNoEscape() throws Exception {
    SyslogMessage m = Rfc5424Parser.parse("<14>1 - h a - - [x@1 p=\"C:\\temp\\n\\]\"]");
    assertThat(m.structuredData().get("x@1")).containsEntry("p", "C:\\temp\\n]");
  }

  @Test
  void joinsRepeatedParamNameInOrder() throws Exception {
    SyslogMessage m =
        Rfc5424Parser.parse("<14>1 - h a - - [origin ip=\"192.0.2.1\" ip=\"192.0.2.2\"] hi");
    assertThat(m.structuredData().get("origin")).containsEntry("ip", "192.0.2.1, 192.0.2.2");
  }

  @Test
  void marksUnsynchronisedTimeQuality() throws Exception {
    SyslogMessage m =
        Rfc5424Parser.parse("<14>1 2026-01-01T00:00:00Z h a - - [timeQuality isSynced=\"0\"]");
    assertThat(m.timestampUnsynced()).isTrue();
  }

  @Test
  void rejectsRepeatedSdId() {
    assertThatThrownBy(() -> Rfc5424Parser.parse("<14>1 - h a - - [x@1 a=\"1\"][x@1 b=\"2\"]"))
        .isInstanceOf(SyslogParseException.class)
        .hasMessageContaining("appears twice");
  }

  @Test
  void rejectsVersionZero() {
    assertThatThrownBy(() -> Rfc5424Parser.parse("<14>0 - h a - - -"))
        .isInstanceOf(SyslogParseException.class)
        .hasMessageContaining("VERSION");
  }

  @Test
  void rejectsLeapSecond() {
    assertThatThrownBy(() -> Rfc5424Parser.parse("<14>1 2016-12-31T23:59:60Z h a - - -"))
        .isInstanceOf(SyslogParseException.class)
        .hasMessageContaining("TIMESTAMP");
  }

  @Test
  void rejectsTimestampWithoutOffset() {
    assertThatThrownBy(() -> Rfc5424Parser.parse("<14>1 2016-12-31T23:59:59 h a - - -"))
        .isInstanceOf(SyslogParseException.class);
  }

  @Test
  void rejectsUnterminatedParamValue() {
    assertThatThrownBy(() -> Rfc5424Parser.parse("<14>1 - h a - - [x@1 a=\"1] msg"))
        .isInstanceOf(SyslogParseException.class)
        .hasMessageContaining("not closed");
  }

  @Test
  void rejectsOverlongAppName() {
    assertThatThrownBy(() -> Rfc5424Parser.parse("<14>1 - h " + "a".repeat(49) + " - - -"))
        .isInstanceOf(SyslogParseException.class)
        .hasMessageContaining("APP-NAME");
  }
}
