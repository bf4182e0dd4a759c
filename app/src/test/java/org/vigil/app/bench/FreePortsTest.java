package org.vigil.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  @Test
  void handsOutDistinctPortsBelowTheKernelsEphemeralRange() throws IOException {
    assumeTrue(Files.isReadable(RANGE), "Linux only: the ephemeral range is read from /proc");
    int low;
    try (BufferedReader reader = Files.newBufferedReader(RANGE)) {
      low = Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
    }
    assumeTrue(low >= 21_000, "an ephemeral range leaving room below it");

    assertThat(FreePorts.ephemeralLow()).isEqualTo(low);
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = FreePorts.tcp();
      assertThat(port).isBetween(20_000, low - 1);
      assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
    }
  }
}
