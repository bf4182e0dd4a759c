package org.vigil.correlation.enrich;

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A value per sender network, looked up by the most specific network that contains an address: the
 * shape of every "what do we know about the networks our records come from" file (the zone of a
 * site's devices, the agency a network belongs to). Read from text files of {@code CIDR VALUE}
 * lines that an operator writes, so every mistake is reported with its line.
 *
 * <p>Networks are kept sorted by prefix length, longest first, so that the first network containing
 * an address is the most specific one; this runs once per event.
 *
 * @param <T> the value kept per network
 */
public final class NetworkTable<T extends Serializable> implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * One network and its value.
   *
   * @param network a prefix block, e.g. {@code 10.20.0.0/16}; a single address is a full-length one
   */
  public record Entry<T extends Serializable>(IPAddress network, T value) implements Serializable {
    public Entry {
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(value, "value");
    }

    int prefixLength() {
      Integer prefix = network.getNetworkPrefixLength();
      return prefix == null ? network.getBitCount() : prefix;
    }
  }

  /** Reads a value from its text on a line; throws {@link IllegalArgumentException} if wrong. */
  @FunctionalInterface
  public interface ValueParser<T> {
    T parse(String text);
  }

  private final List<Entry<T>> entries;

  /**
   * @param entries the networks in any order; of equally specific ones the first given wins
   */
  public NetworkTable(List<Entry<T>> entries) {
    List<Entry<T>> sorted = new ArrayList<>(entries);
    // List.sort is stable: ties keep the caller's order.
    sorted.sort(Comparator.comparingInt((Entry<T> e) -> e.prefixLength()).reversed());
    this.entries = List.copyOf(sorted);
  }

  public static <T extends Serializable> NetworkTable<T> empty() {
    return new NetworkTable<>(List.of());
  }

  /**
   * Reads the text format: one {@code CIDR VALUE} per line (e.g. {@code 10.20.0.0/16 Asia/Tehran}),
   * {@code #} starts a comment, blank lines are ignored. A bare address is a network of one.
   *
   * @param valueName what the value is called in messages ({@code ZONE})
   * @throws IllegalArgumentException naming the line number and what is wrong with it
   */
  public static <T extends Serializable> NetworkTable<T> parse(
      List<String> lines, String valueName, ValueParser<T> values) {
    List<Entry<T>> entries = new ArrayList<>();
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
        throw lineError(lineNumber, "expected 'CIDR " + valueName + "', got '" + content + "'");
      }
      IPAddress network = network(parts[0], lineNumber);
      T value;
      try {
        value = values.parse(parts[1]);
      } catch (IllegalArgumentException e) {
        throw lineError(lineNumber, e.getMessage());
      }
      int earlier = indexOf(entries, network);
      if (earlier >= 0) {
        throw lineError(
            lineNumber,
            "network " + parts[0] + " is already given on line " + lineNumbers.get(earlier));
      }
      entries.add(new Entry<>(network, value));
      lineNumbers.add(lineNumber);
    }
    return new NetworkTable<>(entries);
  }

  /**
   * Reads a file in the {@link #parse} format.
   *
   * @param description what the file is, for messages ({@code source zones file})
   * @throws UncheckedIOException if the file cannot be read, with a one-line message naming it
   * @throws IllegalArgumentException naming the file and line if its content is wrong
   */
  public static <T extends Serializable> NetworkTable<T> load(
      Path file, String description, String valueName, ValueParser<T> values) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read "
              + description
              + " "
              + file
              + ": "
              + e.getClass().getSimpleName()
              + " "
              + e.getMessage(),
          e);
    }
    try {
      return parse(lines, valueName, values);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(description + " " + file + ", " + e.getMessage(), e);
    }
  }

  /**
   * The value of the most specific network containing {@code address}, or null if none does or the
   * address cannot be parsed.
   */
  public T lookup(String address) {
    if (entries.isEmpty() || address == null) {
      return null;
    }
    IPAddressString text = new IPAddressString(address);
    IPAddress peer = text.getAddress();
    if (peer == null || peer.isMultiple() || text.isPrefixed()) {
      return null;
    }
    // A dual-stack socket reports IPv4 senders as ::ffff:a.b.c.d; they belong to IPv4 networks.
    if (peer.isIPv6() && peer.toIPv6().isIPv4Mapped()) {
      peer = peer.toIPv6().getEmbeddedIPv4Address();
    }
    for (Entry<T> e : entries) {
      if (e.network().contains(peer)) {
        return e.value();
      }
    }
    return null;
  }

  /** The networks, most specific first. */
  public List<Entry<T>> entries() {
    return entries;
  }

  @Override
  public String toString() {
    return entries.toString();
  }

  static IPAddress network(String cidr, int lineNumber) {
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
      // would put senders in the wrong network without a word.
      throw lineError(
          lineNumber,
          "'"
              + cidr
              + "' has host bits set; the network would be "
              + address.toPrefixBlock().toCanonicalString());
    }
    return address;
  }

  static <T extends Serializable> int indexOf(List<Entry<T>> entries, IPAddress address) {
    for (int i = 0; i < entries.size(); i++) {
      IPAddress other = entries.get(i).network();
      if (other.equals(address)
          && Objects.equals(other.getNetworkPrefixLength(), address.getNetworkPrefixLength())) {
        return i;
      }
    }
    return -1;
  }

  static IllegalArgumentException lineError(int lineNumber, String problem) {
    return new IllegalArgumentException("line " + lineNumber + ": " + problem);
  }
}
