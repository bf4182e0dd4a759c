package org.vigil.correlation.parse;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import org.vigil.correlation.enrich.NetworkTable;

/**
 * The zone of device timestamps that carry none (RFC 3164), chosen by the network the record came
 * from: a site's devices usually log in the site's local time, and one zone for all of them shifts
 * every event from the other sites by hours.
 */
public final class SourceZones implements Serializable {
  private static final long serialVersionUID = 1L;

  private final NetworkTable<ZoneId> networks;
  private final ZoneId defaultZone;

  /**
   * @param networks the zone per sender network
   * @param defaultZone the zone of devices in none of the networks
   */
  public SourceZones(NetworkTable<ZoneId> networks, ZoneId defaultZone) {
    this.networks = Objects.requireNonNull(networks, "networks");
    this.defaultZone = Objects.requireNonNull(defaultZone, "defaultZone");
  }

  /** No networks: every device gets {@code defaultZone}. */
  public static SourceZones none(ZoneId defaultZone) {
    return new SourceZones(NetworkTable.empty(), defaultZone);
  }

  /**
   * Reads the text format: one {@code CIDR ZONE} per line (e.g. {@code 10.20.0.0/16 Asia/Tehran}),
   * {@code #} starts a comment, blank lines are ignored. A bare address is a network of one.
   *
   * @throws IllegalArgumentException naming the line number and what is wrong with it
   */
  public static SourceZones parse(List<String> lines, ZoneId defaultZone) {
    return new SourceZones(NetworkTable.parse(lines, "ZONE", SourceZones::zone), defaultZone);
  }

  /**
   * Reads a file in the {@link #parse} format.
   *
   * @throws java.io.UncheckedIOException if the file cannot be read, with a one-line message naming
   *     it
   * @throws IllegalArgumentException naming the file and line if its content is wrong
   */
  public static SourceZones load(Path file, ZoneId defaultZone) {
    return new SourceZones(
        NetworkTable.load(file, "source zones file", "ZONE", SourceZones::zone), defaultZone);
  }

  /**
   * The zone of the most specific network containing {@code peerAddress}, or the default zone if
   * none does or the address cannot be parsed.
   */
  public ZoneId zoneFor(String peerAddress) {
    ZoneId zone = networks.lookup(peerAddress);
    return zone == null ? defaultZone : zone;
  }

  public ZoneId defaultZone() {
    return defaultZone;
  }

  /** The networks, most specific first. */
  public List<NetworkTable.Entry<ZoneId>> networks() {
    return networks.entries();
  }

  @Override
  public String toString() {
    return "SourceZones" + networks + " default " + defaultZone;
  }

  private static ZoneId zone(String id) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown zone id '" + id + "': " + e.getMessage(), e);
    }
  }
}
