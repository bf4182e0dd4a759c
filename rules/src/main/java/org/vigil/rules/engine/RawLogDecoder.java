package org.vigil.rules.engine;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import org.vigil.model.Event;

/**
 * Turns one raw log line of a {@code .log} case file into the event the correlation job would build
 * from it: the real syslog parser and normalisers. The rules module cannot depend on the job, so
 * the job's module provides it ({@code org.vigil.correlation.parse.SyslogCaseDecoder}) and whoever
 * runs cases with raw lines passes it to {@link RuleCaseRunner}.
 */
@FunctionalInterface
public interface RawLogDecoder {
  /**
   * What the collector would have known about a line.
   *
   * @param peerAddress the sending device's address ({@code observer.ip})
   * @param zone the zone of timestamps that carry none (RFC 3164)
   * @param yearReference a time in the year that year-less timestamps belong to
   */
  record Context(String peerAddress, ZoneId zone, Instant yearReference) {
    public Context {
      Objects.requireNonNull(peerAddress, "peerAddress");
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(yearReference, "yearReference");
    }
  }

  /**
   * @param line one syslog message (RFC 3164 or RFC 5424), without its line break
   * @param eventId the id the event gets
   * @return the event, with the line's own timestamp as event time
   * @throws IllegalArgumentException when the line is not a syslog message, with the reason
   */
  Event decode(String line, String eventId, Context context);
}
