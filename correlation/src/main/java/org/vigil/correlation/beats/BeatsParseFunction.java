package org.vigil.correlation.beats;

import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.vigil.correlation.parse.ParseResult;
import org.vigil.correlation.source.DeadLetter;
import org.vigil.correlation.source.RawRecord;
import org.vigil.model.Event;
import org.vigil.model.Ids;

/**
 * Adapts {@link BeatsEventBuilder} to Flink. Every record becomes an event, parsed or not; the ones
 * that are not JSON objects are also dead-lettered with the reason.
 */
public final class BeatsParseFunction extends ProcessFunction<RawRecord, Event> {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("beats-dead-letters") {};

  private final Duration maxClockSkew;

  private transient BeatsEventBuilder builder;
  private transient Counter parsed;
  private transient Counter failed;

  /**
   * @param maxClockSkew how far a shipper's time may be from the receive time and still be used
   */
  public BeatsParseFunction(Duration maxClockSkew) {
    this.maxClockSkew = Objects.requireNonNull(maxClockSkew, "maxClockSkew");
  }

  @Override
  public void open(OpenContext openContext) {
    builder = new BeatsEventBuilder(maxClockSkew.toMillis());
    parsed = getRuntimeContext().getMetricGroup().counter("beatsParsed");
    failed = getRuntimeContext().getMetricGroup().counter("beatsParseFailures");
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
