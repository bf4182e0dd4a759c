package org.vigil.dashboards;

import java.util.List;

/** Comments on alerts and the history of their triage changes. Calls may block (network). */
public interface AlertActivityStore {

  /** Stores the activity; it is visible to {@link #list} when this returns. */
  void append(AlertActivity activity);

  /** The alert's activities, oldest first. */
  List<AlertActivity> list(String alertId);
}
