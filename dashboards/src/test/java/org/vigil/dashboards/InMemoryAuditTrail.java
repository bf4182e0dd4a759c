package org.vigil.dashboards;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Audit records chained like the Elasticsearch trail's, in a list; tests may tamper with them. */
class InMemoryAuditTrail implements AuditTrail {
  private final List<Map<String, Object>> records = new ArrayList<>();
  private final List<AuditEvent> events = new ArrayList<>();

  @Override
  public synchronized long append(AuditEvent event) {
    long seq = records.size() + 1;
    String prev =
        records.isEmpty()
            ? AuditChain.GENESIS
            : (String) records.get(records.size() - 1).get("hash");
    records.add(AuditChain.record(seq, Instant.now().toString(), prev, event));
    events.add(event);
    return seq;
  }

  @Override
  public synchronized AuditVerification verify() {
    AuditChainVerifier verifier = new AuditChainVerifier();
    for (Map<String, Object> record : records) {
      if (!verifier.accept(record)) {
        break;
      }
    }
    return verifier.result();
  }

  @Override
  public synchronized AuditPage search(AuditQuery query) {
    List<AuditRecord> matching =
        records.stream()
            .map(AuditRecord::fromStored)
            .filter(r -> query.actor() == null || query.actor().equals(r.actor()))
            .filter(r -> query.action() == null || query.action().equals(r.action()))
            .filter(r -> query.target() == null || query.target().equals(r.target()))
            .filter(r -> query.from() == null || r.timestamp().compareTo(query.from()) >= 0)
            .filter(r -> query.to() == null || r.timestamp().compareTo(query.to()) <= 0)
            .sorted(Comparator.comparingLong(AuditRecord::seq).reversed())
            .toList();
    return new AuditPage(
        matching.size(), matching.stream().skip(query.offset()).limit(query.size()).toList());
  }

  synchronized List<AuditEvent> events() {
    return List.copyOf(events);
  }

  /** Overwrites a field of record {@code seq} without re-hashing, as an intruder would. */
  synchronized void tamper(long seq, String field, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(records.get((int) seq - 1));
    copy.put(field, value);
    records.set((int) seq - 1, copy);
  }

  synchronized void remove(long seq) {
    records.remove((int) seq - 1);
  }
}
