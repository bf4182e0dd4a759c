package org.vigil.correlation.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vigil.correlation.normalise.NormaliserSet;
import org.vigil.model.Envelope;
import org.vigil.model.Event;
import org.vigil.model.Protocol;
import org.vigil.model.Transport;

class SyslogEventBuilderTest {
  private static final long RECEIVED = Instant.parse("2026-11-25T20:15:42Z").toEpochMilli();
  private static final Envelope ENVELOPE =
      new Envelope(Protocol.SYSLOG, Transport.UDP, "192.0.2.10", 51000, RECEIVED, "collector-1");
  private static final SyslogEventBuilder BUILDER =
      new SyslogEventBuilder(NormaliserSet.loadBuiltIn(), ZoneOffset.UTC, Duration.ofMinutes(5));

  /** The line as util-linux {@code logger --server ... --udp} sends it (RFC 5424). */
  private static final String LOGGER_5424 =
      "<13>1 2026-11-25T20:15:41.123456+00:00 myhost sshd 123 - [timeQuality tzKnown=\"1\""
          + " isSynced=\"1\" syncAccuracy=\"12345\"] Failed password for root from 203.0.113.9"
          + " port 4242 ssh2";

  private static final String BSD_3164 =
      "<38>Nov 25 20:15:41 myhost sshd[123]: Failed password for root from 203.0.113.9 port 4242"
          + " ssh2";

  private static ParseResult build(String text) {
    return BUILDER.build(text.getBytes(StandardCharsets.UTF_8), ENVELOPE, "id-1");
  }

  @Test
  void normalisesFailedSshLoginSentByLoggerAsRfc5424() {
    ParseResult result = build(LOGGER_5424);
    assertThat(result.failureReason()).isNull();
    Event e = result.event();
    assertThat(e.getId()).isEqualTo("id-1");
    assertThat(e.getTimestamp())
        .isEqualTo(Instant.parse("2026-11-25T20:15:41.123Z").toEpochMilli());
    assertFailedSshLogin(e);
    assertThat(e.getFields())
        .containsEntry("log.syslog.priority", 13L)
        .containsEntry("log.syslog.facility.code", 1L)
        .containsEntry("log.syslog.severity.code", 5L)
        .containsEntry("log.syslog.version", "1")
        .containsEntry("log.syslog.procid", "123")
        .containsEntry(
            "log.syslog.structured_data",
            Map.of("timeQuality", Map.of("tzKnown", "1", "isSynced", "1", "syncAccuracy", "12345")))
        .doesNotContainKey("log.syslog.msgid")
        .doesNotContainKey("event.timezone")
        .doesNotContainKey("tags");
  }

  @Test
  void normalisesFailedSshLoginSentAsRfc3164() {
    ParseResult result = build(BSD_3164);
    assertThat(result.ok()).isTrue();
    Event e = result.event();
    assertThat(e.getTimestamp()).isEqualTo(Instant.parse("2026-11-25T20:15:41Z").toEpochMilli());
    assertFailedSshLogin(e);
    assertThat(e.getFields())
        .containsEntry("log.syslog.facility.code", 4L)
        .containsEntry("log.syslog.facility.name", "auth")
        .containsEntry("log.syslog.severity.code", 6L)
        .containsEntry("log.syslog.severity.name", "Informational")
        .containsEntry("event.timezone", "Z")
        .doesNotContainKey("log.syslog.version");
  }

  private static void assertFailedSshLogin(Event e) {
    assertThat(e.getSourceIp()).isEqualTo("203.0.113.9");
    assertThat(e.getUserName()).isEqualTo("root");
    assertThat(e.getCategory()).isEqualTo("authentication");
    assertThat(e.getOutcome()).isEqualTo("failure");
    assertThat(e.getDataset()).isEqualTo("syslog.sshd");
    assertThat(e.getFields())
        .containsEntry("source.port", 4242L)
        .containsEntry("event.action", "ssh_login")
        .containsEntry("event.kind", "event")
        .containsEntry("event.ingested", "2026-11-25T20:15:42Z")
        .containsEntry("message", "Failed password for root from 203.0.113.9 port 4242 ssh2")
        .containsEntry("log.syslog.hostname", "myhost")
        .containsEntry("log.syslog.appname", "sshd")
        .containsEntry("host.name", "myhost")
        .containsEntry("process.name", "sshd")
        .containsEntry("process.pid", 123L)
        .containsEntry("observer.ip", "192.0.2.10")
        .containsEntry("vigil.transport", "udp");
    assertThat(e.get("event.original")).asString().startsWith("<");
  }

