package org.vigil.dashboards;

/**
 * The append-only record of who did what. Callers append before they answer: an action whose record
 * cannot be stored is refused (503), so the trail never misses what users saw happen. Calls block
 * (network): keep them off the event loop.
 */
public interface AuditTrail {

  /**
   * Appends the event after the newest record, chained to it by hash.
   *
   * @return the sequence number the record got
   * @throws java.io.UncheckedIOException when the record could not be stored
   */
  long append(AuditEvent event);

  /**
   * Walks every record from 1 in sequence order and checks numbering, links and hashes.
   *
   * @throws java.io.UncheckedIOException when the records could not be read
   */
  AuditVerification verify();

  /**
   * The records matching the query, newest first.
   *
   * @throws java.io.UncheckedIOException when the records could not be read
   */
  AuditPage search(AuditQuery query);
}
