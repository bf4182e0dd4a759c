package org.vigil.collectors.netflow;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes NetFlow v5, NetFlow v9 (RFC 3954) and IPFIX (RFC 7011) export packets, one UDP payload at
 * a time, into flow records with ECS fields. Template state lives in the caller's {@link
 * TemplateStore}; data sets whose template is not known yet come back as {@link PendingSet}s.
 *
 * <pre>
 * v5 header (24 bytes)              v9 header (20 bytes)          IPFIX header (16 bytes)
 *  0 version=5   2 count             0 version=9   2 count         0 version=10  2 length
 *  4 sysUptime ms                    4 sysUptime ms                4 export time (s)
 *  8 unix secs  12 unix nsecs        8 unix secs                   8 sequence (data records)
 * 16 flow sequence                  12 sequence (packets)         12 observation domain id
 * 20 engine type 21 engine id       16 source id
 * 22 sampling (2-bit mode, 14-bit interval)
 *
 * set (v9 "flowset", IPFIX "set"): 0 set id  2 length (incl. this 4-byte header)  4 body
 *   v9 ids: 0 templates, 1 options templates; IPFIX: 2 templates, 3 options templates;
 *   256 and up: data records of that template, then padding shorter than a record
 * </pre>
 *
 * <p>Bad input gives {@link NetflowDecodeException} with the reason and offset; nothing else
 * escapes, no length read from the wire drives a loop or an allocation beyond the packet. An
 * instance holds scratch state (digest, ECS mapper): use one per thread.
 */
public final class NetflowDecoder {
  private static final int V5_HEADER = 24;
  private static final int V5_RECORD = 48;
  private static final int V9_HEADER = 20;
  private static final int IPFIX_HEADER = 16;

  /** IE 210 paddingOctets aligns records (RFC 7011 §3.3.1) and carries nothing. */
  private static final int PADDING_OCTETS = 210;

  /** The fields of a v5 record, in wire order after the header's; slots of {@link #V5_LAYOUT}. */
  private static final RecordLayout V5_LAYOUT =
      RecordLayout.ofKeys(
          List.of(
              "netflow.flowSequence",
              "netflow.engineType",
              "netflow.engineId",
              "netflow.samplingAlgorithm",
              "netflow.samplingInterval",
              "netflow.sourceIPv4Address",
              "netflow.destinationIPv4Address",
              "netflow.ipNextHopIPv4Address",
              "netflow.ingressInterface",
              "netflow.egressInterface",
              "netflow.packetDeltaCount",
              "netflow.octetDeltaCount",
              "netflow.flowStartSysUpTime",
              "netflow.flowEndSysUpTime",
              "netflow.sourceTransportPort",
              "netflow.destinationTransportPort",
              "netflow.tcpControlBits",
              "netflow.protocolIdentifier",
              "netflow.ipClassOfService",
              "netflow.bgpSourceAsNumber",
              "netflow.bgpDestinationAsNumber",
              "netflow.sourceIPv4PrefixLength",
              "netflow.destinationIPv4PrefixLength"));

