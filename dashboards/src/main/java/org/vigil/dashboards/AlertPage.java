package org.vigil.dashboards;

import java.util.List;
import org.vigil.model.Alert;

/**
 * One page of alerts.
 *
 * @param total how many alerts match the query in all (a lower bound past 10,000)
 */
public record AlertPage(List<Alert> alerts, long total) {
  public AlertPage {
    alerts = List.copyOf(alerts);
  }

  public static AlertPage empty() {
    return new AlertPage(List.of(), 0);
  }
}
