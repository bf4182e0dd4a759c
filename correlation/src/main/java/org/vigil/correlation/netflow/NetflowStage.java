package org.vigil.correlation.netflow;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.vigil.correlation.source.DeadLetter;
import org.vigil.correlation.source.RawRecord;
import org.vigil.model.Event;

/**
 * The NetFlow/IPFIX branch of the correlation job: raw datagrams, keyed by exporter, decoded into
 * flow events with event-time watermarks; undecodable input goes to the dead-letter sink. The job
 * indexes and routes the events like all others.
 *
 * <p>A branch of its own rather than a union with the syslog stream before the shared operators, so
 * that the syslog operators stay chained.
 */
public final class NetflowStage {

  private NetflowStage() {}

  /**
   * Adds source, decode and dead-letter sink to the environment.
   *
   * @param maxClockSkew exporter time further than this from the receive time is not trusted
   * @param idleness a silent source partition no longer holds back the watermark after this
   * @return the flow events, with timestamps and watermarks
   */
  public static DataStream<Event> build(
      StreamExecutionEnvironment env,
      Source<RawRecord, ?, ?> source,
      NetflowDecodeSettings settings,
      Duration maxClockSkew,
      Duration idleness,
      Sink<DeadLetter> deadLetterSink) {
    SingleOutputStreamOperator<Event> decoded =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "NetFlow raw records")
            .uid("source-netflow")
            .keyBy(new NetflowExporterKeySelector(), Types.STRING)
            .process(new NetflowDecodeFunction(settings, maxClockSkew))
            .uid("decode-netflow")
            .name("Decode NetFlow/IPFIX by exporter");
    decoded
        .getSideOutput(NetflowDecodeFunction.DEAD_LETTERS)
        .sinkTo(deadLetterSink)
        .uid("sink-deadletter-netflow")
        .name("NetFlow dead letters");
    return decoded
        .assignTimestampsAndWatermarks(eventTime(settings, idleness))
        .uid("event-time-netflow")
        .name("Flow event time");
  }

  /** Flow time is the flow's end; the watermark trails the newest by the flows' own bound. */
  static WatermarkStrategy<Event> eventTime(NetflowDecodeSettings settings, Duration idleness) {
    return WatermarkStrategy.<Event>forBoundedOutOfOrderness(settings.outOfOrderness())
        .withTimestampAssigner((event, previous) -> event.getTimestamp())
        .withIdleness(idleness);
  }
}
