package org.vigil.collectors.netflow;

import java.io.Serializable;

/**
 * A data set that arrived before its template (common after an exporter or collector restart, or
 * when templates and data reach different collector instances). It carries what decoding needs
 * later: the set body (without the 4-byte set header), the template it waits for and the header
 * times that make its timestamps absolute. The caller holds it for a bounded time and count and
 * calls {@link NetflowDecoder#decodePending} once the template is known.
 */
public record PendingSet(
    int version,
    long domainId,
    int templateId,
    long exportTimeMillis,
    long sysUptimeMillis,
    long sequenceNumber,
    byte[] body)
    implements Serializable {

  public TemplateKey templateKey() {
    return new TemplateKey(version, domainId, templateId);
  }
}
