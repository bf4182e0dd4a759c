package org.vigil.dashboards;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collector receive rates and drops, from the Prometheus text a collector serves at its metrics
 * URL. Rates and new drops are differences between this scrape and the previous one; on the first
 * scrape only totals are known, so drops since start count as new.
 */
public final class CollectorMetricsProbe implements HealthProbe {
  static final String RECEIVED = "vigil_collector_received_total";
  static final String DROPPED = "vigil_collector_dropped_total";
  static final String PUBLISH_FAILURES = "vigil_collector_publish_failures_total";
  static final String CONGESTED = "vigil_collector_kafka_congested";

  private final URI metricsUrl;
  private final HttpClient http;
  private final Clock clock;
  private Snapshot previous;

  /** Totals at one scrape: received per input, drops per reason. */
  private record Snapshot(
      long time, Map<String, Double> received, Map<String, Double> drops, double failures) {}

  public CollectorMetricsProbe(URI metricsUrl, Clock clock) {
    this.metricsUrl = metricsUrl;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  @Override
  public String name() {
    return "collectors";
  }

  @Override
  public ComponentHealth probe() throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(metricsUrl).timeout(TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("metrics URL answered " + response.statusCode());
    }
    return assess(PrometheusText.parse(response.body()), clock.millis());
  }

  synchronized ComponentHealth assess(PrometheusText.Scrape scrape, long now) {
    Map<String, Double> received = new TreeMap<>();
    Map<String, Double> drops = new TreeMap<>();
    for (PrometheusText.Sample s : scrape.samples()) {
      if (s.name().equals(RECEIVED)) {
        received.merge(s.labels().getOrDefault("input", "all"), s.value(), Double::sum);
      } else if (s.name().equals(DROPPED)) {
        drops.merge(s.labels().getOrDefault("reason", "unknown"), s.value(), Double::sum);
      }
    }
    Snapshot current = new Snapshot(now, received, drops, scrape.sum(PUBLISH_FAILURES));
    Snapshot before = previous;
    previous = current;

    StringBuilder detail = new StringBuilder();
    double seconds = before == null ? 0 : (now - before.time()) / 1000.0;
    for (Map.Entry<String, Double> e : received.entrySet()) {
      if (detail.length() > 0) {
        detail.append(", ");
      }
      detail.append(e.getKey()).append(' ');
      if (seconds > 0) {
        double delta = e.getValue() - before.received().getOrDefault(e.getKey(), 0.0);
        detail.append(String.format(Locale.ROOT, "%.1f/s", Math.max(0, delta) / seconds));
      } else {
        detail.append(String.format(Locale.ROOT, "%.0f received", e.getValue()));
      }
    }
    if (received.isEmpty()) {
      detail.append("no inputs reported");
    }
    Map<String, Double> newDrops = new TreeMap<>();
    drops.forEach(
        (reason, total) -> {
          double delta = before == null ? total : total - before.drops().getOrDefault(reason, 0.0);
          if (delta > 0) {
            newDrops.put(reason, delta);
          }
        });
    double newFailures =
        before == null ? current.failures() : current.failures() - before.failures();
    double droppedTotal = drops.values().stream().mapToDouble(Double::doubleValue).sum();
    detail.append(String.format(Locale.ROOT, "; %.0f dropped since start", droppedTotal));
    newDrops.forEach(
        (reason, n) -> detail.append(String.format(Locale.ROOT, ", %.0f new (%s)", n, reason)));
    boolean congested = scrape.sum(CONGESTED) > 0;
    if (congested) {
      detail.append("; Kafka publisher congested");
    }
    if (newFailures > 0) {
      return new ComponentHealth(
          name(),
          HealthStatus.RED,
          detail + String.format(Locale.ROOT, "; %.0f publish failures", newFailures),
          "Records failed to reach Kafka: check that the brokers are up and the vigil.raw.*"
              + " topics exist.");
    }
    if (!newDrops.isEmpty() || congested) {
      return new ComponentHealth(
          name(), HealthStatus.YELLOW, detail.toString(), dropAdvice(newDrops, congested));
    }
    return ComponentHealth.green(name(), detail.toString());
  }

  private static String dropAdvice(Map<String, Double> drops, boolean congested) {
    if (drops.containsKey("kernel_receive_buffer")) {
      return "The kernel dropped UDP packets: raise net.core.rmem_max and the collector's receive"
          + " buffer, or add collector instances.";
    }
    if (drops.containsKey("kafka_refused") || congested) {
      return "Kafka is not keeping up with the collector: check the brokers' health and disk.";
    }
    return "Records were dropped: check the collector's log for the reason.";
  }

  @Override
  public String unreachable() {
    return "The collector's metrics at "
        + metricsUrl
        + " do not answer: check that the collector"
        + " is running with its metrics port enabled.";
  }
}
