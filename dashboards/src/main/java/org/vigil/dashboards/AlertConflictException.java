package org.vigil.dashboards;

/** The alert changed since it was read: the caller re-reads and decides again. */
public final class AlertConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AlertConflictException(String alertId) {
    super("alert " + alertId + " was changed by someone else meanwhile");
  }
}
