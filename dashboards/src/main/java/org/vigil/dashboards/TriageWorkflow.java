package org.vigil.dashboards;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.vigil.model.AlertStatus;
import org.vigil.model.Resolution;

/**
 * The triage state machine: new → acknowledged → in_progress → closed, with the shortcuts analysts
 * need (straight to in_progress or closed) and reopening (closed → in_progress). Input that can
 * never be right is a 400; a move the alert's current status does not allow is a 409.
 */
final class TriageWorkflow {
  private static final Map<AlertStatus, Set<AlertStatus>> NEXT =
      Map.of(
          AlertStatus.NEW,
              EnumSet.of(AlertStatus.ACKNOWLEDGED, AlertStatus.IN_PROGRESS, AlertStatus.CLOSED),
          AlertStatus.ACKNOWLEDGED, EnumSet.of(AlertStatus.IN_PROGRESS, AlertStatus.CLOSED),
          AlertStatus.IN_PROGRESS, EnumSet.of(AlertStatus.CLOSED),
          AlertStatus.CLOSED, EnumSet.of(AlertStatus.IN_PROGRESS));

  static final int MAX_REASON_LENGTH = 2_000;

  private TriageWorkflow() {}

  /** Whether the workflow allows moving from one status to the other. */
  static boolean allows(AlertStatus from, AlertStatus to) {
    return NEXT.getOrDefault(from, Set.of()).contains(to);
  }

  /**
   * Checks the request on its own, before any alert is read: closing needs a resolution and a
   * reason, and only closing takes a resolution.
   */
  static void checkRequest(AlertStatus to, Resolution resolution, String reason) {
    if (to == null) {
      throw TriageRejection.badRequest(
          "status is required: use acknowledged, in_progress or closed");
    }
    if (to == AlertStatus.NEW) {
      throw TriageRejection.badRequest(
          "an alert cannot go back to new: reopen a closed alert with in_progress");
    }
    if (reason != null && reason.length() > MAX_REASON_LENGTH) {
      throw TriageRejection.badRequest(
          "reason is longer than " + MAX_REASON_LENGTH + " characters");
    }
    if (to == AlertStatus.CLOSED) {
      if (resolution == null) {
        throw TriageRejection.badRequest(
            "closing needs a resolution: true_positive, false_positive or benign");
      }
      if (reason == null || reason.isBlank()) {
        throw TriageRejection.badRequest("closing needs a reason: say why, for the next analyst");
      }
    } else if (resolution != null) {
      throw TriageRejection.badRequest("a resolution is only given when closing");
    }
  }

  /** The state after the change, or a 409 when the alert's status does not allow it. */
  static TriageState next(TriageState current, AlertStatus to, Resolution resolution) {
    if (current.status() == to) {
      throw TriageRejection.conflict("the alert is already " + to.wireName());
    }
    if (!allows(current.status(), to)) {
      throw TriageRejection.conflict(
          "cannot move an alert from "
              + current.status().wireName()
              + " to "
              + to.wireName()
              + "; allowed from "
              + current.status().wireName()
              + ": "
              + String.join(
                  ", ",
                  NEXT.getOrDefault(current.status(), Set.of()).stream()
                      .map(AlertStatus::wireName)
                      .toList()));
    }
    // Reopening clears the old verdict; closing records the new one.
    return current.withStatus(to, to == AlertStatus.CLOSED ? resolution : null);
  }
}