  private static final int V5_VERSION = RecordLayout.VERSION;
  private static final int V5_FLOW_SEQUENCE = V5_LAYOUT.slot("netflow.flowSequence");
  private static final int V5_ENGINE_TYPE = V5_LAYOUT.slot("netflow.engineType");
  private static final int V5_ENGINE_ID = V5_LAYOUT.slot("netflow.engineId");
  private static final int V5_SAMPLING_ALGORITHM = V5_LAYOUT.slot("netflow.samplingAlgorithm");
  private static final int V5_SAMPLING_INTERVAL = V5_LAYOUT.slot("netflow.samplingInterval");
  private static final int V5_SOURCE_IPV4_ADDRESS = V5_LAYOUT.slot("netflow.sourceIPv4Address");
  private static final int V5_DESTINATION_IPV4_ADDRESS =
      V5_LAYOUT.slot("netflow.destinationIPv4Address");
  private static final int V5_IP_NEXT_HOP_IPV4_ADDRESS =
      V5_LAYOUT.slot("netflow.ipNextHopIPv4Address");
  private static final int V5_INGRESS_INTERFACE = V5_LAYOUT.slot("netflow.ingressInterface");
  private static final int V5_EGRESS_INTERFACE = V5_LAYOUT.slot("netflow.egressInterface");
  private static final int V5_PACKET_DELTA_COUNT = V5_LAYOUT.slot("netflow.packetDeltaCount");
  private static final int V5_OCTET_DELTA_COUNT = V5_LAYOUT.slot("netflow.octetDeltaCount");
  private static final int V5_FLOW_START_SYS_UP_TIME = V5_LAYOUT.slot("netflow.flowStartSysUpTime");
  private static final int V5_FLOW_END_SYS_UP_TIME = V5_LAYOUT.slot("netflow.flowEndSysUpTime");
  private static final int V5_SOURCE_TRANSPORT_PORT = V5_LAYOUT.slot("netflow.sourceTransportPort");
  private static final int V5_DESTINATION_TRANSPORT_PORT =
      V5_LAYOUT.slot("netflow.destinationTransportPort");
  private static final int V5_TCP_CONTROL_BITS = V5_LAYOUT.slot("netflow.tcpControlBits");
  private static final int V5_PROTOCOL_IDENTIFIER = V5_LAYOUT.slot("netflow.protocolIdentifier");
  private static final int V5_IP_CLASS_OF_SERVICE = V5_LAYOUT.slot("netflow.ipClassOfService");
  private static final int V5_BGP_SOURCE_AS_NUMBER = V5_LAYOUT.slot("netflow.bgpSourceAsNumber");
  private static final int V5_BGP_DESTINATION_AS_NUMBER =
      V5_LAYOUT.slot("netflow.bgpDestinationAsNumber");
  private static final int V5_SOURCE_IPV4_PREFIX_LENGTH =
      V5_LAYOUT.slot("netflow.sourceIPv4PrefixLength");
  private static final int V5_DESTINATION_IPV4_PREFIX_LENGTH =
      V5_LAYOUT.slot("netflow.destinationIPv4PrefixLength");

  private final NetflowEcsMapper ecs;

  public NetflowDecoder() {
    this(0);
  }

  /**
   * @param communityIdSeed the Community ID seed, 0 unless the SOC chose another
   */
  public NetflowDecoder(int communityIdSeed) {
    this.ecs = new NetflowEcsMapper(new CommunityId(communityIdSeed));
  }

  /** Decodes the packet between the buffer's position and limit; the buffer is not modified. */
  public NetflowMessage decode(ByteBuffer packet, TemplateStore store)
      throws NetflowDecodeException {
    ByteBuffer b = packet.slice().order(ByteOrder.BIG_ENDIAN);
    try {
      if (b.limit() < 2) {
        throw new NetflowDecodeException("packet of " + b.limit() + " bytes has no version");
      }
      int version = u16(b, 0);
      return switch (version) {
        case 5 -> decodeV5(b);
        case 9 -> decodeSets(b, store, 9);
        case 10 -> decodeSets(b, store, 10);
        default -> throw new NetflowDecodeException("unsupported export version " + version);
      };
    } catch (IndexOutOfBoundsException | BufferUnderflowException e) {
      // Every read is bounds-checked first; this only guards against a checking mistake.
      throw new NetflowDecodeException("read past the packet: " + e.getMessage());
    }
  }

  /** Convenience for a whole byte array. */
  public NetflowMessage decode(byte[] packet, TemplateStore store) throws NetflowDecodeException {
    return decode(ByteBuffer.wrap(packet), store);
  }

  /**
   * Decodes a set that was pending, once its template is in {@code store}; empty when it still is
   * not.
   */
  public Optional<List<FlowRecord>> decodePending(PendingSet pending, TemplateStore store)
      throws NetflowDecodeException {
    Template template = store.get(pending.templateKey());
    if (template == null) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(pending.body());
    List<FlowRecord> out = new ArrayList<>();
    Header h =
        new Header(
            pending.version(),
            pending.domainId(),
            pending.exportTimeMillis(),
            pending.sysUptimeMillis());
    ecs.startPacket();
    try {
      decodeRecords(b, 0, b.limit(), template, h, out);
    } catch (IndexOutOfBoundsException | BufferUnderflowException e) {
      throw new NetflowDecodeException("read past the pending set: " + e.getMessage());
    }
    return Optional.of(out);
  }

  private record Header(int version, long domainId, long exportMillis, long sysUptimeMillis) {}

