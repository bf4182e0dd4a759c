package org.vigil.bench.netflow;

import java.util.Objects;

/**
 * One measured stage of the NetFlow benchmark: what the replay sent and what was counted where the
 * stage ends (Kafka's end offsets, the job's decoded-flows counter, documents in Elasticsearch).
 *
 * @param name the stage, e.g. {@code collector}, {@code decoded}, {@code indexed}
 * @param datagramsSent datagrams the replay sent, template datagrams included
 * @param flowsSent flow records in them
 * @param datagramsCounted datagrams counted at the far end, -1 where the stage counts flows only
 * @param flowsCounted flows counted at the far end
 * @param flowsEstimated true when {@code flowsCounted} is derived from datagrams (the collector's
 *     Kafka topic holds datagrams; when some were lost, their flows are estimated at the average)
 * @param seconds from the start of sending to the last observed rise of the count
 * @param senderFlowRate the replay's own flows per second
 * @param collectorDrops datagrams the collector dropped itself (Kafka refused them), -1 when not
 *     applicable
 * @param kernelDrops datagrams the kernel dropped on the collector's sockets, -1 when unknown
 * @param complete false when the watch stopped before everything sent was counted
 */
public record FlowThroughput(
    String name,
    long datagramsSent,
    long flowsSent,
    long datagramsCounted,
    long flowsCounted,
    boolean flowsEstimated,
    double seconds,
    double senderFlowRate,
    long collectorDrops,
    long kernelDrops,
    boolean complete) {

  public FlowThroughput {
    Objects.requireNonNull(name, "name");
    if (datagramsSent < 0 || flowsSent < 0 || flowsCounted < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    if (seconds < 0 || Double.isNaN(seconds)) {
      throw new IllegalArgumentException("elapsed seconds must not be negative: " + seconds);
    }
  }

  /**
   * A stage that counts datagrams: its flows are exact when every datagram arrived, else estimated
   * from the flows per datagram sent.
   */
  public static FlowThroughput ofDatagrams(
      String name,
      long datagramsSent,
      long flowsSent,
      long datagramsCounted,
      double seconds,
      double senderFlowRate,
      long collectorDrops,
      long kernelDrops,
      boolean complete) {
    boolean exact = datagramsCounted == datagramsSent;
    long flows;
    if (exact) {
      flows = flowsSent;
    } else if (datagramsSent == 0) {
      flows = 0;
    } else {
      flows = Math.round((double) flowsSent * datagramsCounted / datagramsSent);
    }
    return new FlowThroughput(
        name,
        datagramsSent,
        flowsSent,
        datagramsCounted,
        flows,
        !exact,
        seconds,
        senderFlowRate,
        collectorDrops,
        kernelDrops,
        complete);
  }

  /** Flows per second counted at the far end; 0 when nothing arrived or no time passed. */
  public double flowRate() {
    return seconds <= 0 ? 0 : flowsCounted / seconds;
  }

  /** Datagrams per second counted at the far end; 0 where the stage counts flows only. */
  public double datagramRate() {
    return seconds <= 0 || datagramsCounted < 0 ? 0 : datagramsCounted / seconds;
  }

  /** Percent of flows sent that were not counted; more counted than sent is no loss. */
  public double lossPercent() {
    return flowsSent == 0 ? 0 : Math.max(0, flowsSent - flowsCounted) * 100.0 / flowsSent;
  }

  /** Every flow sent was counted. */
  public boolean lossless() {
    return complete && flowsCounted >= flowsSent;
  }
}
