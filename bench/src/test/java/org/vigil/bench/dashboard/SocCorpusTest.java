package org.vigil.bench.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vigil.model.Alert;
import org.vigil.model.Documents;

class SocCorpusTest {
  private static final long END = Instant.parse("2026-11-26T12:00:00Z").toEpochMilli();
  private static final long DAY = 86_400_000L;
  private final SocCorpus corpus = new SocCorpus(7, 4, END, 7 * DAY);

  @Test
  void theSameSeedGivesTheSameEvents() {
    assertThat(new SocCorpus(7, 4, END, 7 * DAY).event(123)).isEqualTo(corpus.event(123));
    assertThat(new SocCorpus(8, 4, END, 7 * DAY).event(123)).isNotEqualTo(corpus.event(123));
  }

  @Test
  void eventsFallInTheSpanAndBelongToAnAgency() {
    for (long n = 0; n < 2_000; n++) {
      Map<String, Object> event = corpus.event(n);
      long time = Instant.parse((String) event.get("@timestamp")).toEpochMilli();
      assertThat(time).isBetween(END - 7 * DAY, END);
      assertThat((String) Documents.get(event, "organization.id")).matches("agency-0[1-4]");
      assertThat(Documents.get(event, "event.dataset")).isNotNull();
    }
  }

  @Test
  void agenciesSendUnequalShares() {
    Map<Object, Integer> perAgency = new HashMap<>();
    for (long n = 0; n < 4_000; n++) {
      perAgency.merge(Documents.get(corpus.event(n), "organization.id"), 1, Integer::sum);
    }
    assertThat(perAgency).hasSize(4);
    assertThat(perAgency.get("agency-01")).isGreaterThan(perAgency.get("agency-02"));
  }

  @Test
  void alertsCiteEventsOfTheCorpusAndHaveUniqueIds() {
    Alert a = corpus.alert(1, 1_000);
    Alert b = corpus.alert(2, 1_000);
    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(a.evidence()).isNotEmpty().allSatisfy(id -> assertThat(id).startsWith("bench-ev-"));
    assertThat(Documents.get(a.toDocument(), "vigil.alert.status")).isNotNull();
  }

  @Test
  void refusesNoAgencies() {
    assertThatThrownBy(() -> new SocCorpus(1, 0, END, DAY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("agencies");
  }
}
