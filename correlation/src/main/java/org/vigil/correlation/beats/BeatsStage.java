package org.vigil.correlation.beats;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.vigil.correlation.source.DeadLetter;
import org.vigil.correlation.source.RawRecord;
import org.vigil.model.Event;

/**
 * The Beats branch of the job: raw events from {@code vigil.raw.beats} become ECS events with
 * event-time watermarks; input that is not a JSON object also goes to the dead-letter sink. A
 * branch of its own, like NetFlow's, so that the syslog operators stay chained.
 */
public final class BeatsStage {

  private BeatsStage() {}

  /**
   * Adds source, parse and dead-letter sink to the environment.
   *
   * @param maxClockSkew shipper time further than this from the receive time is not trusted
   * @param outOfOrderness how late an event may arrive and still be in time for its window
   * @param idleness a silent source partition no longer holds back the watermark after this
   * @return the events, with timestamps and watermarks
   */
  public static DataStream<Event> build(
      StreamExecutionEnvironment env,
      Source<RawRecord, ?, ?> source,
      Duration maxClockSkew,
      Duration outOfOrderness,
      Duration idleness,
      Sink<DeadLetter> deadLetterSink) {
    SingleOutputStreamOperator<Event> parsed =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "Beats raw events")
            .uid("source-beats")
            .process(new BeatsParseFunction(maxClockSkew))
            .uid("parse-beats")
            .name("Parse Beats events");
    parsed
        .getSideOutput(BeatsParseFunction.DEAD_LETTERS)
        .sinkTo(deadLetterSink)
        .uid("sink-deadletter-beats")
        .name("Beats dead letters");
    return parsed
        .assignTimestampsAndWatermarks(
            WatermarkStrategy.<Event>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((event, previous) -> event.getTimestamp())
                .withIdleness(idleness))
        .uid("event-time-beats")
        .name("Beats event time");
  }
}
