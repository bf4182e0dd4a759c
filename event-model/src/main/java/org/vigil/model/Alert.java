package org.vigil.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert: what a rule concluded about a group of events (one source, one user...) within a
 * suppression window. Times are epoch milliseconds.
 *
 * @param id deterministic: rule id, group key and window start (see {@link #idFor})
 * @param group the rule's group-by ECS fields and their values, e.g. {@code source.ip}
 * @param count how many evidence events the alert has absorbed so far
 * @param evidence ids of evidence event documents (capped; {@code count} is not)
 * @param evidenceCreated event time of the newest evidence
 * @param evidenceReceived when a collector received the newest evidence
 * @param detected when the rule fired for the newest evidence
 * @param riskScore 0-100: the rule's severity score weighed by the criticality of the asset at
 *     stake (Elastic Security's approach), so that the same rule ranks higher on a domain
 *     controller than on a kiosk; indexed as {@code vigil.alert.risk_score} and ECS {@code
 *     event.risk_score}
 */
public record Alert(
    String id,
    String ruleId,
    String ruleName,
    int ruleVersion,
    String ruleset,
    String description,
    Severity severity,
    String techniqueId,
    Map<String, String> group,
    long count,
    long firstSeen,
    long lastSeen,
    List<String> evidence,
    String organizationId,
    AlertStatus status,
    Resolution resolution,
    String assignee,
    long evidenceCreated,
    long evidenceReceived,
    long detected,
    String message,
    int riskScore) {

  /** Fields the analysts own: the correlation job sets them on creation and never again. */
  public static final List<String> TRIAGE_FIELDS =
      List.of("vigil.alert.status", "vigil.alert.resolution", "vigil.alert.assignee");

  public Alert {
    group = group == null ? Map.of() : new TreeMap<>(group);
    evidence = evidence == null ? List.of() : List.copyOf(evidence);
    status = status == null ? AlertStatus.NEW : status;
    if (riskScore < 0 || riskScore > 100) {
      throw new IllegalArgumentException("risk score " + riskScore + " is outside 0-100");
    }
  }

  /** An alert whose risk score is its severity's score: no asset criticality is known. */
  public Alert(
      String id,
      String ruleId,
      String ruleName,
      int ruleVersion,
      String ruleset,
      String description,
      Severity severity,
      String techniqueId,
      Map<String, String> group,
      long count,
      long firstSeen,
      long lastSeen,
      List<String> evidence,
      String organizationId,
      AlertStatus status,
      Resolution resolution,
      String assignee,
      long evidenceCreated,
      long evidenceReceived,
      long detected,
      String message) {
    this(
        id,
        ruleId,
        ruleName,
        ruleVersion,
        ruleset,
        description,
        severity,
        techniqueId,
        group,
        count,
        firstSeen,
        lastSeen,
        evidence,
        organizationId,
        status,
        resolution,
        assignee,
        evidenceCreated,
        evidenceReceived,
        detected,
        message,
        severity == null ? 0 : severity.score());
  }

  /** This alert with another risk score (0-100). */
  public Alert withRiskScore(int score) {
    return new Alert(
        id,
        ruleId,
        ruleName,
        ruleVersion,
        ruleset,
        description,
        severity,
        techniqueId,
        group,
        count,
        firstSeen,
        lastSeen,
        evidence,
        organizationId,
        status,
        resolution,
        assignee,
        evidenceCreated,
        evidenceReceived,
        detected,
        message,
        score);
  }

  /**
   * The deterministic id of the alert a rule raises for a group in the window starting then. The
   * ruleset is part of it: two rulesets may each have a rule of the same id, and their alerts must
   * not overwrite each other.
   */
  public static String idFor(
      String ruleset, String ruleId, Map<String, String> group, long windowStart) {
    List<String> parts = new ArrayList<>();
    parts.add(ruleset);
    parts.add(ruleId);
    new TreeMap<>(group).forEach((k, v) -> parts.add(k + "=" + v));
    parts.add(Long.toString(windowStart));
    return Ids.of(parts.toArray(String[]::new));
  }

  /** The whole document, as first indexed. */
  public Map<String, Object> toDocument() {
    Map<String, Object> flat = new LinkedHashMap<>();
    flat.put("@timestamp", Documents.isoTime(detected));
    flat.put("event.kind", "alert");
    flat.put("event.severity", severity.score());
    flat.put("event.risk_score", riskScore);
    flat.put("message", message);
    flat.put("rule.id", ruleId);
    flat.put("rule.name", ruleName);
    flat.put("rule.version", Integer.toString(ruleVersion));
    flat.put("rule.ruleset", ruleset);
    flat.put("rule.description", description);
    if (techniqueId != null) {
      flat.put("threat.framework", "MITRE ATT&CK");
      flat.put("threat.technique.id", techniqueId);
    }
    flat.putAll(group);
    flat.put("organization.id", organizationId);
    flat.put("vigil.alert.severity", severity.wireName());
    flat.put("vigil.alert.status", status.wireName());
    flat.put("vigil.alert.resolution", resolution == null ? null : resolution.wireName());
    flat.put("vigil.alert.assignee", assignee);
    flat.put("vigil.alert.risk_score", riskScore);
    flat.put("vigil.alert.count", count);
    flat.put("vigil.alert.first_seen", Documents.isoTime(firstSeen));
    flat.put("vigil.alert.last_seen", Documents.isoTime(lastSeen));
    flat.put("vigil.alert.evidence", evidence);
    flat.put("vigil.alert.group_key", groupKey(group));
    flat.put("vigil.latency.created", Documents.isoTime(evidenceCreated));
    flat.put("vigil.latency.received", Documents.isoTime(evidenceReceived));
    flat.put("vigil.latency.detected", Documents.isoTime(detected));
    return Documents.nest(flat);
  }

  /** The document without the triage fields: what the job may write over an existing alert. */
  public Map<String, Object> toUpdateDocument() {
    Map<String, Object> doc = toDocument();
    @SuppressWarnings("unchecked")
    Map<String, Object> vigilAlert =
        (Map<String, Object>) ((Map<String, Object>) doc.get("vigil")).get("alert");
    vigilAlert.remove("status");
    vigilAlert.remove("resolution");
    vigilAlert.remove("assignee");
    return doc;
  }

  /** A readable, stable key for a group: {@code source.ip=203.0.113.9}. */
  public static String groupKey(Map<String, String> group) {
    if (group.size() == 1) {
      Map.Entry<String, String> only = group.entrySet().iterator().next();
      return groupKey(only.getKey(), only.getValue());
    }
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(group)
        .forEach(
            (k, v) -> {
              if (sb.length() > 0) {
                sb.append(',');
              }
              sb.append(groupKey(k, v));
            });
    return sb.toString();
  }

  /**
   * The key of a group of one field, as {@link #groupKey(Map)} writes it; the router asks it for
   * every event and rule grouped by one field, without building a map.
   */
  public static String groupKey(String field, String value) {
    return field + "=" + value;
  }

  /**
   * Reads an alert document back, as the dashboards do. Group fields are recovered from {@code
   * vigil.alert.group_key}.
   */
  public static Alert fromDocument(String id, Map<String, Object> source) {
    Map<String, String> group = new LinkedHashMap<>();
    String groupKey = str(source, "vigil.alert.group_key");
    if (groupKey != null && !groupKey.isEmpty()) {
      for (String pair : groupKey.split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          group.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    String version = str(source, "rule.version");
    String status = str(source, "vigil.alert.status");
    String resolution = str(source, "vigil.alert.resolution");
    String severity = str(source, "vigil.alert.severity");
    Object evidence = Documents.get(source, "vigil.alert.evidence");
    Severity level = severity == null ? Severity.MEDIUM : Severity.fromWireName(severity);
    // Alerts indexed before risk scores existed rank by their severity alone.
    Object risk = Documents.get(source, "vigil.alert.risk_score");
    List<String> evidenceIds = new ArrayList<>();
    if (evidence instanceof Collection<?> c) {
      c.forEach(e -> evidenceIds.add(String.valueOf(e)));
    }
    return new Alert(
        id,
        str(source, "rule.id"),
        str(source, "rule.name"),
        version == null ? 0 : Integer.parseInt(version),
        str(source, "rule.ruleset"),
        str(source, "rule.description"),
        level,
        str(source, "threat.technique.id"),
        group,
        num(source, "vigil.alert.count"),
        time(source, "vigil.alert.first_seen"),
        time(source, "vigil.alert.last_seen"),
        evidenceIds,
        str(source, "organization.id"),
        status == null ? AlertStatus.NEW : AlertStatus.fromWireName(status),
        resolution == null ? null : Resolution.fromWireName(resolution),
        str(source, "vigil.alert.assignee"),
        time(source, "vigil.latency.created"),
        time(source, "vigil.latency.received"),
        time(source, "vigil.latency.detected"),
        str(source, "message"),
        risk == null ? level.score() : (int) num(source, "vigil.alert.risk_score"));
  }

  private static String str(Map<String, Object> source, String path) {
    Object v = Documents.get(source, path);
    return v == null ? null : v.toString();
  }

  private static long num(Map<String, Object> source, String path) {
    Object v = Documents.get(source, path);
    return v instanceof Number n ? n.longValue() : v == null ? 0 : Long.parseLong(v.toString());
  }

  private static long time(Map<String, Object> source, String path) {
    Object v = Documents.get(source, path);
    return v == null ? 0 : java.time.Instant.parse(v.toString()).toEpochMilli();
  }
}
