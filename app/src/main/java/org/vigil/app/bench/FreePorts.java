package org.vigil.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.vigil.app.AllInOne;

/**
 * Ports the kernel has free on 127.0.0.1 right now, so a benchmark never collides with a running
 * {@code vigil up} on the default ports. A port may be taken between this call and its use; the
 * component that binds it then fails with a message naming it.
 */
public final class FreePorts {
  private FreePorts() {}

  /**
   * The whole all-in-one on free ports on 127.0.0.1, with the Flink web UI and the metrics endpoint
   * (the benches read the job's counters there) and the NetFlow/IPFIX listeners on free UDP ports;
   * Beats is off unless the caller turns it on.
   */
  public static AllInOne.Settings allInOne(Path dir, String elasticsearchHeap, int parallelism) {
    return new AllInOne.Settings(
        dir,
        "127.0.0.1",
        tcp(),
        tcp(),
        tcp(),
        tcp(),
        tcp(),
        tcp(),
        tcp(),
        elasticsearchHeap,
        parallelism,
        Duration.ofSeconds(10),
        null,
        null,
        tcp(),
        null,
        0,
        0);
  }

  static int tcp() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
    }
  }
}
