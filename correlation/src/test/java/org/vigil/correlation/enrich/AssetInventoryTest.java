package org.vigil.correlation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.model.Event;

class AssetInventoryTest {
  private static final String CSV =
      """
      cidr,agency,asset,owner,criticality
      # the health department's server room
      10.20.0.0/16,health-dept,,,
      10.20.1.10/32,health-dept,dc01.health.example,it-ops,critical
      10.20.1.0/24,health-dept,server-lan,it-ops,medium
      10.20.5.0/24,health.lab,lab-hosts,,low
      2001:db8:40::/48,transport_1,,"Ops, Transport",high
      """;

  @TempDir Path dir;

  private AssetInventory inventory() throws IOException {
    Path csv = dir.resolve("assets.csv");
    Files.writeString(csv, CSV);
    Path agencies = dir.resolve("agencies.txt");
    Files.writeString(agencies, "10.30.0.0/16 finance # agencies-only file\n10.20.5.0/24 other\n");
    return AssetInventory.load(csv, agencies);
  }

  @Test
  void theSenderNetworkSetsTheAgencyFromEitherFileTheCsvWinningTies() throws IOException {
    AssetInventory inventory = inventory();

    assertThat(inventory.agencyOf("10.20.9.9")).isEqualTo("health-dept");
    assertThat(inventory.agencyOf("10.20.5.9")).isEqualTo("health.lab");
    assertThat(inventory.agencyOf("::ffff:10.30.1.1")).isEqualTo("finance");
    assertThat(inventory.agencyOf("2001:db8:40::7")).isEqualTo("transport_1");
    assertThat(inventory.agencyOf("192.0.2.1")).isNull();
    assertThat(inventory.agencyOf("not an address")).isNull();
  }

  @Test
  void quotedFieldsAndEmptyColumnsAreRead() throws IOException {
    Asset transport = inventory().assetAt("2001:db8:40::1");

    assertThat(transport)
        .isEqualTo(new Asset("transport_1", null, "Ops, Transport", AssetCriticality.HIGH));
    assertThat(inventory().assetAt("10.20.9.9")).as("an agency-only row is no asset").isNull();
  }

  @Test
  void theMostCriticalAssetAtStakeWinsWhicheverFieldHoldsIt() throws IOException {
    Event event =
        new Event("e", 0)
            .put("observer.ip", "10.20.5.1")
            .put("source.ip", "10.20.1.10")
            .put("destination.ip", "10.20.1.77");

    inventory().apply(event);

    assertThat(event.getOrganizationId()).as("from observer.ip").isEqualTo("health.lab");
    assertThat(event.text("vigil.asset.name")).isEqualTo("dc01.health.example");
    assertThat(event.text("vigil.asset.owner")).isEqualTo("it-ops");
    assertThat(event.text("vigil.asset.criticality")).isEqualTo("critical");
    assertThat(event.text("vigil.asset.ip")).isEqualTo("10.20.1.10");
  }

  @Test
  void ofEquallyCriticalAssetsTheDestinationWinsAndHostIpListsAreSearched() throws IOException {
    Event toServer =
        new Event("e", 0).put("source.ip", "10.20.1.5").put("destination.ip", "10.20.1.6");
    Event onHost =
        new Event("h", 0)
            .put("host.ip", List.of("fe80::1", "10.20.5.3"))
            .put("source.ip", "198.51.100.1");

    inventory().apply(toServer);
    inventory().apply(onHost);

    assertThat(toServer.text("vigil.asset.ip")).isEqualTo("10.20.1.6");
    assertThat(onHost.text("vigil.asset.ip")).isEqualTo("10.20.5.3");
    assertThat(onHost.text("vigil.asset.name")).isEqualTo("lab-hosts");
    assertThat(onHost.get("vigil.asset.owner")).isNull();
  }

  @Test
  void assetFieldsASenderWroteAreReplacedOrRemoved() throws IOException {
    Event claimed =
        new Event("c", 0)
            .put("organization.id", "transport_1")
            .put("observer.ip", "10.20.9.1")
            .put("source.ip", "192.0.2.9")
            .put("vigil.asset.criticality", "critical");
    Event unlisted =
        new Event("u", 0).put("organization.id", "own").put("observer.ip", "192.0.2.1");

    inventory().apply(claimed);
    inventory().apply(unlisted);

    assertThat(claimed.getOrganizationId()).isEqualTo("health-dept");
    assertThat(claimed.get("vigil.asset.criticality")).isNull();
    assertThat(unlisted.getOrganizationId()).isEqualTo("own");
  }

  @Test
  void badCsvRowsAreReportedWithFileAndLine() throws IOException {
    assertThatThrownBy(
            () -> AssetInventory.parseCsv("cidr,agency,criticality\n10.0.0.0/8,health,urgent\n"))
        .hasMessageStartingWith("line 2:")
        .hasMessageContaining("unknown criticality 'urgent'");
    assertThatThrownBy(
            () ->
                AssetInventory.parseCsv(
                    "cidr,agency\n\n# comment\n10.0.0.0/8,health\n10.0.0.0/8,other\n"))
        .hasMessageStartingWith("line 5:")
        .hasMessageContaining("already given on line 4");
    assertThatThrownBy(() -> AssetInventory.parseCsv("cidr,agency\n10.0.1.0/8,health\n"))
        .hasMessageStartingWith("line 2:")
        .hasMessageContaining("host bits");
    assertThatThrownBy(() -> AssetInventory.parseCsv("cidr,agency\n10.0.0.0/8,he@lth\n"))
        .hasMessageContaining("organization id 'he@lth'");
    assertThatThrownBy(
            () -> AssetInventory.parseCsv("cidr,agency\n10.0.0.0/8,health\n10.1.0.0/16,a,b\n"))
        .hasMessageStartingWith("line 3: not CSV");
    assertThatThrownBy(() -> AssetInventory.parseCsv("network,name\n10.0.0.0/8,health\n"))
        .hasMessageStartingWith("line 1:")
        .hasMessageContaining("cidr,agency,asset,owner,criticality");

    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "cidr,agency\n10.0.0.0/8,\n");
    assertThatThrownBy(() -> AssetInventory.load(csv, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("asset inventory " + csv + ", line 2: agency is empty");
  }

  @Test
  void badAgencyLinesAreReportedWithTheirLine() throws IOException {
    Path agencies = dir.resolve("agencies.txt");
    Files.writeString(agencies, "\n10.0.0.0/8 health dept\n");

    assertThatThrownBy(() -> AssetInventory.load(null, agencies))
        .hasMessageContaining("agencies file " + agencies + ", line 2:")
        .hasMessageContaining("expected 'CIDR ORGANIZATION_ID'");
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = Path.of("/nonexistent/assets.csv");

    assertThatThrownBy(() -> AssetInventory.load(missing, null))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("asset inventory " + missing)
        .hasMessageNotContaining("\n");
  }
}
