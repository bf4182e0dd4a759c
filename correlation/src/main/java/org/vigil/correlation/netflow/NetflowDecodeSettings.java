package org.vigil.correlation.netflow;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How the NetFlow/IPFIX decode stage keeps its per-exporter state.
 *
 * @param templateTtl a template not re-sent for this long is forgotten; exporters resend templates
 *     every few minutes (RFC 7011 §8.4 asks UDP exporters to), so a day keeps state bounded for
 *     exporters that went away without dropping templates of slow ones
 * @param maxPendingSets data sets held per exporter while their template is unknown; more are
 *     dead-lettered
 * @param pendingTimeout how long a data set waits for its template before it is dead-lettered
 * @param applySampling multiply {@code network.bytes} and {@code network.packets} by the exporter's
 *     sampling interval (1 in N packets); the exported values stay under {@code netflow.*}
 * @param maxSequenceGap a forward jump of the sequence number larger than this is taken for an
 *     exporter restart, not for loss, and resets the expected sequence
 * @param outOfOrderness how far behind the newest flow a flow may arrive and still be in time for
 *     its rule windows. A flow's time is its end, and exporters send a flow only once it has been
 *     idle for their inactive timeout (15 s on Cisco, 60 s and more on softflowd and pmacct) or at
 *     their expiry scan, so flows of several exporters arrive minutes out of order where syslog
 *     lines arrive seconds out of order; hence a bound of its own, 2 minutes by default.
 */
public record NetflowDecodeSettings(
    Duration templateTtl,
    int maxPendingSets,
    Duration pendingTimeout,
    boolean applySampling,
    long maxSequenceGap,
    Duration outOfOrderness)
    implements Serializable {

  public NetflowDecodeSettings {
    Objects.requireNonNull(templateTtl, "templateTtl");
    Objects.requireNonNull(pendingTimeout, "pendingTimeout");
    Objects.requireNonNull(outOfOrderness, "outOfOrderness");
    if (templateTtl.isNegative() || templateTtl.isZero()) {
      throw new IllegalArgumentException("templateTtl must be positive: " + templateTtl);
    }
    if (pendingTimeout.isNegative() || pendingTimeout.isZero()) {
      throw new IllegalArgumentException("pendingTimeout must be positive: " + pendingTimeout);
    }
    if (maxPendingSets < 0) {
      throw new IllegalArgumentException("maxPendingSets must not be negative: " + maxPendingSets);
    }
    if (outOfOrderness.isNegative()) {
      throw new IllegalArgumentException("outOfOrderness must not be negative: " + outOfOrderness);
    }
    if (maxSequenceGap < 1) {
      throw new IllegalArgumentException("maxSequenceGap must be at least 1: " + maxSequenceGap);
    }
  }

  /** How late a flow may arrive and still be in time for its rule windows; see the class. */
  public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofMinutes(2);

  /**
   * 24 h templates, 1,000 sets for 10 minutes per exporter, sampling applied, gaps up to 2^20,
   * flows up to 2 minutes out of order.
   */
  public static NetflowDecodeSettings defaults() {
    return new NetflowDecodeSettings(
        Duration.ofHours(24),
        1000,
        Duration.ofMinutes(10),
        true,
        1L << 20,
        DEFAULT_OUT_OF_ORDERNESS);
  }

  public NetflowDecodeSettings withApplySampling(boolean apply) {
    return new NetflowDecodeSettings(
        templateTtl, maxPendingSets, pendingTimeout, apply, maxSequenceGap, outOfOrderness);
  }

  public NetflowDecodeSettings withPending(int maxSets, Duration timeout) {
    return new NetflowDecodeSettings(
        templateTtl, maxSets, timeout, applySampling, maxSequenceGap, outOfOrderness);
  }

  public NetflowDecodeSettings withTemplateTtl(Duration ttl) {
    return new NetflowDecodeSettings(
        ttl, maxPendingSets, pendingTimeout, applySampling, maxSequenceGap, outOfOrderness);
  }

  public NetflowDecodeSettings withOutOfOrderness(Duration bound) {
    return new NetflowDecodeSettings(
        templateTtl, maxPendingSets, pendingTimeout, applySampling, maxSequenceGap, bound);
  }
}
