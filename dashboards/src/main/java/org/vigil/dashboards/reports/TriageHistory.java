package org.vigil.dashboards.reports;

import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import org.vigil.dashboards.AlertActivity;
import org.vigil.model.AlertStatus;
import org.vigil.model.Resolution;

/**
 * One alert's triage as it stood at the end of a report's period, folded from its activity in time
 * order. It keeps a few values, not the activity, so a report over many alerts stays small.
 *
 * <p>Acknowledged: the first status change out of {@code new}, whatever its target (analysts may go
 * straight to in_progress or closed). Closed: the alert's status at the cutoff is closed, and then
 * the close is the last change to closed (an alert reopened and closed again took until the second
 * close). Activity after the cutoff is ignored, so a report of a past period does not change when
 * someone acts today.
 */
final class TriageHistory {
  private final long detected;
  private final long cutoff;
  private long acknowledgedAt = -1;
  private long closedAt = -1;
  private AlertStatus status = AlertStatus.NEW;
  private Resolution resolution;
  private String closedBy;
  private String assignee;
  private boolean commented;

  /**
   * @param detected the alert's {@code @timestamp}, epoch milliseconds
   * @param cutoff the report's end, epoch milliseconds; activity at or before it counts
   */
  TriageHistory(long detected, long cutoff) {
    this.detected = detected;
    this.cutoff = cutoff;
  }

  /** The history of {@code activities}, in any order. */
  static TriageHistory of(long detected, long cutoff, List<AlertActivity> activities) {
    TriageHistory history = new TriageHistory(detected, cutoff);
    activities.stream()
        .sorted(Comparator.comparingLong(AlertActivity::time))
        .forEach(history::accept);
    return history;
  }

  void accept(AlertActivity a) {
    accept(a.time(), a.kind(), a.from(), a.to(), a.resolution(), a.actor(), a.assignee());
  }

  /** Takes the next activity; call in time order. */
  void accept(
      long time,
      AlertActivity.Kind kind,
      AlertStatus from,
      AlertStatus to,
      Resolution resolutionGiven,
      String actor,
      String assigneeGiven) {
    if (time > cutoff) {
      return;
    }
    switch (kind) {
      case STATUS -> {
        if (to == null) {
          return;
        }
        if (from == AlertStatus.NEW && acknowledgedAt < 0) {
          acknowledgedAt = time;
        }
        status = to;
        if (to == AlertStatus.CLOSED) {
          closedAt = time;
          resolution = resolutionGiven;
          closedBy = actor;
        }
      }
      case ASSIGN -> assignee = assigneeGiven;
      case COMMENT -> commented = true;
    }
  }

  /** The status at the cutoff. */
  AlertStatus status() {
    return status;
  }

  boolean closed() {
    return status == AlertStatus.CLOSED;
  }

  /** Milliseconds from detection to the first move out of new; empty if it never moved. */
  OptionalLong timeToAcknowledge() {
    return acknowledgedAt < 0
        ? OptionalLong.empty()
        : OptionalLong.of(Math.max(0, acknowledgedAt - detected));
  }

  /** Milliseconds from detection to the close that stands at the cutoff; empty when not closed. */
  OptionalLong timeToClose() {
    return closed() ? OptionalLong.of(Math.max(0, closedAt - detected)) : OptionalLong.empty();
  }

  /** The close that stands at the cutoff, epoch milliseconds; -1 when not closed. */
  long closedAt() {
    return closed() ? closedAt : -1;
  }

  /** The verdict of the standing close; null when not closed or closed without one. */
  Resolution resolution() {
    return closed() ? resolution : null;
  }

  String closedBy() {
    return closed() ? closedBy : null;
  }

  /** Who the alert was assigned to at the cutoff; null when unassigned. */
  String assignee() {
    return assignee;
  }

  /** Whether anyone commented on the alert by the cutoff. */
  boolean commented() {
    return commented;
  }
}
