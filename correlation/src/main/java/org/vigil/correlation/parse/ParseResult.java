package org.vigil.correlation.parse;

import java.util.Objects;
import org.vigil.model.Event;

/**
 * An event built from one raw record. Unparseable input still gives an event (tagged {@code
 * parse_failure}) so nothing is invisible; {@code failureReason} then says why, for the dead-letter
 * topic and the counters.
 *
 * @param event the event, never null
 * @param failureReason null on success
 */
public record ParseResult(Event event, String failureReason) {
  public ParseResult {
    Objects.requireNonNull(event, "event");
  }

  public boolean ok() {
    return failureReason == null;
  }
}
