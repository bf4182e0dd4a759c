package org.vigil.bench.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetflowDecoderJmhTest {
  @Test
  void turnsTheBenchmarksPacketsIntoRecordsPerSecond() throws Exception {
    List<NetflowDecoderJmh.Figure> figures =
        new NetflowDecoderJmh(
                NetflowCaptures.dir(), new NetflowDecoderJmh.Settings(false, 0, 1, 100))
            .run();
    assertThat(figures)
        .extracting(NetflowDecoderJmh.Figure::packet)
        .containsExactlyInAnyOrder("v9-asa", "ipfix-pflow");
    for (NetflowDecoderJmh.Figure f : figures) {
      assertThat(f.packetsPerSecond()).isPositive();
      assertThat(f.recordsPerSecond()).isEqualTo(f.packetsPerSecond() * f.recordsPerPacket());
    }
    assertThat(figures)
        .filteredOn(f -> f.packet().equals("v9-asa"))
        .extracting(NetflowDecoderJmh.Figure::recordsPerPacket)
        .containsExactly(19);
  }
}
