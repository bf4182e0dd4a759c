package org.vigil.app.flink;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * Shows the correlation job's own counters on the collector's Prometheus endpoint, so the
 * all-in-one has one {@code /metrics} with everything from a received datagram to an indexed alert.
 * Only the counters the job's operators define are bridged (see {@link #NAMES}), not Flink's
 * hundreds of system metrics, which the Flink web UI shows.
 *
 * <p>Each subtask registers its own counter under the same name; the bridge reports their sum, one
 * series per name, read at scrape time. When a subtask restarts its counter starts again from zero
 * and the sum drops, which Prometheus treats as a counter reset.
 */
final class MicrometerMetricReporter implements MetricReporter {
  /** A Flink counter name → the Prometheus meter it feeds. */
  record Bridged(String name, Tags tags, String description) {}

  // One help text per meter name: the inputs share the name and differ by tag.
  private static final String PARSED =
      "Raw records (syslog lines, flows, Beats events) turned into events";
  private static final String PARSE_FAILURES =
      "Raw records that did not parse or decode: dead-lettered (syslog and Beats also indexed raw)";

  static final Map<String, Bridged> NAMES =
      Map.ofEntries(
          Map.entry(
              "syslogParsed", new Bridged("vigil.job.parsed", Tags.of("input", "syslog"), PARSED)),
          Map.entry(
              "syslogParseFailures",
              new Bridged("vigil.job.parse.failures", Tags.of("input", "syslog"), PARSE_FAILURES)),
          Map.entry(
              "netflowFlows", new Bridged("vigil.job.parsed", Tags.of("input", "netflow"), PARSED)),
          Map.entry(
              "netflowMalformed",
              new Bridged("vigil.job.parse.failures", Tags.of("input", "netflow"), PARSE_FAILURES)),
          Map.entry(
              "netflowPackets",
              new Bridged(
                  "vigil.job.netflow.packets", Tags.empty(), "NetFlow/IPFIX packets decoded")),
          Map.entry(
              "netflowLostFlows",
              new Bridged(
                  "vigil.job.netflow.lost.flows",
                  Tags.empty(),
                  "Flows the exporters' sequence numbers say never arrived (v5, IPFIX)")),
          Map.entry(
              "netflowLostPackets",
              new Bridged(
                  "vigil.job.netflow.lost.packets",
                  Tags.empty(),
                  "Export packets the exporters' sequence numbers say never arrived (v9)")),
          Map.entry(
              "netflowSetsTimedOut",
              new Bridged(
                  "vigil.job.netflow.sets.timed.out",
                  Tags.empty(),
                  "Data sets whose template never came: dead-lettered")),
          Map.entry(
              "beatsParsed", new Bridged("vigil.job.parsed", Tags.of("input", "beats"), PARSED)),
          Map.entry(
              "beatsParseFailures",
              new Bridged("vigil.job.parse.failures", Tags.of("input", "beats"), PARSE_FAILURES)),
          Map.entry(
              "lateEvents",
              new Bridged(
                  "vigil.job.late.events",
                  Tags.empty(),
                  "Events behind the watermark, indexed but not correlated")),
          Map.entry(
              "droppedFacts",
              new Bridged(
                  "vigil.job.dropped.facts",
                  Tags.empty(),
                  "Rule facts dropped because a group held too many")),
          Map.entry(
              "findings",
              new Bridged("vigil.job.findings", Tags.empty(), "Rule matches before suppression")),
          Map.entry(
              "alertsOpened", new Bridged("vigil.job.alerts.opened", Tags.empty(), "New alerts")),
          Map.entry(
              "alertsUpdated",
              new Bridged(
                  "vigil.job.alerts.updated",
                  Tags.empty(),
                  "Findings folded into an open alert within its suppression window")),
          Map.entry(
              "vigilDocumentsRejected",
              new Bridged(
                  "vigil.job.documents.rejected",
                  Tags.empty(),
                  "Documents Elasticsearch refused for good (mapping errors)")),
          Map.entry(
              "vigilDocumentsRetried",
              new Bridged(
                  "vigil.job.documents.retried",
                  Tags.empty(),
                  "Documents sent again after a retryable Elasticsearch failure")));

  private final MeterRegistry registry;
  private final Map<String, List<Counter>> counters = new ConcurrentHashMap<>();

  MicrometerMetricReporter(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    Bridged bridged = NAMES.get(metricName);
    if (bridged == null || !(metric instanceof Counter counter)) {
      return;
    }
    counters
        .computeIfAbsent(
            metricName,
            name -> {
              List<Counter> parts = new CopyOnWriteArrayList<>();
              FunctionCounter.builder(bridged.name(), parts, MicrometerMetricReporter::sum)
                  .tags(bridged.tags())
                  .description(bridged.description())
                  .register(registry);
              return parts;
            })
        .add(counter);
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    List<Counter> parts = counters.get(metricName);
    if (parts != null) {
      parts.remove(metric);
    }
  }

  private static double sum(List<Counter> parts) {
    long total = 0;
    for (Counter c : parts) {
      total += c.getCount();
    }
    return total;
  }
}
