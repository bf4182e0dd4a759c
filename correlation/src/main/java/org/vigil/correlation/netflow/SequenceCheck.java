package org.vigil.correlation.netflow;

/**
 * What one packet's sequence number says about the packets before it, for one exporter and domain.
 * Sequence numbers are unsigned 32-bit and wrap; v5 and IPFIX count flow records, v9 counts export
 * packets (RFC 3954 §5.1, RFC 7011 §3.1).
 *
 * <p>A small forward jump is loss. A packet a little behind the expected number is a late (UDP
 * reordered or duplicated) packet: it neither counts as loss nor moves the expectation back. Any
 * other jump is an exporter restart (its counter starts again) and only resets the expectation.
 *
 * @param outcome how the packet relates to the expectation
 * @param lost sequence units missing before this packet, 0 unless {@link Outcome#GAP}
 */
public record SequenceCheck(Outcome outcome, long lost) {

  public enum Outcome {
    /** No expectation yet (first packet, or after state was cleared). */
    FIRST,
    IN_ORDER,
    GAP,
    LATE,
    RESET
  }

  /**
   * How far behind the expectation a packet may be and still be taken for a reordered one: a few
   * dozen IPFIX packets of records. Further behind is a restart; a restart that lands within the
   * window reads as late packets until the new counter catches up, which under-counts, never
   * over-counts, loss.
   */
  public static final long LATE_WINDOW = 1024;

  private static final long MASK = 0xFFFF_FFFFL;

  /**
   * @param expected the expected sequence number, or null when none is known
   * @param actual the packet's sequence number
   * @param maxGap the largest forward jump still taken for loss
   */
  public static SequenceCheck of(Long expected, long actual, long maxGap) {
    if (expected == null) {
      return new SequenceCheck(Outcome.FIRST, 0);
    }
    long ahead = (actual - expected) & MASK;
    if (ahead == 0) {
      return new SequenceCheck(Outcome.IN_ORDER, 0);
    }
    if (ahead <= maxGap) {
      return new SequenceCheck(Outcome.GAP, ahead);
    }
    long behind = (expected - actual) & MASK;
    if (behind <= LATE_WINDOW) {
      return new SequenceCheck(Outcome.LATE, 0);
    }
    return new SequenceCheck(Outcome.RESET, 0);
  }

  /** Whether the packet's own expected-next number replaces the current expectation. */
  public boolean advances() {
    return outcome != Outcome.LATE;
  }
}
