package org.vigil.correlation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndicatorFeedTest {
  static final long NOW = Instant.parse("2026-11-26T00:00:00Z").toEpochMilli();

  static Path fixture(String name) {
    try {
      return Path.of(IndicatorFeedTest.class.getResource("/intel/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aPlainListDetectsEachTypeAndSkipsWhatIsNone() {
    IndicatorFeed feed = IndicatorFeed.load(fixture("abuse-list.txt"), NOW);

    assertThat(feed.provider()).isEqualTo("abuse-list.txt");
    assertThat(feed.size()).isEqualTo(8);
    assertThat(feed.skipped()).isEqualTo(2);
    assertThat(feed.firstProblem()).startsWith("line 10: 'not-an-indicator!'");
    assertThat(feed.matchDomain("c2.evil.example", NOW)).isTrue();
    assertThat(feed.matchUrl("http://phish.example/login?next=%2F", NOW)).isTrue();
    assertThat(feed.matchHash("44d88612fea8a8f36de82e1278abb02f", NOW)).isTrue();
  }

  @Test
  void aCsvFeedTakesTypeNamesAliasesAndEmptyTypesAndHonoursValidUntil() {
    IndicatorFeed feed = IndicatorFeed.load(fixture("partner.csv"), NOW);

    assertThat(feed.size()).isEqualTo(5);
    assertThat(feed.inactive()).as("expired row").isEqualTo(1);
    assertThat(feed.skipped()).as("registry-key row").isEqualTo(1);
    assertThat(feed.firstProblem()).contains("line 8").contains("registry-key");
    assertThat(feed.matchDomain("bad.example", NOW)).isTrue();
    assertThat(
            feed.matchHash("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", NOW))
        .isTrue();
    assertThat(feed.matchUrl("http://detected.example/x", NOW)).isTrue();
  }

  @Test
  void aStixBundleUsesEqualityPatternsAndSkipsRevokedExpiredAndUnsupported() {
    IndicatorFeed feed = IndicatorFeed.load(fixture("stix-bundle.json"), NOW);

    assertThat(feed.size()).as("5 indicators, 7 comparisons").isEqualTo(7);
    assertThat(feed.inactive()).as("one revoked, one expired").isEqualTo(2);
    assertThat(feed.skipped()).as("FOLLOWEDBY pattern, sigma pattern").isEqualTo(2);
    assertThat(feed.firstProblem()).startsWith("indicator--unsupported: pattern [network-traffic");
    assertThat(feed.matchDomain("c2.evil.example", NOW)).isTrue();
    assertThat(feed.matchDomain("old.example", NOW)).isFalse();
    assertThat(feed.matchUrl("http://evil.example/it's/payload.exe", NOW)).isTrue();
    assertThat(feed.matchHash("84c82835a5d21bbcf75a61706d8ab549", NOW)).isTrue();
    assertThat(feed.matchHash("2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", NOW)).isTrue();
  }

  @Test
  void anIndicatorStopsMatchingWhenItsValidityEndsWithoutAReload() {
    IndicatorFeed feed = IndicatorFeed.load(fixture("stix-bundle.json"), NOW);
    long after = Instant.parse("2999-01-01T00:00:01Z").toEpochMilli();

    assertThat(feed.matchUrl("http://evil.example/it's/payload.exe", after)).isFalse();
    assertThat(feed.matchDomain("c2.evil.example", after)).as("no valid_until").isTrue();
  }

  @Test
  void stixPatternsOfOnlyOrJoinedEqualitiesAreUsed() {
    assertThat(StixBundleReader.comparisons("[ipv4-addr:value = '198.51.100.1']"))
        .singleElement()
        .satisfies(c -> assertThat(c).containsExactly("ipv4-addr", "198.51.100.1"));
    assertThat(
            StixBundleReader.comparisons(
                "[domain-name:value = 'a.example' OR url:value = 'http://a.example/']"))
        .hasSize(2);
    assertThat(
            StixBundleReader.comparisons(
                "[ipv4-addr:value = '198.51.100.1' AND ipv4-addr:value = '198.51.100.2']"))
        .isEmpty();
    assertThat(StixBundleReader.comparisons("[ipv4-addr:value != '198.51.100.1']")).isEmpty();
    assertThat(StixBundleReader.comparisons("[domain-name:value MATCHES '^a']")).isEmpty();
    assertThat(StixBundleReader.comparisons("[file:name = 'x.exe']")).isEmpty();
  }

  @Test
  void aFileNotInItsFormatIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("broken.json");
    Files.writeString(json, "{\"type\": \"bundle\", \"objects\": [");
    Path notBundle = dir.resolve("list.json");
    Files.writeString(notBundle, "[\"203.0.113.5\"]");
    Path csv = dir.resolve("nohdr.csv");
    Files.writeString(csv, "indicator,kind\n203.0.113.5,ip\n");
    Path other = dir.resolve("feed.xml");
    Files.writeString(other, "<feed/>");

    assertThatThrownBy(() -> IndicatorFeed.load(json, NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("threat-intel feed " + json + ": not JSON");
    assertThatThrownBy(() -> IndicatorFeed.load(notBundle, NOW))
        .hasMessageContaining("not a STIX 2.1 bundle");
    assertThatThrownBy(() -> IndicatorFeed.load(csv, NOW))
        .hasMessageContaining("line 1: the header must name at least the columns type,value");
    assertThatThrownBy(() -> IndicatorFeed.load(other, NOW))
        .hasMessageContaining("unknown feed format");
    assertThatThrownBy(() -> IndicatorFeed.load(dir.resolve("missing.txt"), NOW))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("missing.txt");
  }
}
