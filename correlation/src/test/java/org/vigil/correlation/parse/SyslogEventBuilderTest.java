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
import org.vigil.correlation.normalise.Normaliser;
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

  /**
   * How the two shapes of Cisco ASA syslog reach the normalisers: with "hostname :" the message id
   * stays in the message; without, the BSD parser reads it as the program name. The cisco-asa
   * normaliser's {@code text: program_and_message} reads both the same way.
   */
  @Test
  void presentsCiscoAsaMessageIdAsMessageOrProgramAndNormalisesBoth() {
    Event withHost =
        build(
                "<166>Nov 25 2026 10:00:00 fw01 : %ASA-6-302013: Built inbound TCP connection 123"
                    + " for outside:203.0.113.9/51234 (203.0.113.9/51234) to"
                    + " inside:192.0.2.10/443 (192.0.2.10/443)")
            .event();
    assertThat(withHost.getFields())
        .containsEntry("log.syslog.hostname", "fw01")
        .doesNotContainKey("log.syslog.appname")
        .containsEntry(
            "message",
            "%ASA-6-302013: Built inbound TCP connection 123 for outside:203.0.113.9/51234"
                + " (203.0.113.9/51234) to inside:192.0.2.10/443 (192.0.2.10/443)")
        .containsEntry("event.dataset", "syslog.cisco_asa")
        .containsEntry("event.code", "302013")
        .containsEntry("event.action", "connection_built")
        .containsEntry("source.ip", "203.0.113.9")
        .containsEntry("destination.port", 443L)
        .containsEntry("observer.ingress.zone", "outside");

    Event bare =
        build(
                "<164>%ASA-4-106023: Deny tcp src outside:203.0.113.9/51234 dst"
                    + " inside:192.0.2.10/22 by access-group \"outside_in\" [0x0, 0x0]")
            .event();
    assertThat(bare.getFields())
        .doesNotContainKey("log.syslog.hostname")
        .containsEntry("log.syslog.appname", "%ASA-4-106023")
        .containsEntry(
            "message",
            "Deny tcp src outside:203.0.113.9/51234 dst inside:192.0.2.10/22 by access-group"
                + " \"outside_in\" [0x0, 0x0]")
        .containsEntry("event.dataset", "syslog.cisco_asa")
        .containsEntry("event.code", "106023")
        .containsEntry("event.outcome", "failure")
        .containsEntry("rule.name", "outside_in")
        .containsEntry("destination.port", 22L);
  }

  /**
   * FortiGate starts its message with {@code date=...}, which the BSD parser takes for the program
   * name; the rest of the pairs stay in the message, where the fortigate normaliser reads them.
   */
  @Test
  void presentsFortiGateDateAsProgramAndNormalisesThePairs() {
    Event e =
        build(
                "<189>date=2026-11-25 time=10:00:00 devname=\"FGT60F\" devid=\"FGT60FTK2209A0B1\""
                    + " eventtime=1795600800000000000 tz=\"+0000\" logid=\"0000000013\""
                    + " type=\"traffic\" subtype=\"forward\" level=\"notice\" vd=\"root\""
                    + " srcip=203.0.113.9 srcport=51234 srcintf=\"wan1\" srcintfrole=\"wan\""
                    + " dstip=192.0.2.10 dstport=443 dstintf=\"lan\" dstintfrole=\"lan\""
                    + " sessionid=48213 proto=6 action=\"deny\" policyid=0"
                    + " policytype=\"policy\" service=\"HTTPS\" trandisp=\"noop\""
                    + " duration=0 sentbyte=0 rcvdbyte=0 sentpkt=0 appcat=\"unscanned\""
                    + " crscore=30 craction=131072 crlevel=\"high\"")
            .event();
    assertThat(e.getFields())
        .containsEntry("log.syslog.appname", "date=2026-11-25")
        .containsEntry("event.dataset", "syslog.fortigate")
        .containsEntry("event.outcome", "failure")
        .containsEntry("source.ip", "203.0.113.9")
        .containsEntry("destination.port", 443L)
        .containsEntry("observer.name", "FGT60F");
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

  @Test
  void aNormaliserThatOverflowsTheStackCostsOnlyThatLinesFields() throws Exception {
    String yaml =
        "name: greedy\n"
            + "match:\n  appName: [app]\n"
            + "patterns:\n"
            + "  - id: alternation\n"
            + "    regex: '^(a|b)*$'\n"
            + "    fields:\n      event.action: matched\n";
    SyslogEventBuilder greedy =
        new SyslogEventBuilder(
            NormaliserSet.of(java.util.List.of(Normaliser.fromYaml(yaml, "greedy.yaml"))),
            ZoneOffset.UTC,
            Duration.ofMinutes(5));
    String line = "<13>1 2026-11-25T10:00:00Z host app - - - " + "ab".repeat(40_000);

    ParseResult result =
        greedy.build(
            line.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            new org.vigil.model.Envelope(
                org.vigil.model.Protocol.SYSLOG,
                org.vigil.model.Transport.TCP,
                "192.0.2.1",
                1000,
                java.time.Instant.parse("2026-11-25T10:00:01Z").toEpochMilli(),
                "test"),
            "id-1");

    assertThat(result.failureReason()).isNull();
    assertThat(result.event().has("tags", SyslogEventBuilder.TAG_NORMALISE_FAILURE)).isTrue();
    assertThat(result.event().get("event.action")).isNull();
    assertThat(result.event().text("log.syslog.appname")).isEqualTo("app");
  }

  @Test
  void zonelessDeviceTimeUsesTheZoneOfTheSendersNetworkElseTheDefault() throws Exception {
    SourceZones zones = SourceZones.parse(List.of("10.20.0.0/16 Asia/Tehran"), ZoneOffset.UTC);
    SyslogEventBuilder builder =
        new SyslogEventBuilder(NormaliserSet.loadBuiltIn(), zones, Duration.ofHours(12));
    byte[] line =
        "<38>Nov 25 10:00:00 host sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2"
            .getBytes(StandardCharsets.UTF_8);
    long received = Instant.parse("2026-11-25T08:00:00Z").toEpochMilli();

    Event tehran =
        builder
            .build(
                line,
                new Envelope(Protocol.SYSLOG, Transport.UDP, "10.20.1.5", 514, received, "c"),
                "t")
            .event();
    Event other =
        builder
            .build(
                line,
                new Envelope(Protocol.SYSLOG, Transport.UDP, "10.21.1.5", 514, received, "c"),
                "o")
            .event();

    assertThat(tehran.getTimestamp())
        .isEqualTo(Instant.parse("2026-11-25T06:30:00Z").toEpochMilli());
    assertThat(tehran.getFields()).containsEntry("event.timezone", "Asia/Tehran");
    assertThat(tehran.getUserName()).isEqualTo("root");
    assertThat(other.getTimestamp())
        .isEqualTo(Instant.parse("2026-11-25T10:00:00Z").toEpochMilli());
    assertThat(other.getFields()).containsEntry("event.timezone", "Z");
  }
}
