package org.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;

/** The shipped network pack's isExternal, through a rule added to its file that uses it. */
class NetworkFunctionsTest {
  /** Appended to the shipped file, so it sees the file's functions. */
  private static final String PROBE =
      "\nrule \"external\" @id(\"external\") @severity(\"low\") @groupBy(\"source.ip\")\n"
          + "when $e : Event( isExternal( get(\"source.ip\") ) ) then detections.raise( $e ); end\n";

  private static final List<String> EXTERNAL =
      List.of(
          "8.8.8.8",
          "203.0.113.5",
          "192.0.2.1",
          "198.51.100.1",
          "100.63.255.255",
          "100.128.0.0",
          "172.15.255.255",
          "172.32.0.0",
          "192.0.1.255",
          "192.0.1.0",
          "192.167.255.255",
          "198.17.255.255",
          "198.20.0.0",
          "223.255.255.255",
          "1.0.0.0",
          " 9.9.9.9 ",
          "01.2.3.4",
          "2001:db8::1",
          "2001:DB8::1%eth0",
          "::ffff:8.8.8.8");

  private static final List<String> NOT_EXTERNAL =
      List.of(
          "0.1.2.3",
          "10.0.0.1",
          "10.255.255.255",
          "100.64.0.1",
          "100.127.255.255",
          "127.0.0.1",
          "169.254.1.1",
          "172.16.0.1",
          "172.31.255.255",
          "192.0.0.8",
          "192.168.1.1",
          "198.18.0.1",
          "198.19.255.255",
          "224.0.0.1",
          "239.255.255.250",
          "240.0.0.1",
          "255.255.255.255",
          "fe80::1",
          "fc00::1",
          "fd12:3456::1",
          "ff02::1",
          "::1",
          "::",
          "::ffff:10.0.0.1",
          "not-an-ip",
          "1.2.3",
          "1.2.3.4.5",
          "1.2.3.4.",
          ".1.2.3",
          "256.1.1.1",
          "1..2.3",
          "1.2.3.1000",
          "1.2.3.-4",
          "");

  @Test
  void isExternalKnowsThePrivateAndSpecialRanges() throws Exception {
    RulePack pack = RulePack.compile("t", Map.of("network.drl", shipped("network.drl") + PROBE));
    for (String address : EXTERNAL) {
      assertThat(pack.evaluate("external", List.of(event(address)))).as(address).hasSize(1);
    }
    for (String address : NOT_EXTERNAL) {
      assertThat(pack.evaluate("external", List.of(event(address)))).as(address).isEmpty();
    }
  }

  private static Event event(String address) {
    return new Event("e", 0L).put("source.ip", address);
  }

  private static String shipped(String file) throws IOException {
    try (InputStream in =
        NetworkFunctionsTest.class
            .getClassLoader()
            .getResourceAsStream(RulePack.BUILT_IN_FOLDER + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
