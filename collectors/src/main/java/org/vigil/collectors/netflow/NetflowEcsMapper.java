package org.vigil.collectors.netflow;

import java.nio.ByteBuffer;
import java.util.List;
import org.vigil.model.IsoInstant;

/**
 * Collects, while a record is decoded, the IANA elements that ECS fields come from, then writes
 * those fields: {@code source.*}, {@code destination.*}, {@code network.*}, {@code event.start},
 * {@code event.end} and {@code network.community_id}. Reused for every record of a packet, so it is
 * mutable and not shared between threads.
 */
final class NetflowEcsMapper {
  private static final List<String> CATEGORY = List.of("network");
  private static final List<String> TYPE = List.of("connection");

  /** Protocol numbers as text, once: every flow carries one. */
  private static final String[] IANA_NUMBER_TEXT = new String[256];

  static {
    for (int i = 0; i < 256; i++) {
      IANA_NUMBER_TEXT[i] = Integer.toString(i);
    }
  }

  private final CommunityId communityId;

  private ByteBuffer buf;
  private Object srcIp;
  private Object dstIp;
  private int srcAddrAt;
  private int dstAddrAt;
  private int srcAddrLen;
  private int dstAddrLen;
  private long srcPort;
  private long dstPort;
  private long protocol;
  private long octetDelta;
  private long octetTotal;
  private long initiatorOctets;
  private long responderOctets;
  private long packetDelta;
  private long packetTotal;
  private long initiatorPackets;
  private long responderPackets;
  private long startMillis;
  private long endMillis;
  // The text the decoder already made of an absolute start/end element, reused for event.start/end.
  private Object startText;
  private Object endText;
  private long upStart;
  private long upEnd;
  private long systemInit;
  private long packetSystemInit = -1;
  private long startDeltaMicros;
  private long endDeltaMicros;
  private long direction;
  private long icmpTypeCode;
  private long icmpType;
  private long icmpCode;
  private int srcMacAt;
  private int dstMacAt;
  long sampling;

  NetflowEcsMapper(CommunityId communityId) {
    this.communityId = communityId;
  }

  /**
   * Starts a packet: systemInitTimeMilliseconds seen in one of its options records is kept for its
   * flows.
   */
  void startPacket() {
    packetSystemInit = -1;
  }

  void reset(ByteBuffer buffer) {
    buf = buffer;
    srcIp = dstIp = null;
    srcAddrLen = dstAddrLen = 0;
    srcPort = dstPort = protocol = -1;
    octetDelta = octetTotal = initiatorOctets = responderOctets = -1;
    packetDelta = packetTotal = initiatorPackets = responderPackets = -1;
    startMillis = endMillis = Long.MIN_VALUE;
    startText = endText = null;
    upStart = upEnd = systemInit = startDeltaMicros = endDeltaMicros = -1;
    direction = icmpTypeCode = icmpType = icmpCode = -1;
    srcMacAt = dstMacAt = -1;
    sampling = 0;
  }

  /**
   * Notes an IANA element of {@code length} bytes at {@code at} whose decoded value is {@code
   * value}.
   */
  void note(int id, int at, int length, Object value) {
    switch (id) {
      case 8, 27 -> {
        // Some exporters send both an IPv4 and an all-zero IPv6 address (or the reverse).
        if (srcIp == null || zero(srcAddrAt, srcAddrLen) && !zero(at, length)) {
          srcIp = value;
          srcAddrAt = at;
          srcAddrLen = length == 4 || length == 16 ? length : 0;
        }
      }
      case 12, 28 -> {
        if (dstIp == null || zero(dstAddrAt, dstAddrLen) && !zero(at, length)) {
          dstIp = value;
          dstAddrAt = at;
          dstAddrLen = length == 4 || length == 16 ? length : 0;
        }
      }
      case 7, 180, 182 -> srcPort = srcPort < 0 ? number(at, length) : srcPort;
      case 11, 181, 183 -> dstPort = dstPort < 0 ? number(at, length) : dstPort;
      case 4 -> protocol = number(at, length);
      case 1 -> octetDelta = number(at, length);
      case 85 -> octetTotal = number(at, length);
      case 231 -> initiatorOctets = number(at, length);
      case 232 -> responderOctets = number(at, length);
      case 2 -> packetDelta = number(at, length);
      case 86 -> packetTotal = number(at, length);
      case 298 -> initiatorPackets = number(at, length);
      case 299 -> responderPackets = number(at, length);
      case 22 -> upStart = number(at, length);
      case 21 -> upEnd = number(at, length);
      case 160 -> {
        systemInit = length == 8 ? buf.getLong(at) : -1;
        packetSystemInit = systemInit >= 0 ? systemInit : packetSystemInit;
      }
      case 150, 152 -> {
        if (length == (id == 150 ? 4 : 8)) {
          startMillis = id == 150 ? number(at, 4) * 1000 : buf.getLong(at);
          startText = value;
        }
      }
      case 151, 153 -> {
        if (length == (id == 151 ? 4 : 8)) {
          endMillis = id == 151 ? number(at, 4) * 1000 : buf.getLong(at);
          endText = value;
        }
      }
      case 154, 156 -> {
        if (length == 8) {
          startMillis = FieldType.ntp(buf, at, 0xFFFFFFFFL).toEpochMilli();
          startText = null;
        }
      }
      case 155, 157 -> {
        if (length == 8) {
          endMillis = FieldType.ntp(buf, at, 0xFFFFFFFFL).toEpochMilli();
          endText = null;
        }
      }
      case 158 -> startDeltaMicros = number(at, length);
      case 159 -> endDeltaMicros = number(at, length);
      case 61 -> direction = number(at, length);
      case 32, 139 -> icmpTypeCode = number(at, length);
      case 176, 178 -> icmpType = number(at, length);
      case 177, 179 -> icmpCode = number(at, length);
      case 56 -> srcMacAt = length == 6 ? at : -1;
      case 80 -> dstMacAt = length == 6 ? at : -1;
      case 34, 50, 305 -> sampling = number(at, length);
      default -> {}
    }
  }

