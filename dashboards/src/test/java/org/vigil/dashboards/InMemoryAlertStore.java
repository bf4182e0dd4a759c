package org.vigil.dashboards;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vigil.model.Alert;

/**
 * Alerts in a map, filtered and sorted the way the Elasticsearch query does, with a version per
 * alert like Elasticsearch's sequence numbers.
 */
class InMemoryAlertStore implements AlertStore {
  private static final Pattern NOW_MINUS = Pattern.compile("now(?:-(\\d+)([smhd]))?");

  private final Map<String, StoredAlert> alerts = new ConcurrentHashMap<>();
  private final AtomicInteger seq = new AtomicInteger();

  /** Runs before each triage update: tests use it to change the alert underneath. */
  volatile Runnable beforeUpdate = () -> {};

  void add(Alert alert) {
    alerts.put(alert.id(), new StoredAlert(alert, "vigil-alerts-v1", seq.incrementAndGet(), 1));
  }

  Alert get(String id) {
    return alerts.get(id).alert();
  }

  @Override
  public AlertPage search(AlertQuery q) {
    Comparator<Alert> order = comparator(q.sort());
    if (!q.ascending()) {
      order = order.reversed();
    }
    List<Alert> matching =
        alerts.values().stream()
            .map(StoredAlert::alert)
            .filter(a -> q.scope().permits(a.organizationId()))
            .filter(a -> q.statuses().isEmpty() || q.statuses().contains(a.status()))
            .filter(a -> q.severities().isEmpty() || q.severities().contains(a.severity()))
            .filter(a -> q.ruleId() == null || q.ruleId().equals(a.ruleId()))
            .filter(
                a -> q.organizationId() == null || q.organizationId().equals(a.organizationId()))
            .filter(
                a ->
                    q.assignee() == null
                        || (AlertQuery.UNASSIGNED.equals(q.assignee())
                            ? a.assignee() == null
                            : q.assignee().equals(a.assignee())))
            .filter(a -> q.sourceIp() == null || q.sourceIp().equals(a.group().get("source.ip")))
            .filter(a -> q.eventId() == null || a.evidence().contains(q.eventId()))
            .filter(a -> q.from() == null || a.detected() >= millis(q.from()))
            .filter(a -> q.to() == null || a.detected() <= millis(q.to()))
            .filter(
                a ->
                    q.text() == null
                        || (a.message() != null
                            && a.message()
                                .toLowerCase(Locale.ROOT)
                                .contains(q.text().toLowerCase(Locale.ROOT))))
            .sorted(order.thenComparing(Comparator.comparingLong(Alert::detected).reversed()))
            .toList();
    List<Alert> page =
        matching.subList(
            Math.min(q.offset(), matching.size()),
            Math.min(q.offset() + q.size(), matching.size()));
    return new AlertPage(page, matching.size());
  }

  private static Comparator<Alert> comparator(AlertSort sort) {
    return switch (sort) {
      case TIMESTAMP -> Comparator.comparingLong(Alert::detected);
      case SEVERITY -> Comparator.comparingInt(a -> a.severity().score());
      case RISK_SCORE -> Comparator.comparingInt(Alert::riskScore);
      case COUNT -> Comparator.comparingLong(Alert::count);
      case LAST_SEEN -> Comparator.comparingLong(Alert::lastSeen);
    };
  }

  /** ISO-8601 and the {@code now-N<unit>} date math the tests use. */
  static long millis(String bound) {
    Matcher m = NOW_MINUS.matcher(bound);
    if (m.matches()) {
      long now = System.currentTimeMillis();
      if (m.group(1) == null) {
        return now;
      }
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      return now - d.toMillis();
    }
    try {
      return Instant.parse(bound).toEpochMilli();
    } catch (DateTimeParseException e) {
      return LocalDate.parse(bound).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
  }

  @Override
  public Optional<StoredAlert> find(String id, AgencyScope scope) {
    return Optional.ofNullable(alerts.get(id))
        .filter(s -> scope.permits(s.alert().organizationId()));
  }

  @Override
  public List<Alert> related(Alert alert, AgencyScope scope, int size) {
    return alerts.values().stream()
        .map(StoredAlert::alert)
        .filter(a -> !a.id().equals(alert.id()))
        .filter(a -> scope.permits(a.organizationId()))
        .filter(
            a ->
                alert.group().entrySet().stream()
                    .anyMatch(e -> Objects.equals(a.group().get(e.getKey()), e.getValue())))
        .sorted(Comparator.comparingLong(Alert::detected).reversed())
        .limit(size)
        .toList();
  }

  @Override
  public void updateTriage(StoredAlert current, TriageState state) {
    beforeUpdate.run();
    synchronized (this) {
      StoredAlert now = alerts.get(current.alert().id());
      if (now == null || now.seqNo() != current.seqNo()) {
        throw new AlertConflictException(current.alert().id());
      }
      Alert a = now.alert();
      alerts.put(
          a.id(),
          new StoredAlert(
              withTriage(a, state), now.index(), seq.incrementAndGet(), now.primaryTerm()));
    }
  }

  static Alert withTriage(Alert a, TriageState s) {
    return new Alert(
        a.id(),
        a.ruleId(),
        a.ruleName(),
        a.ruleVersion(),
        a.ruleset(),
        a.description(),
        a.severity(),
        a.techniqueId(),
        a.group(),
        a.count(),
        a.firstSeen(),
        a.lastSeen(),
        a.evidence(),
        a.organizationId(),
        s.status(),
        s.resolution(),
        s.assignee(),
        a.evidenceCreated(),
        a.evidenceReceived(),
        a.detected(),
        a.message(),
        a.riskScore());
  }

  @Override
  public List<Alert> changedSince(long sinceMillis, int size) {
    return alerts.values().stream()
        .map(StoredAlert::alert)
        .filter(a -> a.detected() >= sinceMillis || a.lastSeen() >= sinceMillis)
        .sorted(Comparator.comparingLong(Alert::detected))
        .limit(size)
        .toList();
  }
}
