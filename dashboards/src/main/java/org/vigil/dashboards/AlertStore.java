package org.vigil.dashboards;

/** Read access to alerts. Calls may block (network): keep them off the event loop. */
public interface AlertStore {

  /** Alerts matching the query and its agency scope, newest ({@code @timestamp}) first. */
  AlertPage search(AlertQuery query);
}