  private NetflowMessage decodeV5(ByteBuffer b) throws NetflowDecodeException {
    if (b.limit() < V5_HEADER) {
      throw new NetflowDecodeException("v5 header needs 24 bytes, packet has " + b.limit());
    }
    int count = u16(b, 2);
    if (count == 0 || b.limit() < V5_HEADER + count * V5_RECORD) {
      throw new NetflowDecodeException(
          "v5 header announces "
              + count
              + " records, packet of "
              + b.limit()
              + " bytes holds "
              + (b.limit() - V5_HEADER) / V5_RECORD);
    }
    long uptime = u32(b, 4);
    long exportMillis = u32(b, 8) * 1000 + u32(b, 12) / 1_000_000;
    long sequence = u32(b, 16);
    int engineType = u8(b, 20);
    int engineId = u8(b, 21);
    int sampling = u16(b, 22);
    long samplingInterval = sampling & 0x3FFF;
    List<FlowRecord> records = new ArrayList<>(count);
    ecs.startPacket();
    for (int i = 0; i < count; i++) {
      int r = V5_HEADER + i * V5_RECORD;
      Object[] f = new Object[V5_LAYOUT.size()];
      f[V5_VERSION] = 5L;
      f[V5_FLOW_SEQUENCE] = sequence;
      f[V5_ENGINE_TYPE] = (long) engineType;
      f[V5_ENGINE_ID] = (long) engineId;
      f[V5_SAMPLING_ALGORITHM] = (long) (sampling >>> 14);
      f[V5_SAMPLING_INTERVAL] = samplingInterval;
      String src = FieldType.ipv4(b, r);
      String dst = FieldType.ipv4(b, r + 4);
      f[V5_SOURCE_IPV4_ADDRESS] = src;
      f[V5_DESTINATION_IPV4_ADDRESS] = dst;
      f[V5_IP_NEXT_HOP_IPV4_ADDRESS] = FieldType.ipv4(b, r + 8);
      f[V5_INGRESS_INTERFACE] = (long) u16(b, r + 12);
      f[V5_EGRESS_INTERFACE] = (long) u16(b, r + 14);
      long packets = u32(b, r + 16);
      long octets = u32(b, r + 20);
      f[V5_PACKET_DELTA_COUNT] = packets;
      f[V5_OCTET_DELTA_COUNT] = octets;
      long first = u32(b, r + 24);
      long last = u32(b, r + 28);
      f[V5_FLOW_START_SYS_UP_TIME] = first;
      f[V5_FLOW_END_SYS_UP_TIME] = last;
      long sport = u16(b, r + 32);
      long dport = u16(b, r + 34);
      f[V5_SOURCE_TRANSPORT_PORT] = sport;
      f[V5_DESTINATION_TRANSPORT_PORT] = dport;
      f[V5_TCP_CONTROL_BITS] = (long) u8(b, r + 37);
      long proto = u8(b, r + 38);
      f[V5_PROTOCOL_IDENTIFIER] = proto;
      f[V5_IP_CLASS_OF_SERVICE] = (long) u8(b, r + 39);
      f[V5_BGP_SOURCE_AS_NUMBER] = (long) u16(b, r + 40);
      f[V5_BGP_DESTINATION_AS_NUMBER] = (long) u16(b, r + 42);
      f[V5_SOURCE_IPV4_PREFIX_LENGTH] = (long) u8(b, r + 44);
      f[V5_DESTINATION_IPV4_PREFIX_LENGTH] = (long) u8(b, r + 45);
      ecs.reset(b);
      ecs.v5(r, r + 4, sport, dport, proto, octets, packets);
      ecs.v5Addresses(src, dst);
      ecs.uptimes(first, last);
      long end = ecs.finish(f, false, exportMillis, uptime);
      records.add(new FlowRecord(0, false, V5_LAYOUT, f, end));
    }
    return new NetflowMessage(
        5,
        sequence,
        (engineType << 8) | engineId,
        exportMillis,
        uptime,
        samplingInterval,
        records,
        List.of(),
        List.of(),
        List.of());
  }

