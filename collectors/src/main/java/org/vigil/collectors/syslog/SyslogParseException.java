package org.vigil.collectors.syslog;

/**
 * A syslog message that cannot be parsed. Checked, so that every caller decides what happens to bad
 * input (dead-letter it, count it) instead of letting it escape a socket or a job.
 */
public final class SyslogParseException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int offset;

  /**
   * @param reason what is wrong, in terms of the RFC
   * @param offset the character offset in the message where the problem was found, or -1
   */
  public SyslogParseException(String reason, int offset) {
    super(offset >= 0 ? reason + " (at offset " + offset + ")" : reason);
    this.offset = offset;
  }

  /** The character offset in the message where parsing stopped, or -1 when not tied to one. */
  public int offset() {
    return offset;
  }
}
