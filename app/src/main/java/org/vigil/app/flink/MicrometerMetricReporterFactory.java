package org.vigil.app.flink;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Creates the {@link MicrometerMetricReporter} for a MiniCluster in this process. Flink finds
 * reporter factories through {@link java.util.ServiceLoader} and creates them itself, so the
 * registry they report into is handed over here, by {@link #bind}, before the cluster starts.
 */
public final class MicrometerMetricReporterFactory implements MetricReporterFactory {
  /** The name under {@code metrics.reporter.} that selects this reporter. */
  public static final String REPORTER_NAME = "vigil";

  private static volatile MeterRegistry registry;

  /** Makes the reporters Flink creates from now on report into {@code target}. */
  public static void bind(MeterRegistry target) {
    registry = target;
  }

  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    MeterRegistry target = registry;
    if (target == null) {
      throw new IllegalStateException(
          "no meter registry bound: call MicrometerMetricReporterFactory.bind before starting"
              + " the MiniCluster, or leave metrics.reporter."
              + REPORTER_NAME
              + " unset");
    }
    return new MicrometerMetricReporter(target);
  }
}
