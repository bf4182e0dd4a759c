package org.vigil.correlation.netflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.flink.util.clock.SystemClock;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;

class NetflowStageTest {

  private static long watermarkAfter(NetflowDecodeSettings settings, long newestFlowMillis) {
    WatermarkGenerator<Event> generator =
        NetflowStage.eventTime(settings, Duration.ofMinutes(1))
            .createWatermarkGenerator(
                new WatermarkGeneratorSupplier.Context() {
                  @Override
                  public MetricGroup getMetricGroup() {
                    return UnregisteredMetricsGroup.createOperatorMetricGroup();
                  }

                  @Override
                  public RelativeClock getInputActivityClock() {
                    return SystemClock.getInstance();
                  }
                });
    List<Long> emitted = new ArrayList<>();
    WatermarkOutput out =
        new WatermarkOutput() {
          @Override
          public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
          }

          @Override
          public void markIdle() {}

          @Override
          public void markActive() {}
        };
    generator.onEvent(new Event("id", newestFlowMillis), newestFlowMillis, out);
    generator.onPeriodicEmit(out);
    return emitted.get(emitted.size() - 1);
  }

  @Test
  void flowsKeepTheWatermarkTwoMinutesBehindTheNewestFlowByDefault() {
    long newest = 1_764_000_000_000L;

    assertThat(watermarkAfter(NetflowDecodeSettings.defaults(), newest))
        .isEqualTo(newest - Duration.ofMinutes(2).toMillis() - 1);
  }

  @Test
  void theFlowBoundIsASettingOfItsOwn() {
    long newest = 1_764_000_000_000L;
    NetflowDecodeSettings settings =
        NetflowDecodeSettings.defaults().withOutOfOrderness(Duration.ofSeconds(30));

    assertThat(watermarkAfter(settings, newest)).isEqualTo(newest - 30_000 - 1);
    assertThatThrownBy(() -> settings.withOutOfOrderness(Duration.ofSeconds(-1)))
        .hasMessageContaining("outOfOrderness must not be negative");
  }
}
