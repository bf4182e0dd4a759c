package org.vigil.correlation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.correlation.enrich.IndicatorFeedTest.NOW;
import static org.vigil.correlation.enrich.IndicatorFeedTest.fixture;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;

class ThreatIntelTest {
  private static final ThreatIntel INTEL =
      new ThreatIntel(
          List.of(
              IndicatorFeed.load(fixture("stix-bundle.json"), NOW),
              IndicatorFeed.load(fixture("abuse-list.txt"), NOW),
              IndicatorFeed.load(fixture("partner.csv"), NOW)));

  private static ThreatMatch match(String field, String value) {
    return INTEL.match(new Event("e", 0).put(field, value), NOW);
  }

  @Test
  void aMatchSetsTheEnrichmentContractAndTag() {
    Event event =
        new Event("e", 0)
            .put("source.ip", "10.0.0.5")
            .put("destination.ip", "203.0.113.5")
            .put("tags", List.of("beats"));

    assertThat(INTEL.apply(event, NOW)).isTrue();

    assertThat(event.text("threat.enrichments.matched.atomic")).isEqualTo("203.0.113.5");
    assertThat(event.text("threat.enrichments.matched.field")).isEqualTo("destination.ip");
    assertThat(event.text("threat.enrichments.indicator.type")).isEqualTo("ipv4-addr");
    assertThat(event.text("threat.enrichments.indicator.provider"))
        .as("listed in two feeds: the first given wins")
        .isEqualTo("stix-bundle.json");
    assertThat(event.get("tags")).isEqualTo(List.of("beats", "threat_intel_match"));
  }

  @Test
  void anEventWithoutListedValuesIsLeftAlone() {
    Event event =
        new Event("e", 0)
            .put("source.ip", "10.0.0.5")
            .put("destination.ip", "198.18.0.1")
            .put("dns.question.name", "example.org");

    assertThat(INTEL.apply(event, NOW)).isFalse();

    assertThat(event.getFields()).doesNotContainKey("tags");
  }

  @Test
  void aListedDomainMatchesItsSubdomainsButNotLookalikes() {
    assertThat(match("dns.question.name", "C2.Evil.Example.")).isNotNull();
    assertThat(match("dns.question.name", "x.y.c2.evil.example"))
        .isEqualTo(
            new ThreatMatch(
                "x.y.c2.evil.example",
                "dns.question.name",
                IndicatorType.DOMAIN_NAME,
                "stix-bundle.json"));
    assertThat(match("dns.question.name", "evil.example")).as("parent of a listed one").isNull();
    assertThat(match("dns.question.name", "notc2.evil.example")).isNull();
    assertThat(match("dns.question.name", "sub.bad.example").provider()).isEqualTo("partner.csv");
  }

  @Test
  void ipv6AddressesMatchInAnyNotationAndMappedIpv4AsIpv4() {
    assertThat(match("source.ip", "2001:db8::c2").type()).isEqualTo(IndicatorType.IPV6_ADDR);
    assertThat(match("source.ip", "2001:0DB8:0000::00C2")).isNotNull();
    assertThat(match("source.ip", "2001:db8::bad").provider()).isEqualTo("abuse-list.txt");
    ThreatMatch mapped = match("source.ip", "::ffff:203.0.113.5");
    assertThat(mapped.type()).isEqualTo(IndicatorType.IPV4_ADDR);
    assertThat(mapped.atomic()).isEqualTo("::ffff:203.0.113.5");
    assertThat(match("source.ip", "2001:db8::c3")).isNull();
  }

  @Test
  void listedNetworksMatchTheirAddresses() {
    assertThat(match("destination.ip", "198.51.100.200").provider()).isEqualTo("abuse-list.txt");
    assertThat(match("destination.ip", "198.51.101.1")).isNull();
  }

  @Test
  void urlsMatchWithCaseInsensitiveSchemeAndHostAndHashesInAnyCase() {
    assertThat(match("url.full", "HTTP://phish.example/login?next=%2F").field())
        .isEqualTo("url.full");
    assertThat(match("url.original", "http://phish.example/LOGIN?next=%2F")).isNull();
    assertThat(match("file.hash.md5", "84C82835A5D21BBCF75A61706D8AB549").type())
        .isEqualTo(IndicatorType.FILE);
    assertThat(match("file.hash.sha1", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12")).isNotNull();
  }

  @Test
  void theDestinationIsLookedAtBeforeTheSourceAndAddressesBeforeDomains() {
    Event both =
        new Event("e", 0)
            .put("source.ip", "203.0.113.77")
            .put("destination.ip", "2001:db8::77")
            .put("dns.question.name", "c2.evil.example");

    assertThat(INTEL.match(both, NOW).field()).isEqualTo("destination.ip");
  }

  @Test
  void revokedAndExpiredIndicatorsDoNotMatch() {
    assertThat(match("source.ip", "203.0.113.66")).as("revoked").isNull();
    assertThat(match("dns.question.name", "old.example")).as("expired").isNull();
    assertThat(match("source.ip", "203.0.113.78")).as("expired CSV row").isNull();
  }
}
