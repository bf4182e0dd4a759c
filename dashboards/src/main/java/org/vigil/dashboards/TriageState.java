package org.vigil.dashboards;

import org.vigil.model.Alert;
import org.vigil.model.AlertStatus;
import org.vigil.model.Resolution;

/** The fields analysts own on an alert ({@link Alert#TRIAGE_FIELDS}), written together. */
public record TriageState(AlertStatus status, Resolution resolution, String assignee) {

  public TriageState {
    if (status == null) {
      throw new IllegalArgumentException("a triage state needs a status");
    }
  }

  public static TriageState of(Alert alert) {
    return new TriageState(alert.status(), alert.resolution(), alert.assignee());
  }

  public TriageState withStatus(AlertStatus newStatus, Resolution newResolution) {
    return new TriageState(newStatus, newResolution, assignee);
  }

  public TriageState withAssignee(String newAssignee) {
    return new TriageState(status, resolution, newAssignee);
  }
}
