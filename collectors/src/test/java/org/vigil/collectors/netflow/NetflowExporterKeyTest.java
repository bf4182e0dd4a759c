package org.vigil.collectors.netflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigil.collectors.netflow.NetflowCollectorFixture.packet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vigil.collectors.netflow.NetflowExporterKey.Family;

class NetflowExporterKeyTest {

  @Test
  void keysNetflowV5ByEngineTypeAndId() {
    // engine_type 0, engine_id 0x43 at bytes 20..21
    assertThat(NetflowExporterKey.of("192.0.2.1", packet("netflow5_test_invalid01.dat")))
        .hasToString("192.0.2.1|v5|67");
    assertThat(NetflowExporterKey.of("192.0.2.1", packet("netflow5.dat")))
        .isEqualTo(new NetflowExporterKey("192.0.2.1", Family.V5, 0));
  }

  @Test
  void keysNetflowV9BySourceId() {
    assertThat(NetflowExporterKey.of("10.1.1.1", packet("netflow9_test_cisco_asr9k_tpl260.dat")))
        .hasToString("10.1.1.1|v9|2177");
    assertThat(
            NetflowExporterKey.of("10.1.1.1", packet("netflow9_test_paloalto_81_tpl256-263.dat")))
        .hasToString("10.1.1.1|v9|16777216");
  }

  @Test
  void keysIpfixByObservationDomainReadAsUnsigned() {
    assertThat(NetflowExporterKey.of("10.2.2.2", packet("ipfix_test_procera_tpl52935.dat")))
        .hasToString("10.2.2.2|ipfix|2875616939");
    assertThat(NetflowExporterKey.of("10.2.2.2", packet("ipfix_test_openbsd_pflow_tpl.dat")))
        .hasToString("10.2.2.2|ipfix|42");
  }

  @Test
  void templateAndDataOfOneExporterShareAKey() {
    assertThat(NetflowExporterKey.of("10.3.3.3", packet("netflow9_test_nprobe_tpl.dat")))
        .isEqualTo(NetflowExporterKey.of("10.3.3.3", packet("netflow9_test_nprobe_data.dat")));
    assertThat(NetflowExporterKey.of("10.3.3.3", packet("ipfix_test_viptela_tpl257.dat")))
        .isEqualTo(NetflowExporterKey.of("10.3.3.3", packet("ipfix_test_viptela_data257.dat")));
  }

  static List<String> captures() throws IOException {
    try (Stream<Path> files = Files.list(NetflowCollectorFixture.captures())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".dat"))
          .sorted()
          .toList();
    }
  }

  @ParameterizedTest
  @MethodSource("captures")
  void readsTheFamilyOfEveryCaptureFromItsVersion(String name) {
    byte[] bytes = packet(name);
    int version = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
    Family family = NetflowExporterKey.of("192.0.2.9", bytes).family();
    assertThat(family).isNotEqualTo(Family.MALFORMED);
    assertThat(family.version()).isEqualTo(version);
  }

  @Test
  void marksPacketsTooShortForTheirHeaderOrOfAnUnknownVersionAsMalformed() {
    byte[] v9 = packet("netflow9_test_valid01.dat");
    byte[] ipfix = packet("ipfix_test_yaf_data45841.dat");
    byte[] v5 = packet("netflow5.dat");
    for (byte[] bytes :
        List.of(
            new byte[0],
            new byte[] {0},
            Arrays.copyOf(v5, 23),
            Arrays.copyOf(v9, 19),
            Arrays.copyOf(ipfix, 15),
            new byte[] {0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
            "<13>syslog on the wrong port".getBytes(UTF_8))) {
      assertThat(NetflowExporterKey.of("192.0.2.1", bytes))
          .as("%d bytes", bytes.length)
          .hasToString("192.0.2.1|malformed|0");
    }
    assertThat(NetflowExporterKey.familyOf(Arrays.copyOf(v9, 20))).isEqualTo(Family.V9);
  }

  @Test
  void writesIpv6AddressesUnbracketedAndParsesTheKeyBack() {
    NetflowExporterKey key =
        NetflowExporterKey.of("2001:db8::7", packet("ipfix_test_openbsd_pflow_data.dat"));
    assertThat(new String(key.toKafkaKey(), UTF_8)).isEqualTo("2001:db8::7|ipfix|42");
    assertThat(NetflowExporterKey.parse("2001:db8::7|ipfix|42")).isEqualTo(key);
  }

  @Test
  void refusesTextThatIsNotAKey() {
    for (String text :
        List.of("", "10.0.0.1", "10.0.0.1|v9", "10.0.0.1|v7|1", "10.0.0.1|v9|x", "|v9|1")) {
      assertThatThrownBy(() -> NetflowExporterKey.parse(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new NetflowExporterKey("10.0.0.1", Family.V9, 1L << 32))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
