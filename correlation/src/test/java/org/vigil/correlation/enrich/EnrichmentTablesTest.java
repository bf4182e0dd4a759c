package org.vigil.correlation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.model.Event;

class EnrichmentTablesTest {
  private static final long T0 = 1_800_000_000_000L;

  @TempDir Path dir;

  private final List<String> reloaded = new ArrayList<>();
  private final List<String> failed = new ArrayList<>();
  private final EnrichmentTables.Listener listener =
      new EnrichmentTables.Listener() {
        @Override
        public void reloaded(String what) {
          reloaded.add(what);
        }

        @Override
        public void failed(String what, String problem) {
          failed.add(what + ": " + problem);
        }
      };

  /** Writes a file with a modification time of its own, so a rewrite is seen even within a tick. */
  private static void write(Path file, String content, long modified) throws IOException {
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, FileTime.fromMillis(modified));
  }

  private static Event flow(String destination) {
    return new Event("e", 0).put("observer.ip", "10.1.0.1").put("destination.ip", destination);
  }

  @Test
  void aChangedFeedIsReloadedAfterTheIntervalAndNotBefore() throws IOException {
    Path feeds = Files.createDirectory(dir.resolve("intel"));
    write(feeds.resolve("a.txt"), "203.0.113.5\n", T0);
    EnrichmentTables tables =
        EnrichmentTables.load(
            null,
            new EnrichmentSettings(null, List.of(feeds.toString()), Duration.ofSeconds(30)),
            T0);
    write(feeds.resolve("a.txt"), "203.0.113.6\n", T0 + 1000);

    tables.refresh(T0 + 29_000, listener);
    assertThat(tables.apply(flow("203.0.113.6"), T0)).as("not looked yet").isFalse();

    tables.refresh(T0 + 30_000, listener);
    assertThat(tables.apply(flow("203.0.113.6"), T0)).isTrue();
    assertThat(tables.apply(flow("203.0.113.5"), T0)).isFalse();
    assertThat(reloaded)
        .containsExactly("threat-intel feed " + feeds.resolve("a.txt") + ": 1 indicators");
  }

  @Test
  void aBadFeedKeepsItsPreviousVersionAndIsReportedOncePerChange() throws IOException {
    Path feeds = Files.createDirectory(dir.resolve("intel"));
    Path bundle = feeds.resolve("cert.json");
    write(
        bundle,
        """
        {"type": "bundle", "objects": [{"type": "indicator", "id": "indicator--1",
          "pattern": "[domain-name:value = 'c2.evil.example']", "pattern_type": "stix"}]}
        """,
        T0);
    write(feeds.resolve("other.txt"), "203.0.113.5\n", T0);
    EnrichmentTables tables =
        EnrichmentTables.load(
            null, new EnrichmentSettings(null, List.of(feeds.toString()), Duration.ZERO), T0);

    write(bundle, "{\"type\": \"bundle\", \"objects\": [", T0 + 1000);
    write(feeds.resolve("other.txt"), "203.0.113.7\n", T0 + 1000);
    tables.refresh(T0 + 1, listener);
    tables.refresh(T0 + 2, listener);

    Event lookup = new Event("d", 0).put("dns.question.name", "www.c2.evil.example");
    assertThat(tables.apply(lookup, T0)).as("the previous bundle still matches").isTrue();
    assertThat(tables.apply(flow("203.0.113.7"), T0)).as("the good file is reloaded").isTrue();
    assertThat(failed).singleElement().asString().contains(bundle.toString()).contains("not JSON");

    write(bundle, "{\"type\": \"bundle\", \"objects\": []}", T0 + 2000);
    tables.refresh(T0 + 3, listener);
    assertThat(tables.apply(lookup, T0)).isFalse();
    assertThat(failed).hasSize(1);
  }

  @Test
  void feedsAddedToOrRemovedFromTheFolderAreTakenUp() throws IOException {
    Path feeds = Files.createDirectory(dir.resolve("intel"));
    write(feeds.resolve("a.txt"), "203.0.113.5\n", T0);
    EnrichmentTables tables =
        EnrichmentTables.load(
            null, new EnrichmentSettings(null, List.of(feeds.toString()), Duration.ZERO), T0);

    write(feeds.resolve("b.csv"), "type,value\nip,203.0.113.9\nip,not-an-ip\n", T0);
    write(feeds.resolve("notes.md"), "not a feed", T0);
    write(feeds.resolve(".a.txt.swp"), "editor junk", T0);
    Files.delete(feeds.resolve("a.txt"));
    tables.refresh(T0 + 1, listener);

    assertThat(tables.feedsByFile()).containsOnlyKeys(feeds.resolve("b.csv").toString());
    assertThat(tables.unusableEntries()).isEqualTo(1);
    assertThat(tables.apply(flow("203.0.113.9"), T0)).isTrue();
    assertThat(tables.apply(flow("203.0.113.5"), T0)).isFalse();
    assertThat(failed).isEmpty();
  }

  @Test
  void aBrokenInventoryKeepsThePreviousOneUntilItIsFixed() throws IOException {
    Path assets = dir.resolve("assets.csv");
    write(assets, "cidr,agency,asset,owner,criticality\n10.1.0.0/16,health,,,\n", T0);
    Path agencies = dir.resolve("agencies.txt");
    write(agencies, "10.2.0.0/16 finance\n", T0);
    EnrichmentTables tables =
        EnrichmentTables.load(
            agencies.toString(),
            new EnrichmentSettings(assets.toString(), List.of(), Duration.ZERO),
            T0);

    write(assets, "cidr,agency,asset,owner,criticality\n10.1.0.0/16,health,db,,urgent\n", T0 + 1);
    tables.refresh(T0 + 1, listener);
    tables.refresh(T0 + 2, listener);
    Event event = flow("10.1.0.9");
    tables.apply(event, T0);
    assertThat(event.getOrganizationId()).isEqualTo("health");
    assertThat(event.get("vigil.asset.name")).isNull();
    assertThat(failed)
        .singleElement()
        .asString()
        .contains("asset inventory " + assets + ", line 2: unknown criticality 'urgent'");

    write(assets, "cidr,agency,asset,owner,criticality\n10.1.0.0/16,health,db,,high\n", T0 + 2);
    tables.refresh(T0 + 3, listener);
    tables.apply(event, T0);
    assertThat(event.text("vigil.asset.criticality")).isEqualTo("high");
    assertThat(reloaded).containsExactly("asset inventory: 2 networks");
  }

  @Test
  void aWrongFileAtTheStartIsAnErrorNamingIt() throws IOException {
    Path feeds = Files.createDirectory(dir.resolve("intel"));
    write(feeds.resolve("bad.csv"), "value\n203.0.113.5\n", T0);

    assertThatThrownBy(
            () ->
                EnrichmentTables.load(
                    null, EnrichmentSettings.none().withIntelPaths(List.of(feeds.toString())), T0))
        .hasMessageContaining(feeds.resolve("bad.csv").toString())
        .hasMessageContaining("type,value");
    assertThatThrownBy(
            () ->
                EnrichmentTables.load(
                    null, EnrichmentSettings.none().withIntelPaths(List.of(dir + "/nope.txt")), T0))
        .hasMessageContaining("nope.txt does not exist");
  }
}
