package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.dashboards.AlertActivity;
import org.vigil.dashboards.AlertActivity.Kind;
import org.vigil.model.AlertStatus;
import org.vigil.model.Resolution;

class TriageHistoryTest {
  private static final long DETECTED = 1_000_000;
  private static final long CUTOFF = 10_000_000;
  private final List<AlertActivity> activities = new ArrayList<>();

  private void status(long at, AlertStatus from, AlertStatus to, Resolution resolution) {
    activities.add(
        new AlertActivity(
            "a" + activities.size(),
            "alert-1",
            "agency-a",
            "ana",
            at,
            Kind.STATUS,
            from,
            to,
            resolution,
            to == AlertStatus.CLOSED ? "checked" : null,
            null,
            null));
  }

  private void comment(long at) {
    activities.add(
        new AlertActivity(
            "a" + activities.size(),
            "alert-1",
            "agency-a",
            "ana",
            at,
            Kind.COMMENT,
            null,
            null,
            null,
            null,
            null,
            "looked at it"));
  }

  private void assign(long at, String who) {
    activities.add(
        new AlertActivity(
            "a" + activities.size(),
            "alert-1",
            "agency-a",
            "lead",
            at,
            Kind.ASSIGN,
            null,
            null,
            null,
            null,
            who,
            null));
  }

  private TriageHistory history() {
    return TriageHistory.of(DETECTED, CUTOFF, activities);
  }

  @Test
  void anAlertWithoutActivityIsNewAndNeitherAcknowledgedNorClosed() {
    TriageHistory h = history();
    assertThat(h.status()).isEqualTo(AlertStatus.NEW);
    assertThat(h.timeToAcknowledge()).isEmpty();
    assertThat(h.timeToClose()).isEmpty();
    assertThat(h.commented()).isFalse();
  }

  @Test
  void acknowledgingTakesTheFirstMoveOutOfNewWhateverItsTarget() {
    status(DETECTED + 5_000, AlertStatus.NEW, AlertStatus.IN_PROGRESS, null);
    status(DETECTED + 9_000, AlertStatus.IN_PROGRESS, AlertStatus.CLOSED, Resolution.BENIGN);
    assertThat(history().timeToAcknowledge()).hasValue(5_000);
  }

  @Test
  void closingStraightFromNewBothAcknowledgesAndCloses() {
    status(DETECTED + 7_000, AlertStatus.NEW, AlertStatus.CLOSED, Resolution.FALSE_POSITIVE);
    TriageHistory h = history();
    assertThat(h.timeToAcknowledge()).hasValue(7_000);
    assertThat(h.timeToClose()).hasValue(7_000);
    assertThat(h.resolution()).isEqualTo(Resolution.FALSE_POSITIVE);
  }

  @Test
  void aReopenedAndClosedAgainAlertTookUntilTheLastClose() {
    status(DETECTED + 1_000, AlertStatus.NEW, AlertStatus.ACKNOWLEDGED, null);
    status(DETECTED + 2_000, AlertStatus.ACKNOWLEDGED, AlertStatus.CLOSED, Resolution.BENIGN);
    status(DETECTED + 3_000, AlertStatus.CLOSED, AlertStatus.IN_PROGRESS, null);
    status(DETECTED + 8_000, AlertStatus.IN_PROGRESS, AlertStatus.CLOSED, Resolution.TRUE_POSITIVE);
    TriageHistory h = history();
    assertThat(h.timeToAcknowledge()).hasValue(1_000);
    assertThat(h.timeToClose()).hasValue(8_000);
    assertThat(h.resolution()).isEqualTo(Resolution.TRUE_POSITIVE);
  }

  @Test
  void aReopenedAlertIsNotClosed() {
    status(DETECTED + 2_000, AlertStatus.NEW, AlertStatus.CLOSED, Resolution.BENIGN);
    status(DETECTED + 3_000, AlertStatus.CLOSED, AlertStatus.IN_PROGRESS, null);
    TriageHistory h = history();
    assertThat(h.closed()).isFalse();
    assertThat(h.status()).isEqualTo(AlertStatus.IN_PROGRESS);
    assertThat(h.timeToClose()).isEmpty();
    assertThat(h.resolution()).isNull();
  }

  @Test
  void activityAfterTheCutoffDoesNotCount() {
    status(DETECTED + 1_000, AlertStatus.NEW, AlertStatus.ACKNOWLEDGED, null);
    status(CUTOFF + 1, AlertStatus.ACKNOWLEDGED, AlertStatus.CLOSED, Resolution.BENIGN);
    comment(CUTOFF + 2);
    TriageHistory h = history();
    assertThat(h.status()).isEqualTo(AlertStatus.ACKNOWLEDGED);
    assertThat(h.timeToClose()).isEmpty();
    assertThat(h.commented()).isFalse();
  }

  @Test
  void activityAtTheCutoffCounts() {
    status(CUTOFF, AlertStatus.NEW, AlertStatus.CLOSED, Resolution.BENIGN);
    assertThat(history().timeToClose()).hasValue(CUTOFF - DETECTED);
  }

  @Test
  void aReopenAfterTheCutoffLeavesTheAlertClosedAsItWasThen() {
    status(DETECTED + 2_000, AlertStatus.NEW, AlertStatus.CLOSED, Resolution.BENIGN);
    status(CUTOFF + 5, AlertStatus.CLOSED, AlertStatus.IN_PROGRESS, null);
    assertThat(history().timeToClose()).hasValue(2_000);
  }

  @Test
  void readsActivityInTimeOrderWhateverTheListOrder() {
    status(DETECTED + 8_000, AlertStatus.IN_PROGRESS, AlertStatus.CLOSED, Resolution.BENIGN);
    status(DETECTED + 1_000, AlertStatus.NEW, AlertStatus.IN_PROGRESS, null);
    TriageHistory h = history();
    assertThat(h.timeToAcknowledge()).hasValue(1_000);
    assertThat(h.timeToClose()).hasValue(8_000);
  }

  @Test
  void remembersCommentsAndTheLastAssignee() {
    assign(DETECTED + 1, "ana");
    comment(DETECTED + 2);
    assign(DETECTED + 3, "bo");
    TriageHistory h = history();
    assertThat(h.commented()).isTrue();
    assertThat(h.assignee()).isEqualTo("bo");
  }

  @Test
  void aStatusChangeStampedBeforeDetectionCountsAsNoTimeRatherThanNegative() {
    status(DETECTED - 500, AlertStatus.NEW, AlertStatus.ACKNOWLEDGED, null);
    assertThat(history().timeToAcknowledge()).hasValue(0);
  }
}
