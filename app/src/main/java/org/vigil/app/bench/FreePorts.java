package org.vigil.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports the kernel has free on 127.0.0.1 right now, so a benchmark never collides with a running
 * {@code vigil up} on the default ports. A port may be taken between this call and its use; the
 * component that binds it then fails with a message naming it.
 */
final class FreePorts {
  private FreePorts() {}

  static int tcp() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
    }
  }
}
