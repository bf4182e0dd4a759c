package org.vigil.bench.netflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.collectors.netflow.NetflowExporterKey;

class NetflowCaptureTest {
  @Test
  void sortsTemplateDatagramsFromDataAndCountsTheirFlows() {
    NetflowCapture asa = NetflowCaptures.asa();
    assertThat(asa.family()).isEqualTo(NetflowExporterKey.Family.V9);
    assertThat(asa.templates()).hasSize(2);
    assertThat(asa.data()).hasSize(1);
    assertThat(asa.data().get(0).flows()).isEqualTo(19);
    assertThat(asa.flowsPerDataCycle()).isEqualTo(19);

    NetflowCapture pflow = NetflowCaptures.pflow();
    assertThat(pflow.family()).isEqualTo(NetflowExporterKey.Family.IPFIX);
    assertThat(pflow.templates()).hasSize(1);
    assertThat(pflow.data().get(0).records()).isEqualTo(26);
  }

  @Test
  void refusesDataWhoseTemplateIsNotInTheCapture() throws IOException {
    byte[] data =
        Files.readAllBytes(NetflowCaptures.dir().resolve("netflow9_test_cisco_asa_2_data.dat"));
    assertThatThrownBy(() -> NetflowCapture.of("orphan", List.of(data)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never defines");
  }

  @Test
  void refusesACaptureThatMixesVersions() throws IOException {
    byte[] v9 =
        Files.readAllBytes(NetflowCaptures.dir().resolve("netflow9_test_cisco_asa_2_tpl_26x.dat"));
    byte[] ipfix =
        Files.readAllBytes(NetflowCaptures.dir().resolve("ipfix_test_openbsd_pflow_tpl.dat"));
    assertThatThrownBy(() -> NetflowCapture.of("mixed", List.of(v9, ipfix)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mixes export versions");
  }

  @Test
  void refusesNetflowV5AsItHasNoTemplates() throws IOException {
    byte[] v5 = Files.readAllBytes(NetflowCaptures.dir().resolve("netflow5.dat"));
    assertThatThrownBy(() -> NetflowCapture.of("v5", List.of(v5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only v9 and IPFIX");
  }

  @Test
  void namesTheMissingFile() {
    assertThatThrownBy(
            () -> NetflowCapture.read("gone", NetflowCaptures.dir(), List.of("no-such.dat")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no-such.dat");
  }
}
