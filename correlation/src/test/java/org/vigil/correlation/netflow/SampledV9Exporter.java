package org.vigil.correlation.netflow;

import java.nio.ByteBuffer;

/**
 * NetFlow v9 datagrams (RFC 3954) of an exporter that samples 1 in N packets and says so in options
 * data, as routers with sampled NetFlow do; none of the shared captures announces an interval above
 * 1.
 *
 * <pre>
 * datagram 1: options template 300 (scope System, option SAMPLING_INTERVAL 34),
 *             template 301 (IPV4_SRC_ADDR, IPV4_DST_ADDR, L4_SRC_PORT, L4_DST_PORT, PROTOCOL,
 *             IN_BYTES, IN_PKTS), options data of 300
 * datagram 2: one data record of 301
 * </pre>
 */
final class SampledV9Exporter {
  private static final int SOURCE_ID = 77;
  private static final int EXPORT_SECONDS = 1_764_064_800; // 2025-11-25T10:00:00Z

  private SampledV9Exporter() {}

  static byte[] templatesAndSampling(long sequence, int interval) {
    ByteBuffer b = ByteBuffer.allocate(200);
    header(b, 3, sequence);
    // Options template flowset, padded to 4 bytes.
    b.putShort((short) 1).putShort((short) 20);
    b.putShort((short) 300).putShort((short) 4).putShort((short) 4);
    b.putShort((short) 1).putShort((short) 4); // scope: System
    b.putShort((short) 34).putShort((short) 4); // SAMPLING_INTERVAL
    b.putShort((short) 0);
    // Template flowset.
    int[][] fields = {{8, 4}, {12, 4}, {7, 2}, {11, 2}, {4, 1}, {1, 4}, {2, 4}};
    b.putShort((short) 0).putShort((short) (8 + fields.length * 4));
    b.putShort((short) 301).putShort((short) fields.length);
    for (int[] f : fields) {
      b.putShort((short) f[0]).putShort((short) f[1]);
    }
    // Options data flowset.
    b.putShort((short) 300).putShort((short) 12);
    b.putInt(0x0A000001).putInt(interval);
    return finish(b);
  }

  static byte[] flow(long sequence, int bytes, int packets) {
    ByteBuffer b = ByteBuffer.allocate(100);
    header(b, 1, sequence);
    b.putShort((short) 301).putShort((short) 28);
    b.putInt(0x0A010203).putInt(0xC0000201); // 10.1.2.3 -> 192.0.2.1
    b.putShort((short) 40000).putShort((short) 443).put((byte) 6);
    b.putInt(bytes).putInt(packets);
    b.put(new byte[3]); // padding
    return finish(b);
  }

  private static void header(ByteBuffer b, int count, long sequence) {
    b.putShort((short) 9).putShort((short) count);
    b.putInt(3_600_000); // sysUptime
    b.putInt(EXPORT_SECONDS);
    b.putInt((int) sequence);
    b.putInt(SOURCE_ID);
  }

  private static byte[] finish(ByteBuffer b) {
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }
}
