package org.vigil.dashboards;

import java.util.List;
import java.util.Optional;
import org.vigil.model.Alert;

/** Alerts: the queue, single alerts and their triage fields. Calls may block (network). */
public interface AlertStore {

  /** Alerts matching the query and its agency scope, in the query's order. */
  AlertPage search(AlertQuery query);

  /** The alert with this id, if it exists and the scope permits its agency. */
  Optional<StoredAlert> find(String id, AgencyScope scope);

  /**
   * Other alerts in scope about the same entity: sharing any of {@code alert}'s group values (the
   * same {@code source.ip}, {@code user.name}...), newest first.
   */
  List<Alert> related(Alert alert, AgencyScope scope, int size);

  /**
   * Writes the triage fields if the alert is still at the version it was read at, and makes the
   * change visible to searches before returning.
   *
   * @throws AlertConflictException when it changed meanwhile
   */
  void updateTriage(StoredAlert current, TriageState state);

  /**
   * Alerts of every agency whose {@code @timestamp} or {@code vigil.alert.last_seen} is at or after
   * {@code sinceMillis}, oldest first, at most {@code size}: what the live stream polls.
   */
  List<Alert> changedSince(long sinceMillis, int size);
}
