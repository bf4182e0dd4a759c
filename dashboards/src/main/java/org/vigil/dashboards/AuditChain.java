package org.vigil.dashboards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How audit records are chained: each record's {@code hash} is the SHA-256 of its own canonical
 * JSON (keys sorted, without {@code hash}), and that JSON holds the previous record's hash as
 * {@code prev_hash}. Changing, removing or inserting any record breaks every later link.
 */
final class AuditChain {
  /** The {@code prev_hash} of the first record. */
  static final String GENESIS = "0".repeat(64);

  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private AuditChain() {}

  /**
   * The record's hash over everything but its {@code hash} field. Null fields are left out: the
   * Elasticsearch client drops them when it stores a record, so they are absent when it is read
   * back to be verified.
   */
  static String hash(Map<String, Object> record) {
    Map<String, Object> content = new LinkedHashMap<>(record);
    content.remove("hash");
    content.values().removeIf(Objects::isNull);
    try {
      byte[] json = CANONICAL.writeValueAsBytes(content);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("audit record is not serialisable: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM lacks SHA-256", e);
    }
  }

  /** The stored record for {@code event}: sequence {@code seq}, linked to {@code prevHash}. */
  static Map<String, Object> record(long seq, String timestamp, String prevHash, AuditEvent event) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("seq", seq);
    record.put("@timestamp", timestamp);
    record.put("actor", event.actor());
    record.put("action", event.action());
    record.put("target", event.target());
    record.put("outcome", event.outcome());
    record.put("client_address", event.clientAddress());
    record.put("details", event.details());
    record.put("prev_hash", prevHash);
    record.put("hash", hash(record));
    return record;
  }
}
