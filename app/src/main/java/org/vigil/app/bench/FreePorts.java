package org.vigil.app.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.vigil.app.AllInOne;

/**
 * Ports the kernel has free on 127.0.0.1 right now, so a benchmark never collides with a running
 * {@code vigil up} on the default ports. A port may still be taken between this call and its use
 * (by another process picking the same one); the component that binds it then fails with a message
 * naming it.
 */
public final class FreePorts {
  /** Above the ports services commonly use, so a port handed out is unlikely to be wanted. */
  private static final int LOWEST = 20_000;

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int EPHEMERAL_LOW = ephemeralLow();
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

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

  /**
   * A TCP port free on 127.0.0.1 now, below the kernel's ephemeral range: the local ports of
   * outgoing connections (Kafka and Elasticsearch clients open many) come from that range, so one
   * opened between this call and the bind cannot take the port, as it could a port the kernel
   * picked. Ports already handed out in this JVM are not handed out again.
   */
  public static int tcp() {
    int below = EPHEMERAL_LOW;
    if (below - LOWEST >= 1_000) {
      for (int attempt = 0; attempt < 500; attempt++) {
        int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
        if (HANDED_OUT.add(port) && bindable(port)) {
          return port;
        }
      }
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1);
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  /**
   * The first port of Linux's ephemeral range; its default when the range cannot be read. Read line
   * by line: {@code Files.readString} trusts the size a file reports, and a {@code /proc} file
   * reports none, so it gave the first character ("3"), every port came from the kernel, and two of
   * an all-in-one's ports could be the same.
   */
  static int ephemeralLow() {
    try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
      String line = reader.readLine();
      return Integer.parseInt(line.trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
