package org.vigil.correlation.enrich;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import inet.ipaddr.IPAddress;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.vigil.model.Event;

/**
 * What the SOC knows about the agencies' networks: which agency each belongs to and, for the assets
 * that matter, their name, owner and criticality. Read from two optional files an operator writes:
 *
 * <ul>
 *   <li>an asset inventory CSV with the header {@code cidr,agency,asset,owner,criticality} (columns
 *       in any order, further columns ignored; {@code asset}, {@code owner} and {@code criticality}
 *       may be empty; criticality is {@code low|medium|high|critical});
 *   <li>an agencies file of {@code CIDR ORGANIZATION_ID} lines: an inventory of agencies only.
 * </ul>
 *
 * <p>A network given in both files takes the CSV's row; a network given twice in one file is an
 * error naming both lines.
 *
 * <p>An event gets two different things from the inventory (see {@link #apply}):
 *
 * <ul>
 *   <li>{@code organization.id}, the agency of the most specific network containing {@code
 *       observer.ip}: the device that sent the record decides, never a field the sender wrote, so a
 *       Beats shipper or relay cannot claim another agency. Unlisted senders keep theirs.
 *   <li>{@code vigil.asset.*}, the asset at stake. Each of {@code destination.ip}, {@code host.ip}
 *       (every value if it is a list), {@code source.ip} and {@code observer.ip} is looked up, in
 *       that order, in the rows that describe an asset (a name, owner or criticality), most
 *       specific network first; of the addresses that match, the one whose asset is the most
 *       critical wins (an unrated asset ranks below {@code low}), and of equally critical ones the
 *       first in that order, since the target of an attack is usually the destination. The event
 *       gets {@code vigil.asset.name}, {@code vigil.asset.owner}, {@code vigil.asset.criticality}
 *       (those the row has) and {@code vigil.asset.ip} (the matched address as the event has it).
 *       {@code vigil.asset.*} fields an event arrives with are removed first: only the inventory
 *       may rate an asset, since the rating raises alerts' risk scores.
 * </ul>
 */
