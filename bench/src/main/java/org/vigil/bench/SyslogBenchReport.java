package org.vigil.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * The figures of one {@code vigil bench syslog} run, each phase's result or null when the phase did
 * not run, and how they compare with issue 3's goals: the collector takes at least {@value
 * #TCP_GOAL} msg/s over TCP without loss and {@value #UDP_GOAL} msg/s over UDP with less than
 * {@value #UDP_LOSS_GOAL_PERCENT} % loss; end to end, Vigil indexes at least as fast as rsyslog
 * measured in the same run. The goals are reported, never asserted: the machine is shared and the
 * numbers are noisy.
 *
 * @param elasticsearchAlone Vigil's end-to-end documents indexed again by Elasticsearch alone, the
 *     machine's ceiling for the end-to-end rate; null when not measured
 */
public record SyslogBenchReport(
    ThroughputResult collectorTcp,
    ThroughputResult collectorUdp,
    ThroughputResult vigilEndToEnd,
    ThroughputResult rsyslogEndToEnd,
    ElasticsearchAlone.Result elasticsearchAlone)
    implements BenchReport {
  public static final long TCP_GOAL = 150_000;
  public static final long UDP_GOAL = 80_000;
  public static final double UDP_LOSS_GOAL_PERCENT = 0.1;

  /** A report without Elasticsearch alone. */
  public SyslogBenchReport(
      ThroughputResult collectorTcp,
      ThroughputResult collectorUdp,
      ThroughputResult vigilEndToEnd,
      ThroughputResult rsyslogEndToEnd) {
    this(collectorTcp, collectorUdp, vigilEndToEnd, rsyslogEndToEnd, null);
  }

  /** Vigil's end-to-end rate over rsyslog's, when both ran and rsyslog indexed something. */
  public Optional<Double> ratio() {
    if (vigilEndToEnd == null || rsyslogEndToEnd == null || rsyslogEndToEnd.rate() <= 0) {
      return Optional.empty();
    }
    return Optional.of(vigilEndToEnd.rate() / rsyslogEndToEnd.rate());
  }

  /**
   * The highest ratio this run allows Vigil at all: the rate Elasticsearch's own CPU per Vigil
   * document permits with every core busy ({@link ElasticsearchAlone.Result#cpuBoundRate}) over
   * rsyslog's rate. A Vigil pipeline that cost nothing would still stay at or below it; present
   * when rsyslog ran and Elasticsearch alone's CPU was measured.
   */
  public Optional<Double> ratioCeiling() {
    if (elasticsearchAlone == null || rsyslogEndToEnd == null || rsyslogEndToEnd.rate() <= 0) {
      return Optional.empty();
    }
    OptionalDouble bound = elasticsearchAlone.cpuBoundRate();
    return bound.isEmpty()
        ? Optional.empty()
        : Optional.of(bound.getAsDouble() / rsyslogEndToEnd.rate());
  }

  public Optional<Boolean> tcpGoalMet() {
    return Optional.ofNullable(collectorTcp)
        .map(r -> r.complete() && r.lossPercent() == 0 && r.rate() >= TCP_GOAL);
  }

  public Optional<Boolean> udpGoalMet() {
    return Optional.ofNullable(collectorUdp)
        .map(r -> r.senderRate() >= UDP_GOAL && r.lossPercent() < UDP_LOSS_GOAL_PERCENT);
  }

  public Optional<Boolean> endToEndGoalMet() {
    return ratio().map(r -> r >= 1.0 && vigilEndToEnd.complete());
  }

  private List<ThroughputResult> results() {
    return Stream.of(collectorTcp, collectorUdp, vigilEndToEnd, rsyslogEndToEnd)
        .filter(Objects::nonNull)
        .toList();
  }

  /** A fixed-width table for a terminal, one row per phase, then the ratio. */
  @Override
  public String table() {
    StringBuilder sb = new StringBuilder();
    String row = "%-16s %-4s %11s %11s %8s %12s %12s %8s %10s  %s%n";
    sb.append(
        String.format(
            Locale.ROOT,
            row,
            "run",
            "via",
            "sent",
            "counted",
            "seconds",
            "msg/s",
            "sender msg/s",
            "loss %",
            "drops",
            "goal"));
    for (ThroughputResult r : results()) {
      sb.append(
          String.format(
              Locale.ROOT,
              row,
              r.name(),
              r.transport(),
              r.sent(),
              r.received() + (r.complete() ? "" : "*"),
              String.format(Locale.ROOT, "%.2f", r.seconds()),
              String.format(Locale.ROOT, "%.0f", r.rate()),
              r.senderRate() > 0 ? String.format(Locale.ROOT, "%.0f", r.senderRate()) : "-",
              String.format(Locale.ROOT, "%.3f", r.lossPercent()),
              BenchReport.drops(r.collectorDrops(), r.kernelDrops()),
              goal(r)));
    }
    ratio()
        .ifPresent(
            q ->
                sb.append(
                    String.format(
                        Locale.ROOT,
                        "vigil/rsyslog end to end: %.2f (%.0f / %.0f msg/s; goal >= 1.00: %s)%n",
                        q,
                        vigilEndToEnd.rate(),
                        rsyslogEndToEnd.rate(),
                        BenchReport.verdict(endToEndGoalMet().orElse(false)))));
    if (elasticsearchAlone != null) {
      sb.append(elasticsearchAlone.line());
    }
    ratioCeiling()
        .ifPresent(
            c ->
                sb.append(
                    String.format(
                        Locale.ROOT,
                        "ratio ceiling: %.2f (Elasticsearch's CPU allows %,.0f of Vigil's documents/s"
                            + " against rsyslog's %,.0f msg/s, if Vigil's own pipeline cost"
                            + " nothing)%n",
                        c,
                        elasticsearchAlone.cpuBoundRate().getAsDouble(),
                        rsyslogEndToEnd.rate())));
    if (results().stream().anyMatch(r -> !r.complete())) {
      sb.append("* stopped waiting before every message sent was counted\n");
    }
    return sb.toString();
  }

  private String goal(ThroughputResult r) {
    if (r == collectorTcp) {
      return String.format(
          Locale.ROOT,
          ">= %d msg/s, no loss: %s",
          TCP_GOAL,
          BenchReport.verdict(tcpGoalMet().orElse(false)));
    }
    if (r == collectorUdp) {
      return String.format(
          Locale.ROOT,
          ">= %d msg/s sent, < %.1f %% loss: %s",
          UDP_GOAL,
          UDP_LOSS_GOAL_PERCENT,
          BenchReport.verdict(udpGoalMet().orElse(false)));
    }
    if (r == vigilEndToEnd) {
      return ratio().isPresent() ? "ratio >= 1.00 (below)" : "(run --peer rsyslog for the ratio)";
    }
    return "yardstick";
  }

  @Override
  public String json() {
    ObjectNode root = BenchReport.jsonRoot();
    ArrayNode runs = root.putArray("runs");
    for (ThroughputResult r : results()) {
      ObjectNode n = runs.addObject();
      n.put("name", r.name());
      n.put("transport", r.transport());
      n.put("sent", r.sent());
      n.put("counted", r.received());
      n.put("seconds", r.seconds());
      n.put("rate", Math.round(r.rate()));
      n.put("senderRate", Math.round(r.senderRate()));
      n.put("lossPercent", r.lossPercent());
      BenchReport.putDrops(n, r.collectorDrops(), r.kernelDrops());
      n.put("complete", r.complete());
    }
    ratio().ifPresent(q -> root.put("ratio", q));
    ratioCeiling().ifPresent(c -> root.put("ratioCeiling", c));
    if (elasticsearchAlone != null) {
      elasticsearchAlone.putJson(root);
    }
    ObjectNode goals = root.putObject("goals");
    tcpGoalMet().ifPresent(m -> goals.put("collectorTcp", m));
    udpGoalMet().ifPresent(m -> goals.put("collectorUdp", m));
    endToEndGoalMet().ifPresent(m -> goals.put("endToEnd", m));
    return BenchReport.write(root);
  }
}
