package org.vigil.bench.beats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Objects;
import org.vigil.bench.BenchReport;
import org.vigil.bench.ElasticsearchAlone;

/**
 * The figures of {@code vigil bench beats}: events acknowledged (which Vigil's server does only
 * once Kafka has them), by the collector alone and in the all-in-one, and events indexed in
 * Elasticsearch, each beside its goal from issue 5.
 *
 * @param collector the load against the collector and Kafka alone; null when not run
 * @param kafkaEvents events in the records the collector phase added to the raw Beats topic, -1
 *     when not run
 * @param endToEnd the load against the whole all-in-one; null when not run
 * @param indexed the end-to-end load's events counted in Elasticsearch; null when not run
 * @param elasticsearchAlone the end-to-end load's documents indexed again by Elasticsearch alone,
 *     the machine's ceiling for the indexed rate; null when not measured
 */
public record BeatsBenchReport(
    BeatsLoad.Result collector,
    long kafkaEvents,
    BeatsLoad.Result endToEnd,
    Indexed indexed,
    ElasticsearchAlone.Result elasticsearchAlone)
    implements BenchReport {

  /** Issue 5: at least this many events/s into Kafka (Logstash's Beats input: 23,000-30,000). */
  public static final double KAFKA_GOAL = 100_000;

  /** Issue 5: at least this many events/s end to end, indexed in Elasticsearch. */
  public static final double INDEXED_GOAL = 40_000;

  /**
   * The load's events counted in Elasticsearch.
   *
   * @param count documents of the run found by a search
   * @param seconds from the first send until Elasticsearch had indexed as many documents as were
   *     sent, by its own count of index operations on the event indices
   * @param searchableSeconds from the first send until the search count last rose: {@code seconds}
   *     plus the wait for the next refresh of the index (every 5 s), a latency rather than a cost
   * @param complete whether every event sent was found
   */
  public record Indexed(long count, double seconds, double searchableSeconds, boolean complete) {
    public double eventsPerSecond() {
      return seconds <= 0 ? 0 : count / seconds;
    }
  }

  /** A report without Elasticsearch alone. */
  public BeatsBenchReport(
      BeatsLoad.Result collector, long kafkaEvents, BeatsLoad.Result endToEnd, Indexed indexed) {
    this(collector, kafkaEvents, endToEnd, indexed, null);
  }

  public BeatsBenchReport {
    if (collector == null && endToEnd == null) {
      throw new IllegalArgumentException("a report needs at least one measured load");
    }
    if (indexed != null) {
      Objects.requireNonNull(endToEnd, "endToEnd (indexed counts its events)");
    }
  }

  @Override
  public String table() {
    StringBuilder sb = new StringBuilder();
    BeatsLoad.Result any = collector != null ? collector : endToEnd;
    sb.append(
        String.format(
            Locale.ROOT,
            "beats: %d clients, windows of %d events, %d in flight per client%n",
            any.clients(),
            any.windowSize(),
            any.inFlight()));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-22s %10s %10s %8s %12s %12s %7s%n",
            "stage",
            "sent",
            "arrived",
            "seconds",
            "events/s",
            "goal",
            "verdict"));
    if (collector != null) {
      row(
          sb,
          "acked, collector only",
          collector,
          collector.acked(),
          collector.seconds(),
          KAFKA_GOAL);
    }
    if (endToEnd != null) {
      row(sb, "acked, all-in-one", endToEnd, endToEnd.acked(), endToEnd.seconds(), KAFKA_GOAL);
    }
    if (indexed != null) {
      row(
          sb,
          "indexed" + (indexed.complete() ? "" : " (part)"),
          endToEnd,
          indexed.count(),
          indexed.seconds(),
          INDEXED_GOAL);
    }
    if (indexed != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "searchable: %d of them after %.2f s, the index's last refresh included%n",
              indexed.count(),
              indexed.searchableSeconds()));
    }
    if (elasticsearchAlone != null) {
      sb.append(elasticsearchAlone.line());
      sb.append(elasticsearchAlone.goalAboveBound(INDEXED_GOAL));
    }
    if (collector != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "collector only: Kafka's raw Beats topic took %d events; %s%n",
              kafkaEvents,
              collector));
    }
    if (endToEnd != null) {
      sb.append(String.format(Locale.ROOT, "all-in-one: %s%n", endToEnd));
    }
    return sb.toString();
  }

  private static void row(
      StringBuilder sb,
      String stage,
      BeatsLoad.Result load,
      long arrived,
      double seconds,
      double goal) {
    double rate = seconds <= 0 ? 0 : arrived / seconds;
    sb.append(
        String.format(
            Locale.ROOT,
            "%-22s %10d %10d %8.2f %,12.0f %,12.0f %7s%n",
            stage,
            load.events(),
            arrived,
            seconds,
            rate,
            goal,
            BenchReport.verdict(rate >= goal)));
  }

  @Override
  public String json() {
    ObjectNode root = BenchReport.jsonRoot();
    root.put("bench", "beats");
    BeatsLoad.Result any = collector != null ? collector : endToEnd;
    root.put("clients", any.clients());
    root.put("windowSize", any.windowSize());
    root.put("inFlight", any.inFlight());
    if (collector != null) {
      ObjectNode c = acked(root.putObject("collector"), collector);
      c.put("kafkaEvents", kafkaEvents);
    }
    if (endToEnd != null) {
      ObjectNode e = acked(root.putObject("endToEnd"), endToEnd);
      if (indexed != null) {
        ObjectNode idx = e.putObject("indexed");
        idx.put("events", indexed.count());
        idx.put("seconds", indexed.seconds());
        idx.put("searchableSeconds", indexed.searchableSeconds());
        idx.put("eventsPerSecond", Math.round(indexed.eventsPerSecond()));
        idx.put("goal", Math.round(INDEXED_GOAL));
        idx.put("met", indexed.eventsPerSecond() >= INDEXED_GOAL);
        idx.put("complete", indexed.complete());
      }
    }
    if (elasticsearchAlone != null) {
      elasticsearchAlone.putJson(root);
    }
    return BenchReport.write(root);
  }

  private static ObjectNode acked(ObjectNode node, BeatsLoad.Result load) {
    node.put("events", load.events());
    node.put("acked", load.acked());
    node.put("seconds", load.seconds());
    node.put("eventsPerSecond", Math.round(load.eventsPerSecond()));
    node.put("goal", Math.round(KAFKA_GOAL));
    node.put("met", load.eventsPerSecond() >= KAFKA_GOAL);
    node.put("windows", load.windows());
    node.put("resentWindows", load.resentWindows());
    node.put("reconnects", load.reconnects());
    node.put("compressedBytes", load.compressedBytes());
    return node;
  }
}
