package org.vigil.collectors.syslog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Datagrams the Linux kernel dropped for a UDP port before the collector could read them, mostly
 * because the socket's receive buffer was full. They never reach Netty, so only the kernel can
 * count them: {@code /proc/net/udp} and {@code /proc/net/udp6} list every socket with a {@code
 * drops} column, a per-socket figure unlike the host-wide {@code RcvbufErrors} of {@code
 * /proc/net/snmp}.
 */
public final class KernelUdpDrops {
  private static final List<Path> TABLES =
      List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));

  private KernelUdpDrops() {}

  /** Drops summed over the sockets bound to {@code port}; empty where /proc is not readable. */
  public static OptionalLong forPort(int port) {
    long sum = 0;
    boolean found = false;
    for (Path table : TABLES) {
      if (!Files.isReadable(table)) {
        continue;
      }
      try {
        OptionalLong drops = parse(Files.readAllLines(table), port);
        if (drops.isPresent()) {
          sum += drops.getAsLong();
          found = true;
        }
      } catch (IOException | RuntimeException e) {
        return OptionalLong.empty();
      }
    }
    return found ? OptionalLong.of(sum) : OptionalLong.empty();
  }

  /**
   * Reads one table. Lines look like {@code 12: 00000000:1586 00000000:0000 07 00000000:00000000
   * 00:00000000 00000000 0 0 123 2 0000000000000000 0}: the local address ends in the port in hex,
   * and drops is the last column.
   */
  static OptionalLong parse(List<String> lines, int port) {
    String portSuffix = String.format(":%04X", port);
    long sum = 0;
    boolean found = false;
    for (String line : lines) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length < 13 || !fields[0].endsWith(":") || !fields[1].endsWith(portSuffix)) {
        continue;
      }
      sum += Long.parseLong(fields[fields.length - 1]);
      found = true;
    }
    return found ? OptionalLong.of(sum) : OptionalLong.empty();
  }
}
