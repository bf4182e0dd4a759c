package org.vigil.correlation.enrich;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The kinds of indicator Vigil matches, named as STIX 2.1 cyber-observable types, which is also
 * what ECS {@code threat.enrichments.indicator.type} holds.
 */
public enum IndicatorType {
  IPV4_ADDR("ipv4-addr"),
  IPV6_ADDR("ipv6-addr"),
  DOMAIN_NAME("domain-name"),
  URL("url"),
  FILE("file");

  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

  /** Host names as resolvers see them: dot-separated labels, at least two (no bare TLDs). */
  private static final Pattern DOMAIN =
      Pattern.compile("(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)+[a-z0-9-]{2,63}");

  private final String stixName;

  IndicatorType(String stixName) {
    this.stixName = stixName;
  }

  public String stixName() {
    return stixName;
  }

  /**
   * The type of an indicator written without one (a line of a plain list): a URL has a scheme, a
   * hash is 32, 40 or 64 hex digits, then an IP address or network, then a domain name.
   *
   * @return the type, or null if the text is none of them
   */
  public static IndicatorType detect(String text) {
    if (text.contains("://")) {
      return URL;
    }
    if (isHash(text)) {
      return FILE;
    }
    IPAddressString address = new IPAddressString(text);
    if (address.isIPAddress()) {
      IPAddress parsed = address.getAddress();
      return parsed.isIPv4() || parsed.toIPv6().isIPv4Mapped() ? IPV4_ADDR : IPV6_ADDR;
    }
    if (DOMAIN.matcher(domain(text)).matches()) {
      return DOMAIN_NAME;
    }
    return null;
  }

  /**
   * The type named in a feed's type column: the STIX names, or the everyday {@code ip}, {@code
   * ipv4}, {@code ipv6}, {@code domain}, {@code hostname}, {@code md5}, {@code sha1}, {@code
   * sha256}, {@code hash}, and MISP's {@code ip-src}, {@code ip-dst}.
   *
   * @return the type, or null if the name is none of them
   */
  public static IndicatorType fromName(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "ipv4-addr", "ipv4", "ip-dst", "ip-src" -> IPV4_ADDR;
      case "ipv6-addr", "ipv6" -> IPV6_ADDR;
      case "ip" -> IPV4_ADDR; // the value decides the version, see IndicatorFeed.Builder#add
      case "domain-name", "domain", "hostname" -> DOMAIN_NAME;
      case "url", "uri" -> URL;
      case "file", "hash", "md5", "sha1", "sha-1", "sha256", "sha-256" -> FILE;
      default -> null;
    };
  }

  static boolean isHash(String text) {
    int n = text.length();
    return (n == 32 || n == 40 || n == 64) && HEX.matcher(text).matches();
  }

  /** A domain name as compared: lower case, without the root's trailing dot. */
  static String domain(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  static boolean isDomain(String normalised) {
    return DOMAIN.matcher(normalised).matches();
  }

  /**
   * A URL as compared: scheme and host in lower case (they are case-insensitive), an empty path
   * written as {@code /}; the rest exactly as given, since paths and queries are case-sensitive.
   */
  static String url(String text) {
    String url = text.strip();
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return url;
    }
    int hostStart = scheme + 3;
    int hostEnd = hostStart;
    while (hostEnd < url.length() && "/?#".indexOf(url.charAt(hostEnd)) < 0) {
      hostEnd++;
    }
    String rest = url.substring(hostEnd);
    return url.substring(0, hostEnd).toLowerCase(Locale.ROOT) + (rest.isEmpty() ? "/" : rest);
  }
}