  private NetflowMessage decodeSets(ByteBuffer b, TemplateStore store, int version)
      throws NetflowDecodeException {
    int end;
    long exportMillis;
    long uptime;
    long sequence;
    long domain;
    int pos;
    if (version == 9) {
      if (b.limit() < V9_HEADER) {
        throw new NetflowDecodeException("v9 header needs 20 bytes, packet has " + b.limit());
      }
      uptime = u32(b, 4);
      exportMillis = u32(b, 8) * 1000;
      sequence = u32(b, 12);
      domain = u32(b, 16);
      end = b.limit();
      pos = V9_HEADER;
    } else {
      if (b.limit() < IPFIX_HEADER) {
        throw new NetflowDecodeException("IPFIX header needs 16 bytes, packet has " + b.limit());
      }
      int length = u16(b, 2);
      if (length < IPFIX_HEADER || length > b.limit()) {
        throw new NetflowDecodeException(
            "IPFIX message length "
                + length
                + " does not fit the packet of "
                + b.limit()
                + " bytes");
      }
      uptime = -1;
      exportMillis = u32(b, 4) * 1000;
      sequence = u32(b, 8);
      domain = u32(b, 12);
      end = length;
      pos = IPFIX_HEADER;
    }
    Header h = new Header(version, domain, exportMillis, uptime);
    List<FlowRecord> records = new ArrayList<>();
    List<PendingSet> pending = new ArrayList<>(0);
    List<TemplateKey> learned = new ArrayList<>(0);
    List<String> warnings = new ArrayList<>(0);
    ecs.startPacket();
    long sampling = 0;
    while (end - pos >= 4) {
      int setId = u16(b, pos);
      int setLength = u16(b, pos + 2);
      if (setLength < 4) {
        if (allZero(b, pos, end)) {
          break; // zero fill after the last set, as some exporters send
        }
        throw new NetflowDecodeException("set at offset " + pos + " has length " + setLength);
      }
      if (setLength > end - pos) {
        throw new NetflowDecodeException(
            "set "
                + setId
                + " at offset "
                + pos
                + " has length "
                + setLength
                + " but only "
                + (end - pos)
                + " bytes remain");
      }
      int body = pos + 4;
      int setEnd = pos + setLength;
      boolean templates = version == 9 ? setId == 0 : setId == 2;
      boolean optionTemplates = version == 9 ? setId == 1 : setId == 3;
      if (templates || optionTemplates) {
        if (version == 9) {
          if (templates) {
            v9Templates(b, body, setEnd, store, domain, learned, warnings);
          } else {
            v9OptionTemplates(b, body, setEnd, store, domain, learned, warnings);
          }
        } else {
          ipfixTemplates(b, body, setEnd, store, domain, setId, learned, warnings);
        }
      } else if (setId >= 256) {
        TemplateKey key = new TemplateKey(version, domain, setId);
        Template t = store.get(key);
        if (t == null) {
          byte[] copy = new byte[setLength - 4];
          b.get(body, copy);
          pending.add(new PendingSet(version, domain, setId, exportMillis, uptime, sequence, copy));
        } else {
          int before = records.size();
          decodeRecords(b, body, setEnd, t, h, records);
          if (t.options()) {
            for (int i = before; i < records.size(); i++) {
              sampling = Math.max(sampling, samplingOf(records.get(i)));
            }
          }
        }
      } else {
        warnings.add("set id " + setId + " at offset " + pos + " is reserved; skipped");
      }
      pos = setEnd;
    }
    if (pos < end && !allZero(b, pos, end)) {
      warnings.add((end - pos) + " bytes after the last set ignored");
    }
    return new NetflowMessage(
        version,
        sequence,
        domain,
        exportMillis,
        uptime,
        sampling,
        records,
        pending,
        learned,
        warnings);
  }

  private static long samplingOf(FlowRecord r) {
    for (String k :
        new String[] {
          "netflow.samplingInterval",
          "netflow.samplerRandomInterval",
          "netflow.samplingPacketInterval"
        }) {
      if (r.get(k) instanceof Long v && v > 0) {
        return v;
      }
    }
    return 0;
  }

