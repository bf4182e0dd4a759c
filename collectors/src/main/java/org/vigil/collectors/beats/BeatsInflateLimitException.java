package org.vigil.collectors.beats;

/**
 * A compressed frame that inflates beyond the limit: a compression bomb, or a client configured for
 * larger windows than this server accepts. Counted apart from other protocol errors.
 */
public final class BeatsInflateLimitException extends BeatsProtocolException {
  public BeatsInflateLimitException(String message) {
    super(message);
  }
}
