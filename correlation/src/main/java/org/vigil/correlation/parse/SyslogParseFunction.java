package org.vigil.correlation.parse;

import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.vigil.correlation.normalise.NormaliserSet;
import org.vigil.correlation.source.DeadLetter;
import org.vigil.correlation.source.RawRecord;
import org.vigil.model.Event;
import org.vigil.model.Ids;

/**
 * Adapts {@link SyslogEventBuilder} to Flink. Every record becomes an event, parsed or not, so
 * nothing is invisible; the ones that failed are also dead-lettered with the reason.
 */
public final class SyslogParseFunction extends ProcessFunction<RawRecord, Event> {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  private final SourceZones sourceZones;
  private final Duration maxClockSkew;

  private transient SyslogEventBuilder builder;
  private transient Counter parsed;
  private transient Counter failed;

  /**
   * @param sourceZones the zone of device times that carry none (RFC 3164), by sender network
   * @param maxClockSkew how far a device's time may be from the receive time and still be used
   */
  public SyslogParseFunction(SourceZones sourceZones, Duration maxClockSkew) {
    this.sourceZones = Objects.requireNonNull(sourceZones, "sourceZones");
    this.maxClockSkew = Objects.requireNonNull(maxClockSkew, "maxClockSkew");
  }

  @Override
  public void open(OpenContext openContext) {
    builder = new SyslogEventBuilder(NormaliserSet.loadBuiltIn(), sourceZones, maxClockSkew);
    parsed = getRuntimeContext().getMetricGroup().counter("syslogParsed");
    failed = getRuntimeContext().getMetricGroup().counter("syslogParseFailures");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<Event> out) {
    if (raw.envelope == null) {
      failed.inc();
      ctx.output(DEAD_LETTERS, new DeadLetter(raw, raw.envelopeError, System.currentTimeMillis()));
      return;
    }
    ParseResult result =
        builder.build(
            raw.value, raw.envelope, Ids.event(raw.topic, raw.partition, raw.offset, raw.index));
    if (result.failureReason() != null) {
      failed.inc();
      ctx.output(
          DEAD_LETTERS, new DeadLetter(raw, result.failureReason(), System.currentTimeMillis()));
    } else {
      parsed.inc();
    }
    out.collect(result.event());
  }
}
