package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryAssetsTest {

  @Test
  void readsAssetRowsWithColumnsInAnyOrderAndIgnoresOtherColumns() {
    List<InventoryAsset> assets =
        InventoryAssets.parse(
            "# the health agency's servers\n"
                + "owner, criticality, cidr, agency, asset, rack\n"
                + "ops, high, 10.1.0.5/32, health, mail-1, r4\n"
                + "\n"
                + ", , 10.1.0.0/16, health, , r0\n"
                + ",low,10.2.0.0/24,transport,,\n");

    assertThat(assets)
        .containsExactly(
            new InventoryAsset("10.1.0.5/32", "health", "mail-1", "ops", "high"),
            new InventoryAsset("10.2.0.0/24", "transport", "10.2.0.0/24", "", "low"));
  }

  @Test
  void emptyFileHasNoAssets() {
    assertThat(InventoryAssets.parse("")).isEmpty();
  }

  @Test
  void refusesHeaderWithoutCidrOrAgency() {
    assertThatThrownBy(() -> InventoryAssets.parse("network,agency,asset\n10.0.0.0/8,a,b\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 1")
        .hasMessageContaining("cidr,agency");
  }

  @Test
  void refusesBadNetworkNamingItsLine() {
    assertThatThrownBy(
            () -> InventoryAssets.parse("cidr,agency,asset\n10.0.0.1/32,a,x\n10.0.0.300/32,a,y\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("10.0.0.300");
  }

  @Test
  void countsCommentAndBlankLinesInTheLineNumber() {
    assertThatThrownBy(
            () ->
                InventoryAssets.parse(
                    "# inventory\ncidr,agency,asset\n\n# a comment\n10.0.0.0/33,a,y\n"))
        .hasMessageContaining("line 5");
  }

  @Test
  void refusesNetworkWithHostBits() {
    assertThatThrownBy(() -> InventoryAssets.parse("cidr,agency,asset\n10.20.1.0/16,a,x\n"))
        .hasMessageContaining("line 2")
        .hasMessageContaining("host bits");
  }

  @Test
  void refusesNetworkGivenTwice() {
    assertThatThrownBy(
            () ->
                InventoryAssets.parse(
                    "cidr,agency,asset\n10.0.0.0/24,a,x\n10.0.1.0/24,a,y\n10.0.0.0/24,b,z\n"))
        .hasMessageContaining("line 4")
        .hasMessageContaining("already given on line 2");
  }

  @Test
  void refusesUnknownCriticalityAndBadAgency() {
    assertThatThrownBy(
            () -> InventoryAssets.parse("cidr,agency,criticality\n10.0.0.0/24,a,extreme\n"))
        .hasMessageContaining("line 2")
        .hasMessageContaining("extreme");
    assertThatThrownBy(() -> InventoryAssets.parse("cidr,agency,asset\n10.0.0.0/24,,x\n"))
        .hasMessageContaining("line 2")
        .hasMessageContaining("agency");
  }

  @Test
  void refusesRowWithMoreFieldsThanTheHeader() {
    assertThatThrownBy(() -> InventoryAssets.parse("cidr,agency,asset\n10.0.0.0/24,a,x,extra\n"))
        .hasMessageContaining("line 2")
        .hasMessageContaining("4 fields");
  }

  @Test
  void refusesUnterminatedQuote() {
    assertThatThrownBy(
            () -> InventoryAssets.parse("cidr,agency,asset\n10.0.0.0/24,a,\"x\n10.1.0.0/24,b,y\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not CSV");
  }

  @Test
  void namesTheFileInItsErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("assets.csv");
    Files.writeString(file, "cidr,agency,asset\nnonsense,a,x\n");

    assertThatThrownBy(() -> InventoryAssets.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 2");
  }
}