  /** v5 records have a fixed layout; the decoder sets what {@link #note} would. */
  void v5(int srcAt, int dstAt, long sport, long dport, long proto, long octets, long packets) {
    srcAddrAt = srcAt;
    dstAddrAt = dstAt;
    srcAddrLen = dstAddrLen = 4;
    srcPort = sport;
    dstPort = dport;
    protocol = proto;
    octetDelta = octets;
    packetDelta = packets;
  }

  void v5Addresses(Object src, Object dst) {
    srcIp = src;
    dstIp = dst;
  }

  void uptimes(long start, long end) {
    upStart = start;
    upEnd = end;
  }

  /**
   * Writes the ECS fields into their slots of {@code v} ({@link RecordLayout}); returns the flow's
   * end as written to {@code event.end}, {@link Long#MIN_VALUE} when it has none. {@code
   * sysUptimeMillis} is -1 for IPFIX, whose uptime fields count from systemInitTimeMilliseconds
   * instead.
   */
  long finish(Object[] v, boolean options, long exportMillis, long sysUptimeMillis) {
    v[RecordLayout.EVENT_KIND] = "event";
    if (options) {
      v[RecordLayout.EVENT_DATASET] = "netflow.options";
      return Long.MIN_VALUE;
    }
    v[RecordLayout.EVENT_DATASET] = "netflow.flow";
    v[RecordLayout.EVENT_CATEGORY] = CATEGORY;
    v[RecordLayout.EVENT_TYPE] = TYPE;
    if (srcIp != null) {
      v[RecordLayout.SOURCE_IP] = srcIp;
    }
    if (dstIp != null) {
      v[RecordLayout.DESTINATION_IP] = dstIp;
    }
    if (srcAddrLen > 0) {
      v[RecordLayout.NETWORK_TYPE] = srcAddrLen == 4 ? "ipv4" : "ipv6";
    }
    boolean icmp = protocol == 1 || protocol == 58;
    if (srcPort >= 0 && !icmp) {
      v[RecordLayout.SOURCE_PORT] = srcPort;
    }
    if (dstPort >= 0 && !icmp) {
      v[RecordLayout.DESTINATION_PORT] = dstPort;
    }
    if (protocol >= 0 && protocol < 256) {
      v[RecordLayout.IANA_NUMBER] = IANA_NUMBER_TEXT[(int) protocol];
      String transport = transport((int) protocol);
      if (transport != null) {
        v[RecordLayout.TRANSPORT] = transport;
      }
    }
    long bytes = firstOf(octetDelta, octetTotal, sum(initiatorOctets, responderOctets));
    if (bytes >= 0) {
      v[RecordLayout.BYTES] = bytes;
    }
    long packets = firstOf(packetDelta, packetTotal, sum(initiatorPackets, responderPackets));
    if (packets >= 0) {
      v[RecordLayout.PACKETS] = packets;
    }
    if (direction == 0) {
      v[RecordLayout.DIRECTION] = "ingress";
    } else if (direction == 1) {
      v[RecordLayout.DIRECTION] = "egress";
    }
    if (srcMacAt >= 0) {
      v[RecordLayout.SOURCE_MAC] = FieldType.mac(buf, srcMacAt, '-').toUpperCase();
    }
    if (dstMacAt >= 0) {
      v[RecordLayout.DESTINATION_MAC] = FieldType.mac(buf, dstMacAt, '-').toUpperCase();
    }
    long start =
        plausible(
            time(startMillis, upStart, startDeltaMicros, exportMillis, sysUptimeMillis),
            exportMillis);
    long end =
        plausible(
            time(endMillis, upEnd, endDeltaMicros, exportMillis, sysUptimeMillis), exportMillis);
    if (start != Long.MIN_VALUE) {
      v[RecordLayout.EVENT_START] =
          start == startMillis ? text(startText, start) : IsoInstant.formatWithMillis(start);
    }
    if (end != Long.MIN_VALUE) {
      v[RecordLayout.EVENT_END] =
          end == endMillis ? text(endText, end) : IsoInstant.formatWithMillis(end);
    }
    if (start != Long.MIN_VALUE && end != Long.MIN_VALUE && end >= start) {
      v[RecordLayout.EVENT_DURATION] = (end - start) * 1_000_000L;
    }
    communityId(v);
    return end;
  }

