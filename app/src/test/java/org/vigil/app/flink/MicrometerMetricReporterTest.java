package org.vigil.app.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Properties;
import java.util.ServiceLoader;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.junit.jupiter.api.Test;

class MicrometerMetricReporterTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MicrometerMetricReporter reporter = new MicrometerMetricReporter(registry);
  private final UnregisteredMetricsGroup group = new UnregisteredMetricsGroup();

  @Test
  void reportsTheSumOfEverySubtasksCounterAsOneSeries() {
    SimpleCounter first = new SimpleCounter();
    SimpleCounter second = new SimpleCounter();
    reporter.notifyOfAddedMetric(first, "syslogParseFailures", group);
    reporter.notifyOfAddedMetric(second, "syslogParseFailures", group);
    first.inc(3);
    second.inc(4);

    assertThat(registry.scrape())
        .contains("vigil_job_parse_failures_total{input=\"syslog\"} 7.0")
        .contains("# HELP vigil_job_parse_failures_total Raw records that did not parse");
  }

  @Test
  void aRemovedSubtaskCounterNoLongerCounts() {
    SimpleCounter first = new SimpleCounter();
    SimpleCounter second = new SimpleCounter();
    reporter.notifyOfAddedMetric(first, "alertsOpened", group);
    reporter.notifyOfAddedMetric(second, "alertsOpened", group);
    first.inc(2);
    second.inc(5);

    reporter.notifyOfRemovedMetric(second, "alertsOpened", group);

    assertThat(registry.find("vigil.job.alerts.opened").functionCounter().count()).isEqualTo(2.0);
  }

  @Test
  void leavesFlinksOwnMetricsToTheWebUi() {
    reporter.notifyOfAddedMetric(new SimpleCounter(), "numRecordsIn", group);

    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void everyJobCounterNameHasAPrometheusNameOfTheJob() {
    assertThat(MicrometerMetricReporter.NAMES.values())
        .allSatisfy(b -> assertThat(b.name()).startsWith("vigil.job."));
  }

  @Test
  void flinkFindsTheFactoryByServiceLoader() {
    assertThat(ServiceLoader.load(MetricReporterFactory.class).stream())
        .anySatisfy(p -> assertThat(p.type()).isEqualTo(MicrometerMetricReporterFactory.class));
  }

  @Test
  void theFactorySaysWhatToDoWhenNoRegistryIsBound() {
    MicrometerMetricReporterFactory.bind(null);

    assertThatThrownBy(
            () -> new MicrometerMetricReporterFactory().createMetricReporter(new Properties()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("MicrometerMetricReporterFactory.bind");
  }
}
