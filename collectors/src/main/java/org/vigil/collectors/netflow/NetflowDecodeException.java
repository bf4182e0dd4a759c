package org.vigil.collectors.netflow;

/**
 * The one exception the NetFlow/IPFIX decoder throws: the packet or pending set cannot be decoded,
 * and {@link #getMessage()} says why. Callers count it and dead-letter the raw bytes.
 */
public final class NetflowDecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public NetflowDecodeException(String reason) {
    super(reason);
  }
}
