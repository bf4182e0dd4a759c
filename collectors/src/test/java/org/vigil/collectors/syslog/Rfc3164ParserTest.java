package org.vigil.collectors.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class Rfc3164ParserTest {
  private static final ZoneId VANCOUVER = ZoneId.of("America/Vancouver");

  @Test
  void parsesTagWithPidAndMessage() throws Exception {
    SyslogMessage m =
        Rfc3164Parser.parse(
            "<38>Nov 25 20:15:41 myhost sshd[123]: Failed password for root from 203.0.113.9"
                + " port 4242 ssh2",
            ZoneOffset.UTC,
            Instant.parse("2026-11-25T20:15:42Z"));
    assertThat(m.facility()).isEqualTo(4);
    assertThat(m.severity()).isEqualTo(6);
    assertThat(m.timestamp()).isEqualTo(Instant.parse("2026-11-25T20:15:41Z"));
    assertThat(m.timestampHadZone()).isFalse();
    assertThat(m.hostname()).isEqualTo("myhost");
    assertThat(m.appName()).isEqualTo("sshd");
    assertThat(m.procId()).isEqualTo("123");
    assertThat(m.tag()).isEqualTo("sshd[123]:");
    assertThat(m.message()).isEqualTo("Failed password for root from 203.0.113.9 port 4242 ssh2");
  }

  @Test
  void readsTimeWithoutZoneInConfiguredZone() throws Exception {
    SyslogMessage m =
        Rfc3164Parser.parse(
            "<13>Jul  4 12:00:00 host app: x", VANCOUVER, Instant.parse("2026-07-04T19:00:00Z"));
    assertThat(m.timestamp()).isEqualTo(Instant.parse("2026-07-04T19:00:00Z"));
    assertThat(m.timestampOffset()).isEqualTo(ZoneOffset.ofHours(-7));
  }

  @Test
  void keepsLastYearForMessageSentOnNewYearsEveAndReceivedAfterMidnight() throws Exception {
    SyslogMessage m =
        Rfc3164Parser.parse(
            "<13>Dec 31 23:59:59 host app: x",
            ZoneOffset.UTC,
            Instant.parse("2027-01-01T00:00:02Z"));
    assertThat(m.timestamp()).isEqualTo(Instant.parse("2026-12-31T23:59:59Z"));
  }

  @Test
  void takesNextYearForDeviceClockAheadAcrossNewYear() throws Exception {
    SyslogMessage m =
        Rfc3164Parser.parse(
            "<13>Jan  1 00:00:30 host app: x",
            ZoneOffset.UTC,
            Instant.parse("2026-12-31T23:59:50Z"));
    assertThat(m.timestamp()).isEqualTo(Instant.parse("2027-01-01T00:00:30Z"));
  }

  @Test
  void rejectsDayThatDoesNotExistNearReceiveTime() {
    assertThatThrownBy(
            () ->
                Rfc3164Parser.parse(
                    "<13>Feb 29 10:00:00 host app: x",
                    ZoneOffset.UTC,
                    Instant.parse("2026-03-01T00:00:00Z")))
        .isInstanceOf(SyslogParseException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void acceptsLeapDayInLeapYear() throws Exception {
    SyslogMessage m =
        Rfc3164Parser.parse(
            "<13>Feb 29 10:00:00 host app: x",
            ZoneOffset.UTC,
            Instant.parse("2028-03-01T00:00:00Z"));
    assertThat(m.timestamp()).isEqualTo(Instant.parse("2028-02-29T10:00:00Z"));
  }

  @Test
  void parsesCiscoSequenceUnsyncedMarkMillisAndZone() throws Exception {
    SyslogMessage m =
        Rfc3164Parser.parse(
            "<189>000123: *Mar  1 00:01:02.345 UTC: %SYS-5-CONFIG_I: Configured from console by"
                + " vty0 (10.0.0.1)",
            VANCOUVER, Instant.parse("2026-03-01T00:01:03Z"));
    assertThat(m.sequenceNumber()).isEqualTo(123);
    assertThat(m.timestampUnsynced()).isTrue();
    assertThat(m.timestamp()).isEqualTo(Instant.parse("2026-03-01T00:01:02.345Z"));
    assertThat(m.timestampHadZone()).isTrue();
    assertThat(m.hostname()).isNull();
    assertThat(m.appName()).isEqualTo("%SYS-5-CONFIG_I");
    assertThat(m.message()).isEqualTo("Configured from console by vty0 (10.0.0.1)");
  }

  @Test
  void parsesCiscoSynchronisedTimeWithYearAndTrailingColon() throws Exception {
    SyslogMessage m =
        Rfc3164Parser.parse(
            "<187>45: .Nov 25 2026 20:15:41.120: %LINK-3-UPDOWN: Interface Gi0/1, changed state"
                + " to down",
            ZoneOffset.UTC, Instant.parse("2026-11-25T20:15:41Z"));
    assertThat(m.sequenceNumber()).isEqualTo(45);
    assertThat(m.timestampUnsynced()).isTrue();
    assertThat(m.timestamp()).isEqualTo(Instant.parse("2026-11-25T20:15:41.120Z"));
    assertThat(m.appName()).isEqualTo("%LINK-3-UPDOWN");
  }

  @Test
  void leavesHostnameOutWhenSenderDidNotSendOne() throws Exception {
    SyslogMessage m =
        Rfc3164Parser.parse(
            "<86>Nov 25 20:15:41 sshd[99]: Accepted publickey for ann",
            ZoneOffset.UTC,
            Instant.parse("2026-11-25T20:15:41Z"));
    assertThat(m.hostname()).isNull();
    assertThat(m.appName()).isEqualTo("sshd");
    assertThat(m.procId()).isEqualTo("99");
  }

  @Test
  void treatsUnidentifiablePriAsAbsent() throws Exception {
    SyslogMessage m =
        Rfc3164Parser.parse("<999>Nov 25 20:15:41 h app: x", ZoneOffset.UTC, Instant.EPOCH);
    assertThat(m.hasPri()).isFalse();
    assertThat(m.effectivePriority()).isEqualTo(13);
  }

  @Test
  void rejectsBlankMessage() {
    assertThatThrownBy(() -> Rfc3164Parser.parse("   ", ZoneOffset.UTC, Instant.EPOCH))
        .isInstanceOf(SyslogParseException.class)
        .hasMessageContaining("empty");
  }
}
