package org.vigil.correlation.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.vigil.collectors.syslog.SyslogParser;
import org.vigil.correlation.normalise.NormaliserSet;
import org.vigil.model.Envelope;
import org.vigil.model.Event;
import org.vigil.model.Protocol;
import org.vigil.model.Transport;

/**
 * Coverage-guided fuzzing of {@link SyslogEventBuilder} with the built-in normalisers: every
 * payload becomes an event that keeps the original text, whether it parses, normalises or neither.
 * The builder turns an unexpected RuntimeException into a "cannot build event" failure so the job
 * survives; here that counts as the crash it hides.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the seeds in {@code SyslogEventBuilderFuzzTestInputs}
 * (normaliser test lines wrapped in RFC 3164 and RFC 5424 headers) as a unit test.
 */
class SyslogEventBuilderFuzzTest {
  private static final long RECEIVED = Instant.parse("2026-11-25T20:15:42Z").toEpochMilli();
  private static final Envelope ENVELOPE =
      new Envelope(Protocol.SYSLOG, Transport.TCP, "2001:db8::10", 51000, RECEIVED, "collector-1");
  private static final SyslogEventBuilder BUILDER =
      new SyslogEventBuilder(
          NormaliserSet.loadBuiltIn(), ZoneId.of("America/St_Johns"), Duration.ofMinutes(5));

  @FuzzTest(maxDuration = "30s")
  void buildsAnEventThatKeepsTheOriginalForAnyPayload(@NotNull byte[] payload) {
    ParseResult result = BUILDER.build(payload, ENVELOPE, "id-1");

    Event event = result.event();
    assertThat(event.getId()).isEqualTo("id-1");
    assertThat(event.get("event.original")).isEqualTo(SyslogParser.decode(payload));
    assertThat(event.get("message")).isNotNull();
    assertThat(event.get("event.dataset")).isNotNull();
    if (result.ok()) {
      assertThat(event.has("tags", SyslogEventBuilder.TAG_PARSE_FAILURE)).isFalse();
      assertThat(event.get("log.syslog.priority")).isNotNull();
    } else {
      assertThat(result.failureReason()).doesNotStartWith("cannot build event");
      assertThat(event.has("tags", SyslogEventBuilder.TAG_PARSE_FAILURE)).isTrue();
      assertThat(event.get("event.dataset")).isEqualTo(SyslogEventBuilder.DATASET_UNPARSED);
    }
  }
}
