package org.vigil.correlation.beats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.correlation.parse.ParseResult;
import org.vigil.model.Envelope;
import org.vigil.model.Event;
import org.vigil.model.Protocol;
import org.vigil.model.Transport;

class BeatsEventBuilderTest {
  private static final long RECEIVED = Instant.parse("2026-11-26T04:00:10Z").toEpochMilli();
  private static final Envelope ENVELOPE =
      new Envelope(Protocol.BEATS, Transport.TCP, "10.20.0.7", 51000, RECEIVED, "collector-1");

  private final BeatsEventBuilder builder = new BeatsEventBuilder(Duration.ofHours(1).toMillis());

  private ParseResult build(String json) {
    return builder.build(json.getBytes(StandardCharsets.UTF_8), ENVELOPE, "position-id");
  }

  private static final String FILEBEAT =
      """
      {"@timestamp":"2026-11-26T04:00:09.123Z","@metadata":{"beat":"filebeat","version":"8.15.0"},
       "message":"Failed password for root from 203.0.113.9 port 4022 ssh2",
       "agent":{"type":"filebeat","id":"a1","version":"8.15.0"},"host":{"name":"web-1"},
       "log":{"file":{"path":"/var/log/auth.log"},"offset":4200},"labels":{"run":"r1"},
       "tags":["linux"]}
      """;

  @Test
  void keepsTheShippersEcsFieldsFlattenedAndAddsWhereAndWhenItArrived() {
    Event e = build(FILEBEAT).event();

    assertThat(e.getTimestamp())
        .isEqualTo(Instant.parse("2026-11-26T04:00:09.123Z").toEpochMilli());
    assertThat(e.get("host.name")).isEqualTo("web-1");
    assertThat(e.get("log.offset")).isEqualTo(4200);
    assertThat(e.get("labels.run")).isEqualTo("r1");
    assertThat(e.get("tags")).isEqualTo(List.of("linux"));
    assertThat(e.get("event.ingested")).isEqualTo("2026-11-26T04:00:10Z");
    assertThat(e.get("observer.ip")).isEqualTo("10.20.0.7");
    assertThat(e.get("event.dataset")).isEqualTo("beats.filebeat");
    assertThat(e.getFields()).doesNotContainKeys("@metadata.beat", "@timestamp");
  }

  @Test
  void aResentEventGetsTheSameIdAndAnotherLineAnother() {
    String first = build(FILEBEAT).event().getId();
    String again = build(FILEBEAT.replace("\n", " ")).event().getId();
    String next = build(FILEBEAT.replace("4200", "4300")).event().getId();

    assertThat(again).isEqualTo(first);
    assertThat(next).isNotEqualTo(first);
  }

  @Test
  void theShippersOwnIdWinsAndEventsWithoutAPositionAreIdentifiedByTheirContent() {
    String own = build("{\"@metadata\":{\"_id\":\"doc-7\"},\"message\":\"a\"}").event().getId();
    String ownAgain =
        build("{\"@metadata\":{\"_id\":\"doc-7\"},\"message\":\"b\"}").event().getId();
    String plainA = build("{\"message\":\"a\"}").event().getId();
    String plainB = build("{\"message\":\"b\"}").event().getId();

    assertThat(ownAgain).isEqualTo(own);
    assertThat(plainA).isNotEqualTo(plainB).isNotEqualTo(own);
  }

  @Test
  void aShipperClockFarOffIsKeptAsCreatedAndTheReceiveTimeUsed() {
    Event e = build("{\"@timestamp\":\"2019-01-01T00:00:00Z\",\"message\":\"x\"}").event();

    assertThat(e.getTimestamp()).isEqualTo(RECEIVED);
    assertThat(e.get("event.created")).isEqualTo("2019-01-01T00:00:00Z");
    assertThat(e.has("tags", BeatsEventBuilder.TAG_CLOCK_SKEW)).isTrue();
  }

  @Test
  void aTimestampThatIsNotAnInstantOrTooFarIsReportedAndTheReceiveTimeUsed() {
    for (String bad :
        new String[] {"yesterday", "2026-02-30T00:00:00Z", "+999999999-01-01T00:00:00Z"}) {
      Event e = build("{\"@timestamp\":\"" + bad + "\",\"message\":\"x\"}").event();

      assertThat(e.getTimestamp()).as(bad).isEqualTo(RECEIVED);
      assertThat(e.text("error.message"))
          .as(bad)
          .isEqualTo("@timestamp is not an ISO-8601 instant: " + bad);
    }
  }

