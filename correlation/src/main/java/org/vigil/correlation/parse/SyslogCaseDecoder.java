package org.vigil.correlation.parse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.vigil.collectors.syslog.SyslogMessage;
import org.vigil.collectors.syslog.SyslogParseException;
import org.vigil.collectors.syslog.SyslogParser;
import org.vigil.correlation.normalise.NormaliserSet;
import org.vigil.model.Envelope;
import org.vigil.model.Event;
import org.vigil.model.Protocol;
import org.vigil.model.Transport;
import org.vigil.rules.engine.RawLogDecoder;

/**
 * Decodes the raw syslog lines of rule test cases ({@code .log} files) exactly as the job's parse
 * stage does: {@link SyslogParser}, then {@link SyslogEventBuilder} with the normalisers. The line
 * is taken as received at its own timestamp, as from a device with a synchronised clock, so event
 * time is the time written in the line.
 */
public final class SyslogCaseDecoder implements RawLogDecoder {
  /** The collector id events of test cases carry. */
  public static final String COLLECTOR_ID = "vigil-rules-test";

  private final NormaliserSet normalisers;

  /** With the shipped normalisers. */
  public SyslogCaseDecoder() {
    this(NormaliserSet.loadBuiltIn());
  }

  public SyslogCaseDecoder(NormaliserSet normalisers) {
    this.normalisers = normalisers;
  }

  @Override
  public Event decode(String line, String eventId, Context context) {
    Instant deviceTime;
    try {
      SyslogMessage message = SyslogParser.parse(line, context.zone(), context.yearReference());
      deviceTime = message.timestamp();
    } catch (SyslogParseException e) {
      throw new IllegalArgumentException("not a syslog message: " + e.getMessage(), e);
    }
    if (deviceTime == null) {
      // The job would take the receive time; a case has none, and its windows need real times.
      throw new IllegalArgumentException(
          "not a syslog message with a timestamp (RFC 3164 'Mmm dd hh:mm:ss' or RFC 5424)");
    }
    Envelope envelope =
        new Envelope(
            Protocol.SYSLOG,
            Transport.UDP,
            context.peerAddress(),
            514,
            deviceTime.toEpochMilli(),
            COLLECTOR_ID);
    ParseResult result =
        new SyslogEventBuilder(normalisers, context.zone(), Duration.ofMinutes(5))
            .build(line.getBytes(StandardCharsets.UTF_8), envelope, eventId);
    if (!result.ok()) {
      throw new IllegalArgumentException("not a syslog message: " + result.failureReason());
    }
    return result.event();
  }
}
