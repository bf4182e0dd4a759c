package org.vigil.dashboards;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Alert activity in a list. */
final class InMemoryAlertActivityStore implements AlertActivityStore {
  private final List<AlertActivity> activities = new CopyOnWriteArrayList<>();

  @Override
  public void append(AlertActivity activity) {
    activities.add(activity);
  }

  @Override
  public List<AlertActivity> list(String alertId) {
    return activities.stream()
        .filter(a -> a.alertId().equals(alertId))
        .sorted(Comparator.comparingLong(AlertActivity::time))
        .toList();
  }
}
