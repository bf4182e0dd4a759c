package org.vigil.dashboards;

/**
 * What walking the audit chain from record 1 found.
 *
 * @param records how many records were checked (up to and including the first broken one)
 * @param head the hash of the last record when the chain is intact; null for an empty trail
 * @param firstBrokenSeq the sequence number of the first record that is missing, altered or
 *     unlinked; 0 when the chain is intact
 * @param reason why that record breaks the chain; empty when intact
 */
public record AuditVerification(
    boolean valid, long records, String head, long firstBrokenSeq, String reason) {

  public AuditVerification {
    reason = reason == null ? "" : reason;
  }

  static AuditVerification intact(long records, String head) {
    return new AuditVerification(true, records, head, 0, "");
  }

  static AuditVerification broken(long records, long seq, String reason) {
    return new AuditVerification(false, records, null, seq, reason);
  }

  /** One line for people: what was checked and, if broken, where and why. */
  public String message() {
    return valid
        ? "chain intact: " + records + " records"
        : "chain broken at record " + firstBrokenSeq + ": " + reason;
  }
}
