package org.vigil.collectors.beats;

/**
 * An acknowledgement: every event of the current window up to and including {@code sequence} is
 * durable. Sequence 0 acknowledges nothing and only tells the client the server is alive.
 *
 * <pre>
 * | version (1 B) | 'A' (1 B) | sequence u32 BE |
 * </pre>
 *
 * @param version echoes the window's version byte: go-lumber's client refuses an ACK of another
 */
public record BeatsAck(byte version, int sequence) {}
