package org.vigil.correlation.normalise;

/** A normaliser definition that cannot be loaded; the message names the file and the problem. */
public final class NormaliserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NormaliserException(String message) {
    super(message);
  }

  public NormaliserException(String message, Throwable cause) {
    super(message, cause);
  }
}
