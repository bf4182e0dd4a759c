package org.vigil.bench.netflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.vigil.bench.BenchReport;
import org.vigil.bench.ElasticsearchAlone;

/**
 * The figures of one {@code vigil bench netflow} run, each phase's result or null when it did not
 * run, beside issue 4's goals: the decoder alone at least {@value #DECODER_GOAL} records/s per core
 * (JMH); collector and decode at least {@value #COLLECTOR_GOAL} flows/s with no loss; at least
 * {@value #INDEXED_GOAL} flows/s indexed with nothing lost. Goals are reported, never asserted.
 *
 * @param collector collector only, flows counted by datagrams in the raw NetFlow topic
 * @param decoded end to end, flows the correlation job decoded (its counter)
 * @param indexed end to end, flow documents in Elasticsearch
 * @param jobLostFlows flows the job found missing from sequence numbers (IPFIX), -1 when unknown
 * @param jobLostPackets export packets the job found missing (v9), -1 when unknown
 * @param decoder the JMH figures, empty when skipped
 * @param elasticsearchAlone the end-to-end run's flow documents indexed again by Elasticsearch
 *     alone, the machine's ceiling for the indexed rate; null when not measured
 */
public record NetflowBenchReport(
    FlowThroughput collector,
    FlowThroughput decoded,
    FlowThroughput indexed,
    long jobLostFlows,
    long jobLostPackets,
    List<NetflowDecoderJmh.Figure> decoder,
    ElasticsearchAlone.Result elasticsearchAlone)
    implements BenchReport {
  public static final long DECODER_GOAL = 1_000_000;
  public static final long COLLECTOR_GOAL = 100_000;
  public static final long INDEXED_GOAL = 40_000;

  /** How far under the goal a paced sender may land and still count as sending at it. */
  public static final double PACING_TOLERANCE = 0.01;

  /** A report without Elasticsearch alone. */
  public NetflowBenchReport(
      FlowThroughput collector,
      FlowThroughput decoded,
      FlowThroughput indexed,
      long jobLostFlows,
      long jobLostPackets,
      List<NetflowDecoderJmh.Figure> decoder) {
    this(collector, decoded, indexed, jobLostFlows, jobLostPackets, decoder, null);
  }

  public NetflowBenchReport {
    decoder = decoder == null ? List.of() : List.copyOf(decoder);
  }

  /**
   * The collector took a load at the goal's rate without losing a flow. A paced replay lands a
   * little under its rate (a datagram carries some 20 flows, the pacer grants them one at a time),
   * so a sender within 1 % ({@link #PACING_TOLERANCE}) of the goal counts as sending at it; the far
   * end's rate also runs to the last poll of Kafka, so it is not the judge.
   */
  public Optional<Boolean> collectorGoalMet() {
    return Optional.ofNullable(collector)
        .map(
            r ->
                r.lossless()
                    && r.collectorDrops() <= 0
                    && r.kernelDrops() <= 0
                    && Math.max(r.senderFlowRate(), r.flowRate())
                        >= COLLECTOR_GOAL * (1 - PACING_TOLERANCE));
  }

  public Optional<Boolean> indexedGoalMet() {
    return Optional.ofNullable(indexed).map(r -> r.lossless() && r.flowRate() >= INDEXED_GOAL);
  }

  /** Every packet's figure at or above the goal. */
  public Optional<Boolean> decoderGoalMet() {
    return decoder.isEmpty()
        ? Optional.empty()
        : Optional.of(decoder.stream().allMatch(f -> f.recordsPerSecond() >= DECODER_GOAL));
  }

  private List<FlowThroughput> results() {
    return Stream.of(collector, decoded, indexed).filter(Objects::nonNull).toList();
  }

  /** A fixed-width table for a terminal: one row per stage, then the decoder's figures. */
  @Override
  public String table() {
    StringBuilder sb = new StringBuilder();
    String row = "%-10s %11s %11s %11s %8s %10s %10s %11s %8s %9s  %s%n";
    sb.append(
        String.format(
            Locale.ROOT,
            row,
            "stage",
            "flows sent",
            "counted",
            "datagrams",
            "seconds",
            "flows/s",
            "dgrams/s",
            "sent flows/s",
            "loss %",
            "drops",
            "goal"));
    for (FlowThroughput r : results()) {
      sb.append(
          String.format(
              Locale.ROOT,
              row,
              r.name(),
              r.flowsSent(),
              r.flowsCounted() + (r.flowsEstimated() ? "~" : "") + (r.complete() ? "" : "*"),
              r.datagramsCounted() < 0 ? "-" : String.valueOf(r.datagramsCounted()),
              String.format(Locale.ROOT, "%.2f", r.seconds()),
              String.format(Locale.ROOT, "%.0f", r.flowRate()),
              r.datagramsCounted() < 0 ? "-" : String.format(Locale.ROOT, "%.0f", r.datagramRate()),
              String.format(Locale.ROOT, "%.0f", r.senderFlowRate()),
              String.format(Locale.ROOT, "%.3f", r.lossPercent()),
              BenchReport.drops(r.collectorDrops(), r.kernelDrops()),
              goal(r)));
    }
    if (jobLostFlows >= 0 || jobLostPackets >= 0) {
      sb.append(
          String.format(
              Locale.ROOT,
              "job sequence check: %d flows (IPFIX) and %d export packets (v9) missing%n",
              Math.max(0, jobLostFlows),
              Math.max(0, jobLostPackets)));
    }
    if (elasticsearchAlone != null) {
      sb.append(elasticsearchAlone.line());
      sb.append(elasticsearchAlone.goalAboveBound(INDEXED_GOAL));
    }
    for (NetflowDecoderJmh.Figure f : decoder) {
      sb.append(
          String.format(
              Locale.ROOT,
              "decoder (JMH, 1 thread) %s; goal >= %d records/s per core: %s%n",
              f,
              DECODER_GOAL,
              BenchReport.verdict(f.recordsPerSecond() >= DECODER_GOAL)));
    }
    if (results().stream().anyMatch(FlowThroughput::flowsEstimated)) {
      sb.append("~ estimated from datagrams counted at the average flows per datagram sent\n");
    }
    if (results().stream().anyMatch(r -> !r.complete())) {
      sb.append("* stopped waiting before every flow sent was counted\n");
    }
    return sb.toString();
  }

  private String goal(FlowThroughput r) {
    if (r == collector) {
      return String.format(
          Locale.ROOT,
          ">= %d flows/s, no loss: %s",
          COLLECTOR_GOAL,
          BenchReport.verdict(collectorGoalMet().orElse(false)));
    }
    if (r == indexed) {
      return String.format(
          Locale.ROOT,
          ">= %d flows/s, no loss: %s",
          INDEXED_GOAL,
          BenchReport.verdict(indexedGoalMet().orElse(false)));
    }
    return r.lossless() ? "all decoded" : "flows missing";
  }

  @Override
  public String json() {
    ObjectNode root = BenchReport.jsonRoot();
    ArrayNode stages = root.putArray("stages");
    for (FlowThroughput r : results()) {
      ObjectNode n = stages.addObject();
      n.put("name", r.name());
      n.put("datagramsSent", r.datagramsSent());
      n.put("flowsSent", r.flowsSent());
      if (r.datagramsCounted() >= 0) {
        n.put("datagramsCounted", r.datagramsCounted());
        n.put("datagramRate", Math.round(r.datagramRate()));
      }
      n.put("flowsCounted", r.flowsCounted());
      n.put("flowsEstimated", r.flowsEstimated());
      n.put("seconds", r.seconds());
      n.put("flowRate", Math.round(r.flowRate()));
      n.put("senderFlowRate", Math.round(r.senderFlowRate()));
      n.put("lossPercent", r.lossPercent());
      BenchReport.putDrops(n, r.collectorDrops(), r.kernelDrops());
      n.put("complete", r.complete());
    }
    if (jobLostFlows >= 0) {
      root.put("jobLostFlows", jobLostFlows);
    }
    if (jobLostPackets >= 0) {
      root.put("jobLostPackets", jobLostPackets);
    }
    if (elasticsearchAlone != null) {
      elasticsearchAlone.putJson(root);
    }
    ArrayNode jmh = root.putArray("decoder");
    for (NetflowDecoderJmh.Figure f : decoder) {
      ObjectNode n = jmh.addObject();
      n.put("packet", f.packet());
      n.put("packetsPerSecond", Math.round(f.packetsPerSecond()));
      n.put("recordsPerPacket", f.recordsPerPacket());
      n.put("recordsPerSecondPerCore", Math.round(f.recordsPerSecond()));
    }
    ObjectNode goals = root.putObject("goals");
    decoderGoalMet().ifPresent(m -> goals.put("decoder", m));
    collectorGoalMet().ifPresent(m -> goals.put("collector", m));
    indexedGoalMet().ifPresent(m -> goals.put("indexed", m));
    return BenchReport.write(root);
  }
}
