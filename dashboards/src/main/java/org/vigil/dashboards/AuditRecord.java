package org.vigil.dashboards;

import java.util.Map;

/** A stored audit record as the API shows it: the event plus its place in the chain. */
public record AuditRecord(
    long seq,
    String timestamp,
    String actor,
    String action,
    String target,
    String outcome,
    String clientAddress,
    Map<String, Object> details,
    String hash,
    String prevHash) {

  public AuditRecord {
    details = details == null ? Map.of() : details;
  }

  /** Reads a record as {@link AuditChain#record} stores it. */
  @SuppressWarnings("unchecked")
  static AuditRecord fromStored(Map<String, Object> stored) {
    Object seq = stored.get("seq");
    Object details = stored.get("details");
    return new AuditRecord(
        seq instanceof Number n ? n.longValue() : -1,
        (String) stored.get("@timestamp"),
        (String) stored.get("actor"),
        (String) stored.get("action"),
        (String) stored.get("target"),
        (String) stored.get("outcome"),
        (String) stored.get("client_address"),
        details instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(),
        (String) stored.get("hash"),
        (String) stored.get("prev_hash"));
  }
}
