package org.vigil.collectors.netflow;

import java.util.List;

/**
 * The result of decoding one export packet.
 *
 * <p>Sequence numbers differ by version: v5 counts flows, v9 counts export packets, IPFIX counts
 * data records (RFC 7011 §3.1). {@link #expectedNextSequence()} gives the number the next packet of
 * this exporter and domain should carry, so a caller can count the gap as lost packets or flows;
 * with pending sets in an IPFIX message it is too low by their record count.
 *
 * @param domainId v9 source id, IPFIX observation domain id, v5 engine type and id ({@code type <<
 *     8 | id})
 * @param exportTimeMillis the header's export time in epoch milliseconds
 * @param sysUptimeMillis the exporter's uptime at export (v5, v9), -1 for IPFIX
 * @param samplingInterval 1 in N packets sampled, from the v5 header or from options records in
 *     this packet (samplingInterval, samplerRandomInterval, samplingPacketInterval); 0 when this
 *     packet does not say
 * @param templatesLearned templates added by this packet: pending sets waiting for them can now be
 *     decoded
 * @param warnings tolerated oddities (unknown set ids, unusable templates), for counting
 */
public record NetflowMessage(
    int version,
    long sequenceNumber,
    long domainId,
    long exportTimeMillis,
    long sysUptimeMillis,
    long samplingInterval,
    List<FlowRecord> records,
    List<PendingSet> pending,
    List<TemplateKey> templatesLearned,
    List<String> warnings) {

  public long expectedNextSequence() {
    long next =
        switch (version) {
          case 9 -> sequenceNumber + 1;
          case 5 -> sequenceNumber + records.size();
          default -> sequenceNumber + records.size();
        };
    return next & 0xFFFFFFFFL;
  }
}