public final class AssetInventory implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Ids as they appear in URLs, index queries and user records: no spaces, no surprises. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  /** Where the asset at stake is looked for, in order of preference among equally critical. */
  static final List<String> ASSET_FIELDS =
      List.of("destination.ip", "host.ip", "source.ip", "observer.ip");

  static final List<String> ASSET_OUTPUT =
      List.of("vigil.asset.name", "vigil.asset.owner", "vigil.asset.criticality", "vigil.asset.ip");

  private static final Set<String> CSV_REQUIRED = Set.of("cidr", "agency");
  private static final CsvMapper CSV = new CsvMapper();

  private final NetworkTable<Asset> agencies;
  private final NetworkTable<Asset> assets;

  /**
   * @param rows every inventory row; of equally specific networks the first given wins
   */
  public AssetInventory(List<NetworkTable.Entry<Asset>> rows) {
    this.agencies = new NetworkTable<>(rows);
    this.assets =
        new NetworkTable<>(rows.stream().filter(row -> row.value().describesAsset()).toList());
  }

  /**
   * Reads the inventory from its files.
   *
   * @param assetsCsv the asset inventory CSV, or null
   * @param agenciesFile the {@code CIDR ORGANIZATION_ID} file, or null
   * @throws UncheckedIOException if a file cannot be read, naming it
   * @throws IllegalArgumentException naming the file and line if a content is wrong
   */
  public static AssetInventory load(Path assetsCsv, Path agenciesFile) {
    List<NetworkTable.Entry<Asset>> rows = new ArrayList<>();
    if (assetsCsv != null) {
      rows.addAll(readCsv(assetsCsv));
    }
    if (agenciesFile != null) {
      rows.addAll(
          NetworkTable.load(
                  agenciesFile,
                  "agencies file",
                  "ORGANIZATION_ID",
                  text -> Asset.ofAgency(agencyId(text)))
              .entries());
    }
    return new AssetInventory(rows);
  }

  /**
   * Reads asset inventory CSV text (see the class comment).
   *
   * @throws IllegalArgumentException naming the line and what is wrong with it
   */
  public static List<NetworkTable.Entry<Asset>> parseCsv(String text) {
    try (Reader reader = new StringReader(text)) {
      return parseCsv(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The agency of the most specific network containing {@code address}, or null. */
  public String agencyOf(String address) {
    Asset row = agencies.lookup(address);
    return row == null ? null : row.agency();
  }

  /** The asset row of the most specific asset network containing {@code address}, or null. */
  public Asset assetAt(String address) {
    return assets.lookup(address);
  }

  /** Sets {@code organization.id} and {@code vigil.asset.*} as the class comment says. */
  public void apply(Event event) {
    String agency = agencyOf(event.text("observer.ip"));
    if (agency != null) {
      event.put("organization.id", agency);
    }
    for (String field : ASSET_OUTPUT) {
      event.put(field, null);
    }
    if (assets.entries().isEmpty()) {
      return;
    }
    Asset best = null;
    String bestAddress = null;
    for (String field : ASSET_FIELDS) {
      Object value = event.get(field);
      if (value instanceof Collection<?> addresses) {
        for (Object address : addresses) {
          Asset asset = address == null ? null : assets.lookup(address.toString());
          if (asset != null && (best == null || rank(asset) > rank(best))) {
            best = asset;
            bestAddress = address.toString();
          }
        }
      } else if (value != null) {
        Asset asset = assets.lookup(value.toString());
        if (asset != null && (best == null || rank(asset) > rank(best))) {
          best = asset;
          bestAddress = value.toString();
        }
      }
    }
    if (best != null) {
      event.put("vigil.asset.name", best.name());
      event.put("vigil.asset.owner", best.owner());
      event.put(
          "vigil.asset.criticality",
          best.criticality() == null ? null : best.criticality().wireName());
      event.put("vigil.asset.ip", bestAddress);
    }
  }

  public List<NetworkTable.Entry<Asset>> rows() {
    return agencies.entries();
  }

  private static int rank(Asset asset) {
    return asset.criticality() == null ? 0 : asset.criticality().ordinal() + 1;
  }

  private static List<NetworkTable.Entry<Asset>> readCsv(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parseCsv(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read asset inventory "
              + file
              + ": "
              + e.getClass().getSimpleName()
              + " "
              + e.getMessage(),
          e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("asset inventory " + file + ", " + e.getMessage(), e);
    }
  }

  private static List<NetworkTable.Entry<Asset>> parseCsv(Reader reader) throws IOException {
    CsvSchema schema = CsvSchema.emptySchema().withHeader().withComments();
    List<NetworkTable.Entry<Asset>> rows = new ArrayList<>();
    List<Integer> lineNumbers = new ArrayList<>();
    try (MappingIterator<Map<String, String>> it =
        CSV.readerForMapOf(String.class)
            .with(schema)
            .with(CsvParser.Feature.TRIM_SPACES)
            .with(CsvParser.Feature.SKIP_EMPTY_LINES)
            .readValues(reader)) {
      checkHeader(it);
      while (true) {
        Map<String, String> row;
        int lineNumber;
        try {
          if (!it.hasNextValue()) {
            break;
          }
          lineNumber = it.getParser().currentLocation().getLineNr();
          row = it.nextValue();
        } catch (IOException | RuntimeJsonMappingException e) {
          throw NetworkTable.lineError(
              it.getParser().currentLocation().getLineNr(), "not CSV: " + e.getMessage());
        }
        NetworkTable.Entry<Asset> entry = row(row, lineNumber);
        int earlier = NetworkTable.indexOf(rows, entry.network());
        if (earlier >= 0) {
          throw NetworkTable.lineError(
              lineNumber,
              "network "
                  + row.get("cidr")
                  + " is already given on line "
                  + lineNumbers.get(earlier));
        }
        rows.add(entry);
        lineNumbers.add(lineNumber);
      }
    }
    return rows;
  }

  private static void checkHeader(MappingIterator<Map<String, String>> it) throws IOException {
    if (!it.hasNextValue()) {
      // An empty file: no header to check, and nothing in it.
      return;
    }
    CsvSchema header = (CsvSchema) it.getParser().getSchema();
    List<String> columns = new ArrayList<>();
    header.forEach(column -> columns.add(column.getName()));
    for (String required : CSV_REQUIRED) {
      if (!columns.contains(required)) {
        throw NetworkTable.lineError(
            1,
            "the header must name the columns cidr,agency,asset,owner,criticality; got "
                + String.join(",", columns));
      }
    }
  }

  private static NetworkTable.Entry<Asset> row(Map<String, String> row, int lineNumber) {
    String cidr = blankToNull(row.get("cidr"));
    if (cidr == null) {
      throw NetworkTable.lineError(lineNumber, "cidr is empty");
    }
    IPAddress network = NetworkTable.network(cidr, lineNumber);
    String agency = blankToNull(row.get("agency"));
    if (agency == null) {
      throw NetworkTable.lineError(lineNumber, "agency is empty");
    }
    try {
      String criticality = blankToNull(row.get("criticality"));
      Asset asset =
          new Asset(
              agencyId(agency),
              blankToNull(row.get("asset")),
              blankToNull(row.get("owner")),
              criticality == null ? null : AssetCriticality.fromWireName(criticality));
      return new NetworkTable.Entry<>(network, asset);
    } catch (IllegalArgumentException e) {
      throw NetworkTable.lineError(lineNumber, e.getMessage());
    }
  }

  static String agencyId(String text) {
    if (!ID.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "organization id '"
              + text
              + "' must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit");
    }
    return text;
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
