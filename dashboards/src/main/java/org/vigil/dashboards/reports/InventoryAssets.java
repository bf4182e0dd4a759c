package org.vigil.dashboards.reports;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IncompatibleAddressException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the assets of the asset inventory CSV that {@code vigil up --assets} reads: header {@code
 * cidr,agency,asset,owner,criticality} in any order, further columns ignored, {@code #} comments
 * and blank lines skipped. Only rows that describe an asset (a name, owner or criticality) are
 * assets the coverage section expects to hear from; rows with just a network and an agency map
 * senders to agencies and are left out.
 *
 * <p>The checks are those of the correlation job's reader, so a file the job refuses is refused
 * here too rather than read differently: a network must be one IPv4 or IPv6 prefix without host
 * bits, the agency an id, the criticality one of four words, and a network may appear once.
 */
public final class InventoryAssets {
  private static final Pattern AGENCY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Set<String> CRITICALITIES = Set.of("low", "medium", "high", "critical");
  private static final CSVFormat FORMAT =
      CSVFormat.DEFAULT
          .builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .setCommentMarker('#')
          .setIgnoreEmptyLines(true)
          .setIgnoreSurroundingSpaces(true)
          .setTrim(true)
          .get();

  private InventoryAssets() {}

  /**
   * The assets of an inventory file, in file order.
   *
   * @throws IllegalArgumentException naming the file and line when its content is wrong
   * @throws UncheckedIOException naming the file when it cannot be read
   */
  public static List<InventoryAsset> read(Path csv) {
    try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      return parse(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read asset inventory " + csv + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("asset inventory " + csv + ", " + e.getMessage(), e);
    }
  }

  /**
   * The assets of inventory CSV text.
   *
   * @throws IllegalArgumentException naming the line when the content is wrong
   */
  public static List<InventoryAsset> parse(String text) {
    try {
      return parse(new StringReader(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<InventoryAsset> parse(Reader reader) throws IOException {
    List<InventoryAsset> assets = new ArrayList<>();
    Map<IPAddress, Long> networkLines = new HashMap<>();
    CSVParser parser;
    try {
      parser = FORMAT.parse(reader);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw lineError(1, "bad header: " + e.getMessage());
    }
    try (parser) {
      Map<String, Integer> header = parser.getHeaderMap();
      if (header == null || header.isEmpty()) {
        return assets;
      }
      if (!header.containsKey("cidr") || !header.containsKey("agency")) {
        throw lineError(
            1,
            "the header must name the columns cidr,agency,asset,owner,criticality; got "
                + String.join(",", parser.getHeaderNames()));
      }
      Iterator<CSVRecord> records = parser.iterator();
      while (true) {
        CSVRecord record;
        try {
          if (!records.hasNext()) {
            break;
          }
          record = records.next();
        } catch (UncheckedIOException | IllegalStateException e) {
          throw lineError(parser.getCurrentLineNumber() + 1, "not CSV: " + e.getMessage());
        }
        long line = parser.getCurrentLineNumber();
        if (!record.isConsistent()) {
          throw lineError(
              line,
              "has "
                  + record.size()
                  + " fields but the header names "
                  + header.size()
                  + " columns");
        }
        String cidr = field(record, "cidr");
        if (cidr.isEmpty()) {
          throw lineError(line, "cidr is empty");
        }
        IPAddress network = network(cidr, line);
        Long earlier = networkLines.putIfAbsent(network, line);
        if (earlier != null) {
          throw lineError(line, "network " + cidr + " is already given on line " + earlier);
        }
        String agency = field(record, "agency");
        if (!AGENCY.matcher(agency).matches()) {
          throw lineError(
              line,
              "agency '"
                  + agency
                  + "' must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or"
                  + " digit");
        }
        String name = field(record, "asset");
        String owner = field(record, "owner");
        String criticality = field(record, "criticality").toLowerCase(Locale.ROOT);
        if (!criticality.isEmpty() && !CRITICALITIES.contains(criticality)) {
          throw lineError(
              line, "unknown criticality '" + criticality + "': use low, medium, high or critical");
        }
        if (name.isEmpty() && owner.isEmpty() && criticality.isEmpty()) {
          continue;
        }
        assets.add(
            new InventoryAsset(cidr, agency, name.isEmpty() ? cidr : name, owner, criticality));
      }
    }
    return assets;
  }

  private static String field(CSVRecord record, String column) {
    return record.isMapped(column) && record.isSet(column) ? record.get(column).strip() : "";
  }

  private static IPAddress network(String cidr, long line) {
    IPAddress address;
    try {
      address = new IPAddressString(cidr).toAddress();
    } catch (AddressStringException | IncompatibleAddressException e) {
      throw lineError(line, "bad network '" + cidr + "': " + e.getMessage());
    }
    if (address == null || (address.isMultiple() && !address.isSinglePrefixBlock())) {
      throw lineError(line, "'" + cidr + "' is not one IPv4 or IPv6 network");
    }
    if (address.getNetworkPrefixLength() != null && !address.isSinglePrefixBlock()) {
      throw lineError(
          line,
          "'"
              + cidr
              + "' has host bits set; the network would be "
              + address.toPrefixBlock().toCanonicalString());
    }
    return address.toPrefixBlock();
  }

  private static IllegalArgumentException lineError(long line, String message) {
    return new IllegalArgumentException("line " + line + ": " + message);
  }
}
