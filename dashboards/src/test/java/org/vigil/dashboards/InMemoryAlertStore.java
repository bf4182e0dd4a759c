package org.vigil.dashboards;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.vigil.model.Alert;

/** Alerts in a list, filtered and sorted the way the Elasticsearch query does. */
final class InMemoryAlertStore implements AlertStore {
  private final List<Alert> alerts = new CopyOnWriteArrayList<>();

  void add(Alert alert) {
    alerts.add(alert);
  }

  @Override
  public AlertPage search(AlertQuery q) {
    List<Alert> matching =
        alerts.stream()
            .filter(a -> q.scope().permits(a.organizationId()))
            .filter(a -> q.status() == null || a.status() == q.status())
            .filter(a -> q.severity() == null || a.severity() == q.severity())
            .filter(a -> q.ruleId() == null || q.ruleId().equals(a.ruleId()))
            .filter(a -> q.sourceIp() == null || q.sourceIp().equals(a.group().get("source.ip")))
            .filter(
                a ->
                    q.text() == null
                        || (a.message() != null
                            && a.message()
                                .toLowerCase(Locale.ROOT)
                                .contains(q.text().toLowerCase(Locale.ROOT))))
            .sorted(Comparator.comparingLong(Alert::detected).reversed())
            .toList();
    List<Alert> page =
        matching.subList(
            Math.min(q.from(), matching.size()), Math.min(q.from() + q.size(), matching.size()));
    return new AlertPage(page, matching.size());
  }
}
