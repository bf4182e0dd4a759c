package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.dashboards.reports.ReportDefinition;

class ReportCatalogTest {
  @TempDir Path data;

  @Test
  void aNewSystemGetsTheShippedScheduledDefinitionsOnce() throws Exception {
    Path folder = data.resolve("reports");
    assertThat(ReportCatalog.seed(folder)).isTrue();
    ReportCatalog catalog = ReportCatalog.load(folder);
    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.definitions())
        .extracting(ReportDefinition::name)
        .containsExactlyInAnyOrder("weekly-nist", "monthly-iso");
    assertThat(catalog.definitions()).allSatisfy(d -> assertThat(d.schedule()).isNotNull());

    Files.delete(folder.resolve("monthly-iso.yaml"));
    assertThat(ReportCatalog.seed(folder)).isFalse();
    assertThat(ReportCatalog.load(folder).definitions()).hasSize(1);
  }

  @Test
  void aNameUsedTwiceKeepsTheFirstFileAndNamesTheSecond() throws Exception {
    Files.writeString(data.resolve("a.yaml"), "name: weekly\n");
    Files.writeString(data.resolve("b.yaml"), "name: weekly\nperiod: 1d\n");
    ReportCatalog catalog = ReportCatalog.load(data);
    assertThat(catalog.definitions())
        .singleElement()
        .satisfies(d -> assertThat(d.period()).hasDays(7));
    assertThat(catalog.problems()).singleElement().asString().contains("b.yaml").contains("taken");
  }

  @Test
  void noFolderMeansNoDefinitions() {
    assertThat(ReportCatalog.load(data.resolve("absent")).definitions()).isEmpty();
    assertThat(ReportCatalog.load(null).definitions()).isEmpty();
  }
}
