package org.vigil.correlation.enrich;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.vigil.model.Event;

/**
 * All threat-intel feeds, matched against each event.
 *
 * <p>The first match wins, looked for field by field in this order, and within a field feed by feed
 * in the order they were given (files of a folder by name):
 *
 * <ol>
 *   <li>{@code destination.ip}, then {@code source.ip}: IPv4 and IPv6 addresses and networks; IPv6
 *       in any notation ({@code 2001:DB8:0::5} is {@code 2001:db8::5}), IPv4-mapped IPv6 ({@code
 *       ::ffff:203.0.113.5}) as its IPv4 address. The destination comes first: a host reaching out
 *       to a listed address is the case that matters most.
 *   <li>{@code url.full}, then {@code url.original}: scheme and host case-insensitive.
 *   <li>{@code dns.question.name}: a listed domain matches itself and all its subdomains; case and
 *       a trailing dot do not matter.
 *   <li>{@code file.hash.sha256}, {@code file.hash.sha1}, {@code file.hash.md5}: case-insensitive.
 * </ol>
 *
 * <p>A match sets {@code threat.enrichments.matched.atomic} (the event's value), {@code
 * threat.enrichments.matched.field}, {@code threat.enrichments.indicator.type} (STIX name: {@code
 * ipv4-addr}, {@code ipv6-addr}, {@code domain-name}, {@code url}, {@code file}) and {@code
 * threat.enrichments.indicator.provider} (the feed's file name), and adds {@code
 * threat_intel_match} to {@code tags}. Rules rely on exactly these.
 */
public final class ThreatIntel implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String TAG = "threat_intel_match";

  private static final List<String> ADDRESS_FIELDS = List.of("destination.ip", "source.ip");
  private static final List<String> URL_FIELDS = List.of("url.full", "url.original");
  private static final String DOMAIN_FIELD = "dns.question.name";
  private static final List<String> HASH_FIELDS =
      List.of("file.hash.sha256", "file.hash.sha1", "file.hash.md5");

  private final List<IndicatorFeed> feeds;

  /**
   * @param feeds in order of precedence
   */
  public ThreatIntel(List<IndicatorFeed> feeds) {
    this.feeds = List.copyOf(feeds);
  }

  public List<IndicatorFeed> feeds() {
    return feeds;
  }

  /**
   * The event's first match (see the class comment), or null.
   *
   * @param now epoch millis: indicators whose validity has ended by then do not match
   */
  public ThreatMatch match(Event event, long now) {
    if (feeds.isEmpty()) {
      return null;
    }
    for (String field : ADDRESS_FIELDS) {
      String value = event.text(field);
      if (value == null) {
        continue;
      }
      IPAddressString text = new IPAddressString(value.strip());
      IPAddress address = text.getAddress();
      if (address == null || address.isMultiple() || text.isPrefixed()) {
        continue;
      }
      address = unmapped(address);
      String canonical = canonical(address);
      for (IndicatorFeed feed : feeds) {
        IndicatorType type = feed.matchAddress(address, canonical, now);
        if (type != null) {
          return new ThreatMatch(value, field, type, feed.provider());
        }
      }
    }
    for (String field : URL_FIELDS) {
      String value = event.text(field);
      if (value == null) {
        continue;
      }
      String url = IndicatorType.url(value);
      for (IndicatorFeed feed : feeds) {
        if (feed.matchUrl(url, now)) {
          return new ThreatMatch(value, field, IndicatorType.URL, feed.provider());
        }
      }
    }
    String name = event.text(DOMAIN_FIELD);
    if (name != null) {
      String domain = IndicatorType.domain(name);
      for (IndicatorFeed feed : feeds) {
        if (feed.matchDomain(domain, now)) {
          return new ThreatMatch(name, DOMAIN_FIELD, IndicatorType.DOMAIN_NAME, feed.provider());
        }
      }
    }
    for (String field : HASH_FIELDS) {
      String value = event.text(field);
      if (value == null) {
        continue;
      }
      String hash = value.strip().toLowerCase(Locale.ROOT);
      for (IndicatorFeed feed : feeds) {
        if (feed.matchHash(hash, now)) {
          return new ThreatMatch(value, field, IndicatorType.FILE, feed.provider());
        }
      }
    }
    return null;
  }

  /** Sets the match's fields and tag (see the class comment); true if there was one. */
  public boolean apply(Event event, long now) {
    ThreatMatch match = match(event, now);
    if (match == null) {
      return false;
    }
    event.put("threat.enrichments.matched.atomic", match.atomic());
    event.put("threat.enrichments.matched.field", match.field());
    event.put("threat.enrichments.indicator.type", match.type().stixName());
    event.put("threat.enrichments.indicator.provider", match.provider());
    event.addTo("tags", TAG);
    return true;
  }

  /** An address as the feeds key it: RFC 5952 text for IPv6, dotted quad for IPv4. */
  static String canonical(IPAddress address) {
    return unmapped(address).toCanonicalString();
  }

  private static IPAddress unmapped(IPAddress address) {
    if (address.isIPv6() && address.toIPv6().isIPv4Mapped()) {
      return address.toIPv6().getEmbeddedIPv4Address();
    }
    return address;
  }
}
