package org.vigil.elasticsearch;

import java.io.IOException;

/**
 * Elasticsearch answered a request with an HTTP error status: not a network failure, so whether to
 * retry depends on {@link #status()} (429 and 5xx pass, a 400 does not).
 */
public final class HttpStatusException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public HttpStatusException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status Elasticsearch answered with. */
  public int status() {
    return status;
  }
}
