package org.vigil.correlation.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceZonesTest {
  private static final ZoneId TEHRAN = ZoneId.of("Asia/Tehran");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static final SourceZones ZONES =
      SourceZones.parse(
          List.of(
              "# site networks",
              "10.0.0.0/8 Europe/Berlin",
              "",
              "10.20.0.0/16 Asia/Tehran   # Tehran office",
              "   10.20.30.40 Asia/Tokyo",
              "2001:db8::/32 Europe/Berlin",
              "2001:db8:ab::/48\tAmerica/New_York"),
          ZoneOffset.UTC);

  @Test
  void longestPrefixWinsWhateverTheOrderOfTheLines() {
    assertThat(ZONES.zoneFor("10.20.1.5")).isEqualTo(TEHRAN);
    assertThat(ZONES.zoneFor("10.21.1.5")).isEqualTo(BERLIN);
    assertThat(ZONES.zoneFor("10.20.30.40")).isEqualTo(TOKYO);
    assertThat(ZONES.zoneFor("10.20.30.41")).isEqualTo(TEHRAN);

    SourceZones reversed =
        SourceZones.parse(
            List.of("10.20.0.0/16 Asia/Tehran", "10.0.0.0/8 Europe/Berlin"), ZoneOffset.UTC);
    assertThat(reversed.zoneFor("10.20.1.5")).isEqualTo(TEHRAN);
    assertThat(reversed.zoneFor("10.99.1.5")).isEqualTo(BERLIN);
  }

  @Test
  void matchesIpv6NetworksAndIpv4MappedPeers() {
    assertThat(ZONES.zoneFor("2001:db8:ab::17")).isEqualTo(NEW_YORK);
    assertThat(ZONES.zoneFor("2001:db8:1::17")).isEqualTo(BERLIN);
    assertThat(ZONES.zoneFor("2001:DB8:AB:0:0:0:0:1")).isEqualTo(NEW_YORK);
    assertThat(ZONES.zoneFor("::ffff:10.20.1.5")).isEqualTo(TEHRAN);
    assertThat(ZONES.zoneFor("2001:db9::1")).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void unknownAndMalformedPeersGetTheDefaultZone() {
    assertThat(ZONES.zoneFor("192.0.2.10")).isEqualTo(ZoneOffset.UTC);
    assertThat(ZONES.zoneFor("not-an-address")).isEqualTo(ZoneOffset.UTC);
    assertThat(ZONES.zoneFor("10.20.1.999")).isEqualTo(ZoneOffset.UTC);
    assertThat(ZONES.zoneFor("")).isEqualTo(ZoneOffset.UTC);
    assertThat(ZONES.zoneFor(null)).isEqualTo(ZoneOffset.UTC);
    assertThat(ZONES.zoneFor("*")).isEqualTo(ZoneOffset.UTC);
    assertThat(ZONES.zoneFor("10.20.0.0/16")).isEqualTo(ZoneOffset.UTC);
    assertThat(SourceZones.none(BERLIN).zoneFor("10.20.1.5")).isEqualTo(BERLIN);
  }

  @Test
  void commentsAndBlankLinesAreIgnored() {
    SourceZones zones =
        SourceZones.parse(List.of("", "   ", "# only a comment", "\t# indented"), TOKYO);
    assertThat(zones.networks()).isEmpty();
    assertThat(zones.zoneFor("10.20.1.5")).isEqualTo(TOKYO);
    assertThat(ZONES.networks()).hasSize(5);
  }

  @Test
  void aBadNetworkIsRejectedNamingItsLine() {
    assertThatThrownBy(
            () ->
                SourceZones.parse(
                    List.of("# x", "10.20.0.0/16 UTC", "10.300.0.0/16 UTC"), ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 3:")
        .hasMessageContaining("10.300.0.0/16");
    assertThatThrownBy(() -> SourceZones.parse(List.of("10.20.1.0/16 UTC"), ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 1:")
        .hasMessageContaining("host bits")
        .hasMessageContaining("10.20.0.0/16");
    assertThatThrownBy(() -> SourceZones.parse(List.of("", "10.1.2.3-9 UTC"), ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 2:");
  }

  @Test
  void anUnknownZoneIsRejectedNamingItsLine() {
    assertThatThrownBy(
            () ->
                SourceZones.parse(
                    List.of("10.0.0.0/8 UTC", "10.20.0.0/16 Asia/Teheran"), ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 2:")
        .hasMessageContaining("unknown zone id 'Asia/Teheran'");
  }

  @Test
  void aLineWithoutExactlyNetworkAndZoneIsRejectedNamingItsLine() {
    assertThatThrownBy(() -> SourceZones.parse(List.of("10.0.0.0/8"), ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 1:")
        .hasMessageContaining("expected 'CIDR ZONE'");
    assertThatThrownBy(
            () -> SourceZones.parse(List.of("10.0.0.0/8 UTC Europe/Berlin"), ZoneOffset.UTC))
        .hasMessageStartingWith("line 1:");
  }

  @Test
  void aNetworkGivenTwiceIsRejectedNamingBothLines() {
    assertThatThrownBy(
            () ->
                SourceZones.parse(
                    List.of("10.20.0.0/16 Asia/Tehran", "#", "10.20.0.0/16 Europe/Berlin"),
                    ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 3:")
        .hasMessageContaining("line 1");
  }

  @Test
  void loadsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("zones.txt");
    Files.writeString(file, "# sites\n10.20.0.0/16 Asia/Tehran\n");
    assertThat(SourceZones.load(file, ZoneOffset.UTC).zoneFor("10.20.1.5")).isEqualTo(TEHRAN);

    Files.writeString(file, "10.20.0.0/16 Nowhere/Town\n");
    assertThatThrownBy(() -> SourceZones.load(file, ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 1:");

    Path missing = dir.resolve("missing.txt");
    assertThatThrownBy(() -> SourceZones.load(missing, ZoneOffset.UTC))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageNotContaining("\n");
  }

  @Test
  void survivesJavaSerialisationAsFlinkShipsIt() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(ZONES);
    }
    SourceZones copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (SourceZones) in.readObject();
    }
    assertThat(copy.zoneFor("10.20.30.40")).isEqualTo(TOKYO);
    assertThat(copy.zoneFor("10.20.1.5")).isEqualTo(TEHRAN);
    assertThat(copy.zoneFor("2001:db8:ab::1")).isEqualTo(NEW_YORK);
    assertThat(copy.zoneFor("192.0.2.1")).isEqualTo(ZoneOffset.UTC);
  }
}
