package org.vigil.collectors.beats;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A Lumberjack stream that breaks the protocol. The connection cannot be resynchronised (frames
 * carry no marker to search for), so it is closed; the client resends what was not acknowledged.
 */
public class BeatsProtocolException extends CorruptedFrameException {
  public BeatsProtocolException(String message) {
    super(message);
  }

  public BeatsProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
