package org.vigil.correlation.enrich;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The indicators of one threat-intel feed file, ready to match. Each value keeps the end of its
 * validity, so an indicator that expires between two reloads stops matching on time.
 *
 * <p>Three formats, told apart by the file name's extension:
 *
 * <ul>
 *   <li>{@code .txt}: one indicator per line, {@code #} starts a comment; the type is detected (see
 *       {@link IndicatorType#detect}): URL, MD5/SHA-1/SHA-256 hash, IPv4 or IPv6 address or network
 *       (CIDR), domain name. See {@link IndicatorListReader}.
 *   <li>{@code .csv}: a header naming at least {@code type} and {@code value}, optionally {@code
 *       valid_until} (ISO-8601); see {@link IndicatorCsvReader}.
 *   <li>{@code .json}: a STIX 2.1 bundle; see {@link StixBundleReader}.
 * </ul>
 *
 * <p>Entries that cannot be used (an unreadable value, an unsupported STIX pattern) are skipped and
 * counted, with the first such problem kept for the log: one odd line in a downloaded feed must not
 * cost the other thousands. Revoked and expired indicators are skipped and counted apart.
 */
public final class IndicatorFeed implements Serializable {
  private static final long serialVersionUID = 1L;

  /** File name extensions of feed files; other files in a feed folder are not feeds. */
  public static final List<String> EXTENSIONS = List.of(".txt", ".csv", ".json");

  private final String provider;
  private final Map<String, Long> addresses;
  private final NetworkTable<Long> networks;
  private final Map<String, Long> domains;
  private final Map<String, Long> urls;
  private final Map<String, Long> hashes;
  private final int skipped;
  private final int inactive;
  private final String firstProblem;

  private IndicatorFeed(Builder b) {
    this.provider = b.provider;
    this.addresses = Map.copyOf(b.addresses);
    this.networks = new NetworkTable<>(b.networks);
    this.domains = Map.copyOf(b.domains);
    this.urls = Map.copyOf(b.urls);
    this.hashes = Map.copyOf(b.hashes);
    this.skipped = b.skipped;
    this.inactive = b.inactive;
    this.firstProblem = b.firstProblem;
  }

  /**
   * Reads a feed file in the format its extension names; the provider is the file's name.
   *
   * @param now epoch millis: indicators whose validity ended by then are skipped
   * @throws UncheckedIOException if it cannot be read, naming it
   * @throws IllegalArgumentException naming the file if it is not in its format at all
   */
  public static IndicatorFeed load(Path file, long now) {
    String name = file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read threat-intel feed "
              + file
              + ": "
              + e.getClass().getSimpleName()
              + " "
              + e.getMessage(),
          e);
    }
    try {
      if (lower.endsWith(".txt")) {
        return IndicatorListReader.read(name, text);
      } else if (lower.endsWith(".csv")) {
        return IndicatorCsvReader.read(name, text, now);
      } else if (lower.endsWith(".json")) {
        return StixBundleReader.read(name, text, now);
      }
      throw new IllegalArgumentException(
          "unknown feed format: name it .txt (one indicator per line), .csv (type,value) or"
              + " .json (STIX 2.1 bundle)");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("threat-intel feed " + file + ": " + e.getMessage(), e);
    }
  }

  /** The feed's name in {@code threat.enrichments.indicator.provider}: its file name. */
  public String provider() {
    return provider;
  }

  /** How many indicators match. */
  public int size() {
    return addresses.size()
        + networks.entries().size()
        + domains.size()
        + urls.size()
        + hashes.size();
  }

  /** Entries that could not be used. */
  public int skipped() {
    return skipped;
  }

  /** Indicators revoked or expired when read. */
  public int inactive() {
    return inactive;
  }

  /** The first skipped entry and why, or null. */
  public String firstProblem() {
    return firstProblem;
  }

  /** The type matched, if the normalised single address is listed or in a listed network. */
  IndicatorType matchAddress(IPAddress address, String canonical, long now) {
    if (active(addresses.get(canonical), now) || active(networks.lookup(canonical), now)) {
      return address.isIPv4() ? IndicatorType.IPV4_ADDR : IndicatorType.IPV6_ADDR;
    }
    return null;
  }

  /** True if the normalised domain or one of its parent domains is listed. */
  boolean matchDomain(String domain, long now) {
    if (domains.isEmpty()) {
      return false;
    }
    String name = domain;
    while (true) {
      if (active(domains.get(name), now)) {
        return true;
      }
      int dot = name.indexOf('.');
      if (dot < 0) {
        return false;
      }
      name = name.substring(dot + 1);
    }
  }

  boolean matchUrl(String url, long now) {
    return active(urls.get(url), now);
  }

  boolean matchHash(String lowerHex, long now) {
    return active(hashes.get(lowerHex), now);
  }

  private static boolean active(Long validUntil, long now) {
    return validUntil != null && validUntil > now;
  }

  @Override
  public String toString() {
    return provider + " (" + size() + " indicators)";
  }

  static Builder builder(String provider) {
    return new Builder(provider);
  }

  /** Collects a feed's indicators, normalised as the matcher compares them. */
  static final class Builder {
    private final String provider;
    private final Map<String, Long> addresses = new HashMap<>();
    private final List<NetworkTable.Entry<Long>> networks = new ArrayList<>();
    private final Map<String, Long> domains = new HashMap<>();
    private final Map<String, Long> urls = new HashMap<>();
    private final Map<String, Long> hashes = new HashMap<>();
    private int skipped;
    private int inactive;
    private String firstProblem;

    private Builder(String provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
    }

    /**
     * Adds an indicator of a known type; an IP address's version is taken from its value.
     *
     * @param validUntil epoch millis, {@link Long#MAX_VALUE} for no end
     * @throws IllegalArgumentException if the value is not of its type
     */
    void add(IndicatorType type, String value, long validUntil) {
      String text = value.strip();
      switch (type) {
        case IPV4_ADDR, IPV6_ADDR -> addAddress(text, validUntil);
        case DOMAIN_NAME -> {
          String domain = IndicatorType.domain(text);
          if (!IndicatorType.isDomain(domain)) {
            throw new IllegalArgumentException("'" + text + "' is no domain name");
          }
          domains.merge(domain, validUntil, Math::max);
        }
        case URL -> {
          if (!text.contains("://")) {
            throw new IllegalArgumentException("'" + text + "' is no URL (it has no scheme)");
          }
          urls.merge(IndicatorType.url(text), validUntil, Math::max);
        }
        case FILE -> {
          if (!IndicatorType.isHash(text)) {
            throw new IllegalArgumentException(
                "'" + text + "' is no MD5, SHA-1 or SHA-256 hash (32, 40 or 64 hex digits)");
          }
          hashes.merge(text.toLowerCase(Locale.ROOT), validUntil, Math::max);
        }
      }
    }

    private void addAddress(String text, long validUntil) {
      IPAddressString parsed = new IPAddressString(text);
      IPAddress address = parsed.getAddress();
      if (address == null) {
        throw new IllegalArgumentException("'" + text + "' is no IP address or network");
      }
      if (parsed.isPrefixed() && !(address.getNetworkPrefixLength() == address.getBitCount())) {
        if (!address.isSinglePrefixBlock()) {
          throw new IllegalArgumentException(
              "'"
                  + text
                  + "' has host bits set; the network would be "
                  + address.toPrefixBlock().toCanonicalString());
        }
        networks.add(new NetworkTable.Entry<>(address, validUntil));
        return;
      }
      addresses.merge(ThreatIntel.canonical(address.withoutPrefixLength()), validUntil, Math::max);
    }

    /** Counts an entry that could not be used, keeping the first reason for the log. */
    void skip(String problem) {
      skipped++;
      if (firstProblem == null) {
        firstProblem = problem;
      }
    }

    /** Counts a revoked or expired indicator. */
    void inactive() {
      inactive++;
    }

    IndicatorFeed build() {
      return new IndicatorFeed(this);
    }
  }
}
