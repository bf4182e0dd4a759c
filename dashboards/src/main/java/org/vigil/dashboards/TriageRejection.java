package org.vigil.dashboards;

/** A triage request that cannot be carried out, with the HTTP status that says why. */
final class TriageRejection extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  TriageRejection(int status, String message) {
    super(message);
    this.status = status;
  }

  static TriageRejection badRequest(String message) {
    return new TriageRejection(400, message);
  }

  static TriageRejection conflict(String message) {
    return new TriageRejection(409, message);
  }

  static TriageRejection notFound(String alertId) {
    return new TriageRejection(404, "no alert " + alertId);
  }

  int status() {
    return status;
  }
}
