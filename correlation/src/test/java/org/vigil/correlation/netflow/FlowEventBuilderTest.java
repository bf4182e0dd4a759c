package org.vigil.correlation.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vigil.collectors.netflow.FlowRecord;
import org.vigil.model.Documents;
import org.vigil.model.Event;

class FlowEventBuilderTest {
  private static final long RECEIVED = Instant.parse("2026-11-25T10:00:30Z").toEpochMilli();
  private static final long EXPORTED = Instant.parse("2026-11-25T10:00:29Z").toEpochMilli();

  private final FlowEventBuilder builder = new FlowEventBuilder(true, Duration.ofMinutes(10));

  @Test
  void eventTimeIsTheFlowEndAndTheExporterIsTheObserver() {
    Event e =
        builder.build(flow("2026-11-25T10:00:15Z"), "id-1", "192.0.2.7", EXPORTED, RECEIVED, 0);

    assertThat(e.getId()).isEqualTo("id-1");
    assertThat(e.getTimestamp()).isEqualTo(Instant.parse("2026-11-25T10:00:15Z").toEpochMilli());
    assertThat(e.get("observer.ip")).isEqualTo("192.0.2.7");
    assertThat(e.get("event.ingested")).isEqualTo(Documents.isoTime(RECEIVED));
    assertThat(e.get("tags")).isNull();
  }

  @Test
  void aFlowWithoutEndTimeTakesTheExportTime() {
    Event e = builder.build(flow(null), "id", "192.0.2.7", EXPORTED, RECEIVED, 0);

    assertThat(e.getTimestamp()).isEqualTo(EXPORTED);
  }

  @Test
  void anExporterClockFarFromTheReceiveTimeIsNotUsedForEventTime() {
    Event e = builder.build(flow("2015-05-02T18:38:08Z"), "id", "192.0.2.7", EXPORTED, RECEIVED, 0);

    assertThat(e.getTimestamp()).isEqualTo(RECEIVED);
    assertThat(e.get("event.end")).isEqualTo("2015-05-02T18:38:08Z");
    assertThat(e.get("event.created"))
        .isEqualTo(Documents.isoTime(Instant.parse("2015-05-02T18:38:08Z").toEpochMilli()));
    assertThat(e.has("tags", FlowEventBuilder.TAG_CLOCK_SKEW)).isTrue();
  }

  @Test
  void aRecordsOwnSamplingIntervalWinsOverTheExporters() {
    FlowRecord r = flow(null, Map.of("netflow.samplingInterval", 10L));

    Event e = builder.build(r, "id", "192.0.2.7", EXPORTED, RECEIVED, 1000);

    assertThat(e.get("network.bytes")).isEqualTo(4000L);
    assertThat(e.get("netflow.octetDeltaCount")).isEqualTo(400L);
  }

  @Test
  void samplingIsNotAppliedToOptionsRecords() {
    FlowRecord options = FlowRecord.of(300, true, Map.of("network.bytes", 5L));

    Event e = builder.build(options, "id", "192.0.2.7", EXPORTED, RECEIVED, 100);

    assertThat(e.get("network.bytes")).isEqualTo(5L);
  }

  private static FlowRecord flow(String end) {
    return flow(end, Map.of());
  }

  private static FlowRecord flow(String end, Map<String, Object> more) {
    Map<String, Object> f = new HashMap<>(more);
    f.put("event.dataset", "netflow.flow");
    f.put("network.bytes", 400L);
    f.put("network.packets", 4L);
    f.put("netflow.octetDeltaCount", 400L);
    if (end != null) {
      f.put("event.end", end);
    }
    return FlowRecord.of(256, false, f);
  }
}
