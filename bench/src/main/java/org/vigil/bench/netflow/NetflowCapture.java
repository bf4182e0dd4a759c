package org.vigil.bench.netflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.vigil.collectors.netflow.FlowRecord;
import org.vigil.collectors.netflow.InMemoryTemplateStore;
import org.vigil.collectors.netflow.NetflowDecodeException;
import org.vigil.collectors.netflow.NetflowDecoder;
import org.vigil.collectors.netflow.NetflowExporterKey;
import org.vigil.collectors.netflow.NetflowMessage;

/**
 * One exporter's recorded v9 or IPFIX datagrams, sorted into the ones that define templates and the
 * ones that carry only data, with the records of each counted by Vigil's own decoder: what a replay
 * sends and how many flows the far end should see.
 *
 * <p>Only v9 and IPFIX are taken: v5 has no templates and a flow-counting sequence of its own, and
 * the point of the replay is the template path.
 *
 * @param name what the capture is, e.g. {@code cisco-asa}
 * @param family {@link NetflowExporterKey.Family#V9} or {@link NetflowExporterKey.Family#IPFIX}
 * @param templates datagrams that define templates, in recorded order; re-sent periodically
 * @param data datagrams without templates, each with at least one record; replayed in a loop
 */
public record NetflowCapture(
    String name, NetflowExporterKey.Family family, List<Datagram> templates, List<Datagram> data) {

  /**
   * One recorded datagram.
   *
   * @param bytes the datagram as recorded; never modified, a replay copies it
   * @param records data records it carries, options records included (what IPFIX sequence numbers
   *     count)
   * @param flows records that become flow events: {@code records} minus options records
   */
  public record Datagram(byte[] bytes, int records, int flows) {
    public Datagram {
      Objects.requireNonNull(bytes, "bytes");
      if (records < 0 || flows < 0 || flows > records) {
        throw new IllegalArgumentException("bad record counts: " + records + ", " + flows);
      }
    }
  }

  /** Cisco ASA 5500 NSEL, NetFlow v9: two template datagrams, one data datagram of 19 flows. */
  public static final List<String> CISCO_ASA =
      List.of(
          "netflow9_test_cisco_asa_2_tpl_26x.dat",
          "netflow9_test_cisco_asa_2_tpl_27x.dat",
          "netflow9_test_cisco_asa_2_data.dat");

  /** OpenBSD pflow, IPFIX: one template datagram, one data datagram of 26 flows. */
  public static final List<String> OPENBSD_PFLOW =
      List.of("ipfix_test_openbsd_pflow_tpl.dat", "ipfix_test_openbsd_pflow_data.dat");

  public NetflowCapture {
    Objects.requireNonNull(name, "name");
    if (family != NetflowExporterKey.Family.V9 && family != NetflowExporterKey.Family.IPFIX) {
      throw new IllegalArgumentException("capture " + name + ": only v9 and IPFIX are replayed");
    }
    templates = List.copyOf(templates);
    data = List.copyOf(data);
    if (templates.isEmpty() || data.isEmpty()) {
      throw new IllegalArgumentException(
          "capture "
              + name
              + " needs at least one template datagram and one data-only datagram, has "
              + templates.size()
              + " and "
              + data.size());
    }
  }

  /**
   * Reads the named files from {@code dir} in order.
   *
   * @throws IOException when a file cannot be read
   * @throws IllegalArgumentException when they are not one exporter's decodable v9 or IPFIX stream
   */
  public static NetflowCapture read(String name, Path dir, List<String> files) throws IOException {
    List<byte[]> packets = new ArrayList<>();
    for (String file : files) {
      Path path = dir.resolve(file);
      if (!Files.isRegularFile(path)) {
        throw new IOException("NetFlow capture file not found: " + path);
      }
      packets.add(Files.readAllBytes(path));
    }
    return of(name, packets);
  }

  /**
   * Sorts and counts datagrams in the order the exporter sent them. Templates are learned in a
   * first pass, so data recorded before its template still counts.
   *
   * @throws IllegalArgumentException when the datagrams mix versions, do not decode, or leave data
   *     without a template
   */
  public static NetflowCapture of(String name, List<byte[]> packets) {
    if (packets.isEmpty()) {
      throw new IllegalArgumentException("capture " + name + " has no datagrams");
    }
    NetflowExporterKey.Family family = NetflowExporterKey.familyOf(packets.get(0));
    NetflowDecoder decoder = new NetflowDecoder();
    InMemoryTemplateStore store = new InMemoryTemplateStore();
    boolean[] definesTemplates = new boolean[packets.size()];
    for (int i = 0; i < packets.size(); i++) {
      byte[] p = packets.get(i);
      if (NetflowExporterKey.familyOf(p) != family) {
        throw new IllegalArgumentException(
            "capture "
                + name
                + " mixes export versions: datagram "
                + i
                + " differs from the first");
      }
      definesTemplates[i] = !decode(name, i, decoder, p, store).templatesLearned().isEmpty();
    }
    List<Datagram> templates = new ArrayList<>();
    List<Datagram> data = new ArrayList<>();
    for (int i = 0; i < packets.size(); i++) {
      NetflowMessage m = decode(name, i, decoder, packets.get(i), store);
      if (!m.pending().isEmpty()) {
        throw new IllegalArgumentException(
            "capture " + name + ": datagram " + i + " has data for a template it never defines");
      }
      int flows = 0;
      for (FlowRecord r : m.records()) {
        if (!r.options()) {
          flows++;
        }
      }
      Datagram d = new Datagram(packets.get(i).clone(), m.records().size(), flows);
      if (definesTemplates[i]) {
        templates.add(d);
      } else if (d.records() > 0) {
        data.add(d);
      }
    }
    return new NetflowCapture(name, family, templates, data);
  }

  private static NetflowMessage decode(
      String name, int index, NetflowDecoder decoder, byte[] packet, InMemoryTemplateStore store) {
    try {
      return decoder.decode(packet, store);
    } catch (NetflowDecodeException e) {
      throw new IllegalArgumentException(
          "capture " + name + ": datagram " + index + " does not decode: " + e.getMessage(), e);
    }
  }

  /** Flows in one pass over the data datagrams. */
  public int flowsPerDataCycle() {
    return data.stream().mapToInt(Datagram::flows).sum();
  }
}