  /** RFC 3954 §5.2: template id, field count, then (type, length) pairs; padding may follow. */
  private void v9Templates(
      ByteBuffer b,
      int pos,
      int end,
      TemplateStore store,
      long domain,
      List<TemplateKey> learned,
      List<String> warnings)
      throws NetflowDecodeException {
    while (end - pos >= 4) {
      int id = u16(b, pos);
      int count = u16(b, pos + 2);
      if (id < 256) {
        if (id == 0 && count == 0) {
          return; // padding
        }
        throw new NetflowDecodeException(
            "v9 template id " + id + " at offset " + pos + " is below 256");
      }
      int need = 4 + count * 4;
      if (need > end - pos) {
        throw new NetflowDecodeException(
            "v9 template "
                + id
                + " has "
                + count
                + " fields but its set holds "
                + (end - pos - 4)
                + " bytes");
      }
      List<FieldSpec> fields = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int at = pos + 4 + i * 4;
        fields.add(InformationElements.v9Spec(u16(b, at), u16(b, at + 2)));
      }
      keep(
          store,
          new TemplateKey(9, domain, id),
          Template.of(id, false, 0, fields),
          learned,
          warnings);
      pos += need;
    }
  }

  /**
   * RFC 3954 §6.1: template id, scope length and option length in bytes, the scope (type, length)
   * pairs, the option pairs, then padding to 4 bytes.
   */
  private void v9OptionTemplates(
      ByteBuffer b,
      int pos,
      int end,
      TemplateStore store,
      long domain,
      List<TemplateKey> learned,
      List<String> warnings)
      throws NetflowDecodeException {
    while (end - pos >= 6) {
      int id = u16(b, pos);
      int scopeLength = u16(b, pos + 2);
      int optionLength = u16(b, pos + 4);
      if (id < 256) {
        if (id == 0) {
          return; // padding
        }
        throw new NetflowDecodeException(
            "v9 options template id " + id + " at offset " + pos + " is below 256");
      }
      if (scopeLength % 4 != 0 || optionLength % 4 != 0) {
        throw new NetflowDecodeException(
            "v9 options template "
                + id
                + " has scope length "
                + scopeLength
                + " and option length "
                + optionLength
                + ", not multiples of 4");
      }
      int need = 6 + scopeLength + optionLength;
      if (need > end - pos) {
        throw new NetflowDecodeException(
            "v9 options template "
                + id
                + " needs "
                + need
                + " bytes but its set holds "
                + (end - pos));
      }
      List<FieldSpec> fields = new ArrayList<>((scopeLength + optionLength) / 4);
      int at = pos + 6;
      for (int i = 0; i < scopeLength / 4; i++, at += 4) {
        fields.add(v9Scope(u16(b, at), u16(b, at + 2)));
      }
      for (int i = 0; i < optionLength / 4; i++, at += 4) {
        fields.add(InformationElements.v9Spec(u16(b, at), u16(b, at + 2)));
      }
      keep(
          store,
          new TemplateKey(9, domain, id),
          Template.of(id, true, scopeLength / 4, fields),
          learned,
          warnings);
      pos += need;
    }
  }

  /** v9 scope field types (RFC 3954 §6.1) are their own numbering, not IANA elements. */
  private static FieldSpec v9Scope(int type, int length) {
    String name =
        switch (type) {
          case 1 -> "scopeSystem";
          case 2 -> "scopeInterface";
          case 3 -> "scopeLineCard";
          case 4 -> "scopeCache";
          case 5 -> "scopeTemplate";
          default -> "scope" + type;
        };
    return new FieldSpec(-2, type, length, FieldType.UNSIGNED, "netflow." + name);
  }

  /**
   * RFC 7011 §3.4.1/§3.4.2: template id, field count, [scope field count], then field specifiers
   * (id with the enterprise bit, length, [enterprise number]). A field count of 0 withdraws the
   * template (§8.1); template id 2 or 3 with count 0 withdraws all of that kind.
   */
  private void ipfixTemplates(
      ByteBuffer b,
      int pos,
      int end,
      TemplateStore store,
      long domain,
      int setId,
      List<TemplateKey> learned,
      List<String> warnings)
      throws NetflowDecodeException {
    boolean options = setId == 3;
    while (end - pos >= 4) {
      int id = u16(b, pos);
      int count = u16(b, pos + 2);
      if (count == 0) {
        if (id == setId) {
          store.removeAll(10, domain, options);
        } else if (id >= 256) {
          store.remove(new TemplateKey(10, domain, id));
        } else if (id == 0) {
          return; // padding
        } else {
          throw new NetflowDecodeException(
              "IPFIX withdrawal of template id " + id + " at offset " + pos);
        }
        pos += 4;
        continue;
      }
      if (id < 256) {
        throw new NetflowDecodeException(
            "IPFIX template id " + id + " at offset " + pos + " is below 256");
      }
      int at = pos + 4;
      int scopeCount = 0;
      if (options) {
        if (end - at < 2) {
          throw new NetflowDecodeException(
              "IPFIX options template " + id + " lacks its scope field count");
        }
        scopeCount = u16(b, at);
        at += 2;
        if (scopeCount == 0 || scopeCount > count) {
          throw new NetflowDecodeException(
              "IPFIX options template "
                  + id
                  + " has scope field count "
                  + scopeCount
                  + " of "
                  + count
                  + " fields");
        }
      }
      if (count * 4 > end - at) {
        throw new NetflowDecodeException(
            "IPFIX template "
                + id
                + " has "
                + count
                + " fields but its set holds "
                + (end - at)
                + " bytes");
      }
      List<FieldSpec> fields = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        if (end - at < 4) {
          throw new NetflowDecodeException(
              "IPFIX template " + id + " field " + i + " runs past its set");
        }
        int element = u16(b, at);
        int length = u16(b, at + 2);
        at += 4;
        long enterprise = 0;
        if ((element & 0x8000) != 0) {
          if (end - at < 4) {
            throw new NetflowDecodeException(
                "IPFIX template " + id + " field " + i + " lacks its enterprise number");
          }
          enterprise = u32(b, at);
          element &= 0x7FFF;
          at += 4;
        }
        fields.add(InformationElements.ipfixSpec(enterprise, element, length));
      }
      keep(
          store,
          new TemplateKey(10, domain, id),
          Template.of(id, options, scopeCount, fields),
          learned,
          warnings);
      pos = at;
    }
  }

  private static void keep(
      TemplateStore store,
      TemplateKey key,
      Template t,
      List<TemplateKey> learned,
      List<String> warnings) {
    if (t.minRecordLength() == 0) {
      warnings.add("template " + key.templateId() + " describes empty records; ignored");
      return;
    }
    if (!t.equals(store.get(key))) {
      store.put(key, t);
      learned.add(key);
    }
  }

  /** Data records back to back until fewer bytes remain than the smallest record (padding). */
  private void decodeRecords(
      ByteBuffer b, int pos, int end, Template t, Header h, List<FlowRecord> out)
      throws NetflowDecodeException {
    int min = t.minRecordLength();
    List<FieldSpec> fields = t.fields();
    int n = fields.size();
    RecordLayout layout = t.layout();
    while (min > 0 && end - pos >= min) {
      Object[] f = new Object[layout.size()];
      ecs.reset(b);
      for (int i = 0; i < n; i++) {
        FieldSpec s = fields.get(i);
        int length = s.length();
        if (length == FieldSpec.VARIABLE) {
          if (pos >= end) {
            throw overrun(t, s, pos, end);
          }
          length = u8(b, pos++);
          if (length == 255) {
            if (end - pos < 2) {
              throw overrun(t, s, pos, end);
            }
            length = u16(b, pos);
            pos += 2;
          }
        }
        if (length > end - pos) {
          throw overrun(t, s, pos, end);
        }
        if (length > 0 && !(s.elementId() == PADDING_OCTETS && s.enterprise() == 0)) {
          Object v = FieldType.decode(s.type(), b, pos, length);
          f[layout.fieldSlot(i)] = v;
          if (s.enterprise() == 0) {
            ecs.note(s.elementId(), pos, length, v);
          }
        }
        pos += length;
      }
      f[RecordLayout.VERSION] = (long) h.version;
      f[RecordLayout.FLOWSET_ID] = (long) t.templateId();
      f[RecordLayout.OBSERVATION_DOMAIN_ID] = h.domainId;
      long endMillis = ecs.finish(f, t.options(), h.exportMillis, h.sysUptimeMillis);
      out.add(new FlowRecord(t.templateId(), t.options(), layout, f, endMillis));
    }
  }

  private static NetflowDecodeException overrun(Template t, FieldSpec s, int pos, int end) {
    return new NetflowDecodeException(
        "record of template "
            + t.templateId()
            + " overruns its set at field "
            + s.key()
            + " (offset "
            + pos
            + ", "
            + (end - pos)
            + " bytes left)");
  }

  private static boolean allZero(ByteBuffer b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  private static int u8(ByteBuffer b, int at) {
    return b.get(at) & 0xFF;
  }

  private static int u16(ByteBuffer b, int at) {
    return b.getShort(at) & 0xFFFF;
  }

  private static long u32(ByteBuffer b, int at) {
    return b.getInt(at) & 0xFFFFFFFFL;
  }
}