  private void communityId(Object[] v) {
    if (srcAddrLen == 0 || srcAddrLen != dstAddrLen || protocol < 0 || protocol > 255) {
      return;
    }
    int proto = (int) protocol;
    int sp = 0;
    int dp = 0;
    if (proto == 1 || proto == 58) {
      long typeCode =
          icmpTypeCode >= 0
              ? icmpTypeCode
              : icmpType >= 0 ? (icmpType << 8) | Math.max(icmpCode, 0) : dstPort;
      if (typeCode < 0) {
        return;
      }
      sp = (int) (typeCode >>> 8) & 0xFF;
      dp = (int) typeCode & 0xFF;
    } else if (CommunityId.usesPorts(proto)) {
      if (srcPort < 0 || dstPort < 0) {
        return;
      }
      sp = (int) srcPort & 0xFFFF;
      dp = (int) dstPort & 0xFFFF;
    }
    v[RecordLayout.COMMUNITY_ID] =
        communityId.of(buf, srcAddrAt, dstAddrAt, srcAddrLen, proto, sp, dp);
  }

  /**
   * An absolute time in epoch ms: an absolute element wins; else a sysUpTime-relative one (v9:
   * relative to the header's uptime at export, RFC 3954 §8; IPFIX: relative to
   * systemInitTimeMilliseconds); else a delta in microseconds before export (RFC 7011 §A).
   */
  /** A year either side of the export time: flows do not last longer, and clocks err less. */
  private static final long PLAUSIBLE_FROM_EXPORT_MILLIS = 366L * 24 * 60 * 60 * 1000;

  /** 9999-12-31T23:59:59.999Z: the last instant a four-digit ISO year can write. */
  private static final long LAST_ISO_MILLIS = 253_402_300_799_999L;

  /**
   * The flow time, or none when it cannot be one: exporters that misreport a time element (a unit
   * or an epoch mixed up) yield instants millions of years away, which no index or analyst can use.
   * The element itself stays under netflow.*.
   */
  private static long plausible(long millis, long exportMillis) {
    if (millis == Long.MIN_VALUE || millis < 0 || millis > LAST_ISO_MILLIS) {
      return Long.MIN_VALUE;
    }
    if (exportMillis > 0 && Math.abs(millis - exportMillis) > PLAUSIBLE_FROM_EXPORT_MILLIS) {
      return Long.MIN_VALUE;
    }
    return millis;
  }

  private long time(
      long absolute, long uptime, long deltaMicros, long exportMillis, long sysUptimeMillis) {
    if (absolute != Long.MIN_VALUE) {
      return absolute;
    }
    if (uptime >= 0) {
      if (sysUptimeMillis >= 0) {
        // Unsigned 32-bit counters: the signed difference survives the uptime wrapping around.
        return exportMillis - (int) (sysUptimeMillis - uptime);
      }
      long init = systemInit >= 0 ? systemInit : packetSystemInit;
      if (init >= 0) {
        // Unsigned 32-bit like v9's: they wrap after 49.7 days of uptime, and softflowd reading a
        // pcap stamps packets older than its own start. The signed difference from the uptime at
        // export survives both.
        return exportMillis > 0
            ? exportMillis - (int) (exportMillis - init - uptime)
            : init + uptime;
      }
    }
    if (deltaMicros >= 0) {
      return exportMillis - deltaMicros / 1000;
    }
    return Long.MIN_VALUE;
  }

  /**
   * The decoder's own text of an absolute seconds/milliseconds element when there is one (it is
   * {@link IsoTime} of the same instant), else the instant formatted.
   */
  private static String text(Object decoded, long millis) {
    return decoded instanceof String s ? s : IsoInstant.formatWithMillis(millis);
  }

  private boolean zero(int at, int length) {
    for (int i = 0; i < length; i++) {
      if (buf.get(at + i) != 0) {
        return false;
      }
    }
    return true;
  }

  private long number(int at, int length) {
    if (length < 1 || length > 8) {
      return -1;
    }
    long v = FieldType.unsigned(buf, at, length);
    return v < 0 ? Long.MAX_VALUE : v;
  }

  private static long sum(long a, long b) {
    if (a < 0 && b < 0) {
      return -1;
    }
    return Math.max(a, 0) + Math.max(b, 0);
  }

  private static long firstOf(long a, long b, long c) {
    return a >= 0 ? a : b >= 0 ? b : c;
  }

  static String transport(int protocol) {
    return switch (protocol) {
      case 1 -> "icmp";
      case 2 -> "igmp";
      case 4 -> "ipv4";
      case 6 -> "tcp";
      case 17 -> "udp";
      case 41 -> "ipv6";
      case 47 -> "gre";
      case 50 -> "esp";
      case 51 -> "ah";
      case 58 -> "ipv6-icmp";
      case 89 -> "ospf";
      case 103 -> "pim";
      case 112 -> "vrrp";
      case 132 -> "sctp";
      default -> null;
    };
  }
}