  @Test
  void usesReceiveTimeAndKeepsDeviceTimeWhenClockIsSkewed() {
    Event e = build("<13>1 2026-11-25T19:00:00Z myhost app - - - late clock").event();
    assertThat(e.getTimestamp()).isEqualTo(RECEIVED);
    assertThat(e.getFields()).containsEntry("event.created", "2026-11-25T19:00:00Z");
    assertThat(e.has("tags", SyslogEventBuilder.TAG_CLOCK_SKEW)).isTrue();
  }

  @Test
  void usesDeviceTimeWithinAllowedSkew() {
    Event e = build("<13>1 2026-11-25T20:11:00Z myhost app - - - close enough").event();
    assertThat(e.getTimestamp()).isEqualTo(Instant.parse("2026-11-25T20:11:00Z").toEpochMilli());
    assertThat(e.getFields()).doesNotContainKeys("event.created", "tags");
  }

  @Test
  void usesReceiveTimeAndPeerWhenDeviceSendsNeitherTimeNorHost() {
    Event e = build("<27>xapi: [error|xen3] Connection to master died").event();
    assertThat(e.getTimestamp()).isEqualTo(RECEIVED);
    assertThat(e.getHostName()).isEqualTo("192.0.2.10");
    assertThat(e.getDataset()).isEqualTo("syslog.xapi");
    assertThat(e.getFields()).doesNotContainKey("log.syslog.hostname");
  }

  @Test
  void fallsBackToGenericDatasetAndDefaultPriority() {
    Event e = build("Feb 18 16:01:59 serverX").event();
    assertThat(e.getDataset()).isEqualTo("syslog.generic");
    assertThat(e.getFields()).containsEntry("log.syslog.priority", 13L);
  }

  @Test
  void makesDatasetSafeFromOddProgramNames() {
    assertThat(SyslogEventBuilder.dataset("%PIX-7-710005")).isEqualTo("syslog._pix-7-710005");
  }

  @Test
  void keepsUnparseableRecordAsTaggedEventWithReason() {
    String bad = "<13>1 2026-13-45T00:00:00Z host app - - - broken";
    ParseResult result = build(bad);
    assertThat(result.failureReason()).contains("TIMESTAMP");
    Event e = result.event();
    assertThat(e.getId()).isEqualTo("id-1");
    assertThat(e.getTimestamp()).isEqualTo(RECEIVED);
    assertThat(e.getFields())
        .containsEntry("event.original", bad)
        .containsEntry("message", bad)
        .containsEntry("event.kind", "event")
        .containsEntry("event.dataset", "syslog.unparsed")
        .containsEntry("tags", List.of("parse_failure"))
        .containsEntry("observer.ip", "192.0.2.10");
  }

  @Test
  void neverThrowsOnRandomBytes() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] payload = new byte[random.nextInt(200)];
      random.nextBytes(payload);
      if (i % 3 == 0 && payload.length > 6) {
        System.arraycopy("<13>1 ".getBytes(StandardCharsets.US_ASCII), 0, payload, 0, 6);
      }
      ParseResult result = BUILDER.build(payload, ENVELOPE, "id");
      assertThat(result.event()).isNotNull();
      assertThat(result.event().get("event.original")).isNotNull();
    }
    assertThat(BUILDER.build(null, ENVELOPE, "id").failureReason()).contains("empty");
  }

  @Test
  void survivesJavaSerialisationAsFlinkShipsIt() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(
          new SyslogEventBuilder(
              NormaliserSet.loadBuiltIn(), ZoneId.of("Europe/Berlin"), Duration.ofHours(1)));
    }
    SyslogEventBuilder copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (SyslogEventBuilder) in.readObject();
    }
    Event e = copy.build(BSD_3164.getBytes(StandardCharsets.UTF_8), ENVELOPE, "x").event();
    assertThat(e.getUserName()).isEqualTo("root");
    assertThat(e.getFields()).containsEntry("event.timezone", "Europe/Berlin");
  }
}
