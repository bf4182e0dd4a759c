package org.vigil.correlation.source;

import java.io.Serializable;

/**
 * A raw record the job could not use, with the reason. Written to {@code vigil.deadletter} with the
 * original bytes, so a fixed parser can replay it.
 */
public final class DeadLetter implements Serializable {
  private static final long serialVersionUID = 1L;

  public String topic;
  public int partition;
  public long offset;

  /** Which payload of the record at that offset failed; 0 for a record that holds one. */
  public int index;

  public byte[] value;
  public String reason;
  public long failedAtMillis;

  public DeadLetter() {}

  public DeadLetter(RawRecord raw, String reason, long failedAtMillis) {
    this.topic = raw.topic;
    this.partition = raw.partition;
    this.offset = raw.offset;
    this.index = raw.index;
    this.value = raw.value;
    this.reason = reason;
    this.failedAtMillis = failedAtMillis;
  }
}
