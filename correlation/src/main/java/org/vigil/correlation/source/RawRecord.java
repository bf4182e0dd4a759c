package org.vigil.correlation.source;

import java.io.Serializable;
import org.vigil.model.Envelope;

/**
 * One Kafka record of a raw topic: the bytes from the wire, where they sit in Kafka (which makes
 * the event's document id deterministic), and the collector's envelope.
 *
 * <p>Public fields and a no-argument constructor make it a Flink POJO.
 */
public final class RawRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  public String topic;
  public int partition;
  public long offset;
  public byte[] value;

  /**
   * Which payload of its Kafka record this is, from 0: a record may hold several ({@link
   * org.vigil.model.Payloads}), and each gets its own position.
   */
  public int index;

  /** Null when the headers were missing or malformed; {@link #envelopeError} says why. */
  public Envelope envelope;

  public String envelopeError;

  public RawRecord() {}

  public RawRecord(String topic, int partition, long offset, byte[] value, Envelope envelope) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.value = value;
    this.envelope = envelope;
  }
}
