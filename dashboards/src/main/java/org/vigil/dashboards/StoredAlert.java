package org.vigil.dashboards;

import org.vigil.model.Alert;

/**
 * An alert with the version it was read at, so a triage change can be written only if nobody
 * changed the alert in between (optimistic concurrency).
 *
 * @param index the concrete index holding the document (the update API needs it, not a pattern)
 */
public record StoredAlert(Alert alert, String index, long seqNo, long primaryTerm) {}
