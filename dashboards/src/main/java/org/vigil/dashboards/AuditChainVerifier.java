package org.vigil.dashboards;

import java.util.Map;
import java.util.Objects;

/**
 * Checks stored audit records one at a time, in {@code seq} order, against the rules {@link
 * AuditChain} writes them by: numbering starts at 1 without gaps, each {@code prev_hash} is the
 * previous record's {@code hash}, and each {@code hash} is the hash of the record's own content.
 * Stops at the first broken record: everything after it is unproven anyway.
 */
final class AuditChainVerifier {
  private long expectedSeq = 1;
  private String previousHash = AuditChain.GENESIS;
  private long checked;
  private AuditVerification broken;

  /** Checks the next record; returns false once the chain is broken (feed no more). */
  boolean accept(Map<String, Object> record) {
    if (broken != null) {
      return false;
    }
    checked++;
    Object seqValue = record.get("seq");
    if (!(seqValue instanceof Number number)) {
      return fail(expectedSeq, "record has no numeric seq");
    }
    long seq = number.longValue();
    if (seq != expectedSeq) {
      return fail(
          expectedSeq,
          seq > expectedSeq
              ? "record "
                  + expectedSeq
                  + " is missing (next record found is "
                  + seq
                  + "): records were deleted"
              : "record " + seq + " appears again after record " + (expectedSeq - 1));
    }
    if (!Objects.equals(record.get("prev_hash"), previousHash)) {
      return fail(
          seq,
          "prev_hash does not match the hash of record "
              + (seq - 1)
              + ": a record was inserted or replaced");
    }
    Object stored = record.get("hash");
    if (!(stored instanceof String storedHash) || !storedHash.equals(AuditChain.hash(record))) {
      return fail(seq, "content does not match its hash: the record was changed after writing");
    }
    previousHash = storedHash;
    expectedSeq++;
    return true;
  }

  AuditVerification result() {
    return broken != null
        ? broken
        : AuditVerification.intact(checked, checked == 0 ? null : previousHash);
  }

  private boolean fail(long seq, String reason) {
    broken = AuditVerification.broken(checked, seq, reason);
    return false;
  }
}