  @Test
  void inputThatIsNotAJsonObjectIsStillAnEventWithTheReason() {
    for (String bad : new String[] {"not json", "[1,2]", "{\"a\":", "null"}) {
      ParseResult r = build(bad);

      assertThat(r.ok()).as(bad).isFalse();
      assertThat(r.failureReason()).as(bad).startsWith("not a JSON object");
      assertThat(r.event().getId()).isEqualTo("position-id");
      assertThat(r.event().get("event.original")).isEqualTo(bad);
      assertThat(r.event().has("tags", BeatsEventBuilder.TAG_PARSE_FAILURE)).isTrue();
      assertThat(r.event().getTimestamp()).isEqualTo(RECEIVED);
    }
  }

  @Test
  void aFailedWindowsLogonBecomesAnAuthenticationFailureWithUserAndSource() {
    Event e =
        build(
                """
                {"@timestamp":"2026-11-26T04:00:05Z","agent":{"type":"winlogbeat","id":"w1"},
                 "event":{"code":"4625","provider":"Microsoft-Windows-Security-Auditing"},
                 "winlog":{"channel":"Security","record_id":991,"event_id":"4625",
                   "event_data":{"TargetUserName":"administrator","TargetDomainName":"AGENCY",
                     "IpAddress":"198.51.100.4","IpPort":"50122","LogonType":"3",
                     "WorkstationName":"-"}}}
                """)
            .event();

    assertThat(e.getCategory()).isEqualTo("authentication");
    assertThat(e.get("event.type")).isEqualTo(List.of("start"));
    assertThat(e.getOutcome()).isEqualTo("failure");
    assertThat(e.getAction()).isEqualTo("logon-failed");
    assertThat(e.getUserName()).isEqualTo("administrator");
    assertThat(e.getSourceIp()).isEqualTo("198.51.100.4");
    assertThat(e.get("source.port")).isEqualTo(50122L);
    assertThat(e.getFields()).doesNotContainKey("source.domain");
  }

  @Test
  void windowsAccountAndGroupChangesNameTheActorAndTheTarget() {
    Event added =
        build(
                """
                {"agent":{"type":"winlogbeat","id":"w1"},"winlog":{"channel":"Security",
                 "record_id":5,"event_id":4732,"event_data":{"SubjectUserName":"alice",
                 "MemberName":"CN=bob,OU=Staff","TargetUserName":"Administrators"}}}
                """)
            .event();
    Event cleared =
        build(
                """
                {"agent":{"type":"winlogbeat","id":"w1"},"winlog":{"channel":"Security",
                 "record_id":6,"event_id":1102,"event_data":{"SubjectUserName":"mallory"}}}
                """)
            .event();
    Event process =
        build(
                """
                {"agent":{"type":"winlogbeat","id":"w1"},"winlog":{"channel":"Security",
                 "record_id":7,"event_id":4688,"event_data":{"NewProcessName":"C:\\\\x.exe",
                 "NewProcessId":"0x1a2c","CommandLine":"x.exe /q"}}}
                """)
            .event();

    assertThat(added.getCategory()).isEqualTo("iam");
    assertThat(added.get("event.type")).isEqualTo(List.of("group", "change"));
    assertThat(added.get("group.name")).isEqualTo("Administrators");
    assertThat(added.get("user.target.name")).isEqualTo("CN=bob,OU=Staff");
    assertThat(added.getUserName()).isEqualTo("alice");
    assertThat(cleared.getAction()).isEqualTo("audit-log-cleared");
    assertThat(cleared.getUserName()).isEqualTo("mallory");
    assertThat(process.getCategory()).isEqualTo("process");
    assertThat(process.get("process.pid")).isEqualTo(0x1a2cL);
    assertThat(process.get("process.executable")).isEqualTo("C:\\x.exe");
  }

  @Test
  void otherWindowsEventsAndNonWindowsEventsKeepTheirOwnFields() {
    Event other =
        build(
                """
                {"agent":{"type":"winlogbeat","id":"w1"},"event":{"category":["host"]},
                 "winlog":{"channel":"Security","record_id":8,"event_id":4634}}
                """)
            .event();
    Event linux =
        build(FILEBEAT.replace("\"labels\"", "\"event\":{\"code\":\"4625\"},\"labels\"")).event();

    assertThat(other.get("event.category")).isEqualTo(List.of("host"));
    assertThat(other.getAction()).isNull();
    assertThat(linux.getCategory()).isNull();
  }
}
