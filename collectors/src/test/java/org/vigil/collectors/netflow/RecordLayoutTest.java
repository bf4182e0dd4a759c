package org.vigil.collectors.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordLayoutTest {

  private static FieldSpec field(String key) {
    return new FieldSpec(0, 1, 4, FieldType.UNSIGNED, key);
  }

  @Test
  void aRepeatedTemplateFieldSharesOneSlotSoTheLastValueWins() {
    RecordLayout layout =
        RecordLayout.of(
            List.of(field("netflow.octetDeltaCount"), field("netflow.octetDeltaCount")));
    Object[] values = new Object[layout.size()];
    values[layout.fieldSlot(0)] = 1L;
    values[layout.fieldSlot(1)] = 2L;

    FlowRecord r = new FlowRecord(256, false, layout, values, Long.MIN_VALUE);

    assertThat(layout.fieldSlot(0)).isEqualTo(layout.fieldSlot(1));
    assertThat(r.fields()).containsExactly(Map.entry("netflow.octetDeltaCount", 2L));
  }

  @Test
  void aTemplateFieldNamedLikeAHeaderFieldSharesItsSlot() {
    RecordLayout layout = RecordLayout.of(List.of(field("netflow.observationDomainId")));

    assertThat(layout.fieldSlot(0)).isEqualTo(RecordLayout.OBSERVATION_DOMAIN_ID);
    assertThat(layout.size()).isEqualTo(RecordLayout.COMMUNITY_ID + 1);
  }

  @Test
  void aRecordShowsOnlyTheFieldsItHasAndAnswersForAnyKey() {
    FlowRecord r = FlowRecord.of(300, true, Map.of("network.bytes", 5L, "netflow.x", "y"));

    assertThat(r.get("network.bytes")).isEqualTo(5L);
    assertThat(r.get("source.ip")).isNull();
    assertThat(r.get("not.a.field")).isNull();
    assertThat(r.fields())
        .isEqualTo(Map.of("network.bytes", 5L, "netflow.x", "y"))
        .doesNotContainKey("source.ip");
  }
}
