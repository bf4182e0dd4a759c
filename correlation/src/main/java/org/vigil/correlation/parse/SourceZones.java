package org.vigil.correlation.parse;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IncompatibleAddressException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The zone of device timestamps that carry none (RFC 3164), chosen by the network the record came
 * from: a site's devices usually log in the site's local time, and one zone for all of them shifts
 * every event from the other sites by hours.
 *
 * <p>Networks are kept sorted by prefix length, longest first, so that the first network containing
 * the peer is the most specific one; this runs once per event.
 */
public final class SourceZones implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * One network and the zone of its devices.
   *
   * @param network a prefix block, e.g. {@code 10.20.0.0/16}; a single address is a full-length one
   * @param zone the zone of the devices in it
   */
  public record Network(IPAddress network, ZoneId zone) implements Serializable {
    public Network {
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(zone, "zone");
    }

    int prefixLength() {
      Integer prefix = network.getNetworkPrefixLength();
      return prefix == null ? network.getBitCount() : prefix;
    }
  }

  private final Network[] networks;
  private final ZoneId defaultZone;

  /**
   * @param networks the networks in any order; of equally specific ones the first given wins
   * @param defaultZone the zone of devices in none of the networks
   */
  public SourceZones(List<Network> networks, ZoneId defaultZone) {
    this.defaultZone = Objects.requireNonNull(defaultZone, "defaultZone");
    List<Network> sorted = new ArrayList<>(networks);
    // List.sort is stable: ties keep the caller's order.
    sorted.sort(Comparator.comparingInt(Network::prefixLength).reversed());
    this.networks = sorted.toArray(Network[]::new);
  }

  /** No networks: every device gets {@code defaultZone}. */
  public static SourceZones none(ZoneId defaultZone) {
    return new SourceZones(List.of(), defaultZone);
  }

  /**
   * Reads the text format: one {@code CIDR ZONE} per line (e.g. {@code 10.20.0.0/16 Asia/Tehran}),
   * {@code #} starts a comment, blank lines are ignored. A bare address is a network of one.
   *
   * @throws IllegalArgumentException naming the line number and what is wrong with it
   */
  public static SourceZones parse(List<String> lines, ZoneId defaultZone) {
    List<Network> networks = new ArrayList<>();
    List<Integer> lineNumbers = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      int lineNumber = i + 1;
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (content.isEmpty()) {
        continue;
      }
      String[] parts = content.split("\\s+");
      if (parts.length != 2) {
        throw lineError(lineNumber, "expected 'CIDR ZONE', got '" + content + "'");
      }
      Network network = new Network(network(parts[0], lineNumber), zone(parts[1], lineNumber));
      int earlier = indexOfNetwork(networks, network.network());
      if (earlier >= 0) {
        throw lineError(
            lineNumber,
            "network " + parts[0] + " is already given on line " + lineNumbers.get(earlier));
      }
      networks.add(network);
      lineNumbers.add(lineNumber);
    }
    return new SourceZones(networks, defaultZone);
  }

  /**
   * Reads a file in the {@link #parse} format.
   *
   * @throws UncheckedIOException if the file cannot be read, with a one-line message naming it
   * @throws IllegalArgumentException naming the file and line if its content is wrong
   */
  public static SourceZones load(Path file, ZoneId defaultZone) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read source zones file "
              + file
              + ": "
              + e.getClass().getSimpleName()
              + " "
              + e.getMessage(),
          e);
    }
    try {
      return parse(lines, defaultZone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("source zones file " + file + ", " + e.getMessage(), e);
    }
  }

  /**
   * The zone of the most specific network containing {@code peerAddress}, or the default zone if
   * none does or the address cannot be parsed.
   */
  public ZoneId zoneFor(String peerAddress) {
    if (networks.length == 0 || peerAddress == null) {
      return defaultZone;
    }
    IPAddressString text = new IPAddressString(peerAddress);
    IPAddress peer = text.getAddress();
    if (peer == null || peer.isMultiple() || text.isPrefixed()) {
      return defaultZone;
    }
    // A dual-stack socket reports IPv4 senders as ::ffff:a.b.c.d; they belong to IPv4 networks.
    if (peer.isIPv6() && peer.toIPv6().isIPv4Mapped()) {
      peer = peer.toIPv6().getEmbeddedIPv4Address();
    }
    for (Network network : networks) {
      if (network.network().contains(peer)) {
        return network.zone();
      }
    }
    return defaultZone;
  }

  public ZoneId defaultZone() {
    return defaultZone;
  }

  /** The networks, most specific first. */
  public List<Network> networks() {
    return List.of(networks);
  }

  @Override
  public String toString() {
    return "SourceZones" + List.of(networks) + " default " + defaultZone;
  }

  private static IPAddress network(String cidr, int lineNumber) {
    IPAddress address;
    try {
      address = new IPAddressString(cidr).toAddress();
    } catch (AddressStringException | IncompatibleAddressException e) {
      throw lineError(lineNumber, "bad network '" + cidr + "': " + e.getMessage());
    }
    if (address == null || (address.isMultiple() && !address.isSinglePrefixBlock())) {
      throw lineError(lineNumber, "'" + cidr + "' is not one IPv4 or IPv6 network");
    }
    if (address.getNetworkPrefixLength() != null && !address.isSinglePrefixBlock()) {
      // 10.20.1.0/16 is most likely a typo for either 10.20.0.0/16 or 10.20.1.0/24; guessing
      // would put devices in the wrong zone without a word.
      throw lineError(
          lineNumber,
          "'"
              + cidr
              + "' has host bits set; the network would be "
              + address.toPrefixBlock().toCanonicalString());
    }
    return address;
  }

  private static ZoneId zone(String id, int lineNumber) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw lineError(lineNumber, "unknown zone id '" + id + "': " + e.getMessage());
    }
  }

  private static int indexOfNetwork(List<Network> networks, IPAddress address) {
    for (int i = 0; i < networks.size(); i++) {
      IPAddress other = networks.get(i).network();
      if (other.equals(address)
          && Objects.equals(other.getNetworkPrefixLength(), address.getNetworkPrefixLength())) {
        return i;
      }
    }
    return -1;
  }

  private static IllegalArgumentException lineError(int lineNumber, String problem) {
    return new IllegalArgumentException("line " + lineNumber + ": " + problem);
  }
}
