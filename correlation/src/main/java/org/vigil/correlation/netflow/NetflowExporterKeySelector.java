package org.vigil.correlation.netflow;

import org.apache.flink.api.java.functions.KeySelector;
import org.vigil.collectors.netflow.NetflowExporterKey;
import org.vigil.correlation.source.RawRecord;

/**
 * Keys raw NetFlow records by exporter, the same {@code address|family|domain} the collector wrote
 * as the Kafka key ({@link NetflowExporterKey}), computed again from the envelope and the header
 * because the source does not carry the Kafka key. Records without an envelope share one key; the
 * decode function dead-letters them.
 */
public final class NetflowExporterKeySelector implements KeySelector<RawRecord, String> {
  private static final long serialVersionUID = 1L;

  /** The key of records whose sender is unknown. */
  public static final String UNKNOWN = "unknown";

  @Override
  public String getKey(RawRecord raw) {
    if (raw.envelope == null || raw.value == null) {
      return UNKNOWN;
    }
    String address = raw.envelope.peerAddress();
    if (address.isEmpty() || address.indexOf('|') >= 0) {
      return UNKNOWN;
    }
    return NetflowExporterKey.of(address, raw.value).toString();
  }
}
