package org.vigil.bench.netflow;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import org.vigil.collectors.netflow.NetflowExporterKey;

/**
 * One simulated exporter replaying a {@link NetflowCapture} forever: the capture's templates first
 * and again every {@code templateInterval} data datagrams, as real exporters refresh them, and its
 * data datagrams in a loop in between. Each datagram is a copy of the recorded one made once, with
 * this exporter's domain written in, and patched in place before it is sent:
 *
 * <table>
 *   <caption>Header fields rewritten (offsets in bytes, big-endian)</caption>
 *   <tr><th>field</th><th>v9 (RFC 3954 §5.1)</th><th>IPFIX (RFC 7011 §3.1)</th></tr>
 *   <tr><td>export time, epoch seconds</td><td>8</td><td>4</td></tr>
 *   <tr><td>sequence number</td><td>12, export packets sent before this one</td>
 *       <td>8, data records sent before this message</td></tr>
 *   <tr><td>domain</td><td>16, Source ID</td><td>12, Observation Domain ID</td></tr>
 * </table>
 *
 * <p>So the collector and the job see an unbroken sequence per exporter (no loss reported unless
 * datagrams are really lost) and distinct template spaces per exporter. Not thread-safe; one sender
 * thread owns a stream.
 */
public final class NetflowExporterStream {
  private static final int V9_EXPORT_TIME = 8;
  private static final int V9_SEQUENCE = 12;
  private static final int V9_SOURCE_ID = 16;
  private static final int IPFIX_EXPORT_TIME = 4;
  private static final int IPFIX_SEQUENCE = 8;
  private static final int IPFIX_DOMAIN = 12;

  private final NetflowCapture capture;
  private final long domain;
  private final int templateInterval;
  private final ByteBuffer[] templates;
  private final ByteBuffer[] data;
  private final int[] templateRecords;
  private final int[] templateFlows;
  private final int[] dataRecords;
  private final int[] dataFlows;

  private long sequence;
  private int nextTemplate;
  private int nextData;
  private long dataSinceTemplates;
  private int lastFlows;
  private boolean lastWasTemplate;

  /**
   * @param domain this exporter's v9 Source ID or IPFIX Observation Domain ID, unsigned 32-bit
   * @param templateInterval data datagrams between two template refreshes; 0 sends them only first
   */
  public NetflowExporterStream(NetflowCapture capture, long domain, int templateInterval) {
    this.capture = Objects.requireNonNull(capture, "capture");
    if (domain < 0 || domain > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("domain must be an unsigned 32-bit value: " + domain);
    }
    if (templateInterval < 0) {
      throw new IllegalArgumentException(
          "template interval must be 0 or more datagrams: " + templateInterval);
    }
    this.domain = domain;
    this.templateInterval = templateInterval;
    this.templates = buffers(capture.templates());
    this.data = buffers(capture.data());
    this.templateRecords = capture.templates().stream().mapToInt(d -> d.records()).toArray();
    this.templateFlows = capture.templates().stream().mapToInt(d -> d.flows()).toArray();
    this.dataRecords = capture.data().stream().mapToInt(d -> d.records()).toArray();
    this.dataFlows = capture.data().stream().mapToInt(d -> d.flows()).toArray();
  }

  private ByteBuffer[] buffers(List<NetflowCapture.Datagram> datagrams) {
    ByteBuffer[] out = new ByteBuffer[datagrams.size()];
    for (int i = 0; i < out.length; i++) {
      byte[] copy = datagrams.get(i).bytes().clone();
      putInt(copy, ipfix() ? IPFIX_DOMAIN : V9_SOURCE_ID, domain);
      out[i] = ByteBuffer.wrap(copy);
    }
    return out;
  }

  private boolean ipfix() {
    return capture.family() == NetflowExporterKey.Family.IPFIX;
  }

  public NetflowExporterKey.Family family() {
    return capture.family();
  }

  public long domain() {
    return domain;
  }

  /**
   * The next datagram to send, patched with the export time and the next sequence number, from
   * position 0 to its end. Valid until the next call.
   *
   * @param epochSeconds the export time to write
   */
  public ByteBuffer next(long epochSeconds) {
    ByteBuffer out;
    int records;
    if (nextTemplate < templates.length) {
      out = templates[nextTemplate];
      records = templateRecords[nextTemplate];
      lastFlows = templateFlows[nextTemplate];
      lastWasTemplate = true;
      nextTemplate++;
    } else {
      out = data[nextData];
      records = dataRecords[nextData];
      lastFlows = dataFlows[nextData];
      lastWasTemplate = false;
      nextData = (nextData + 1) % data.length;
      dataSinceTemplates++;
      if (templateInterval > 0 && dataSinceTemplates >= templateInterval) {
        nextTemplate = 0;
        dataSinceTemplates = 0;
      }
    }
    byte[] bytes = out.array();
    if (ipfix()) {
      putInt(bytes, IPFIX_EXPORT_TIME, epochSeconds);
      putInt(bytes, IPFIX_SEQUENCE, sequence);
      sequence = (sequence + records) & 0xFFFF_FFFFL;
    } else {
      putInt(bytes, V9_EXPORT_TIME, epochSeconds);
      putInt(bytes, V9_SEQUENCE, sequence);
      sequence = (sequence + 1) & 0xFFFF_FFFFL;
    }
    return out.clear();
  }

  /** Flow records in the datagram {@link #next} returned last. */
  public int lastFlows() {
    return lastFlows;
  }

  /** Whether the datagram {@link #next} returned last was a template datagram. */
  public boolean lastWasTemplate() {
    return lastWasTemplate;
  }

  private static void putInt(byte[] b, int offset, long value) {
    b[offset] = (byte) (value >>> 24);
    b[offset + 1] = (byte) (value >>> 16);
    b[offset + 2] = (byte) (value >>> 8);
    b[offset + 3] = (byte) value;
  }
}
