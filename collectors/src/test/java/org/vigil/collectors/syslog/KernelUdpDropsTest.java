package org.vigil.collectors.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelUdpDropsTest {
  private static final List<String> TABLE =
      List.of(
          "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid "
              + " timeout inode ref pointer drops",
          "  123: 00000000:1586 00000000:0000 07 00000000:00000000 00:00000000 00000000     0      "
              + "  0 51234 2 0000000000000000 17",
          "  124: 0100007F:1586 00000000:0000 07 00000000:00000000 00:00000000 00000000     0      "
              + "  0 51235 2 0000000000000000 3",
          "  125: 00000000:0801 00000000:0000 07 00000000:00000000 00:00000000 00000000     0      "
              + "  0 51236 2 0000000000000000 99");

  @Test
  void sumsTheDropsOfEverySocketOnThePort() {
    assertThat(KernelUdpDrops.parse(TABLE, 5510)).hasValue(20);
  }

  @Test
  void findsNothingForAPortWithoutSockets() {
    assertThat(KernelUdpDrops.parse(TABLE, 5514)).isEmpty();
  }
}
