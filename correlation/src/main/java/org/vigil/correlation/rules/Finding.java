package org.vigil.correlation.rules;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule's detection together with what the alert needs beyond it: when the newest evidence was
 * received (for latency stamps), its agency, and the criticality of the asset at stake (for the
 * risk score).
 */
public final class Finding implements Serializable {
  private static final long serialVersionUID = 1L;

  public String key;
  public String ruleId;
  public Map<String, String> group = new LinkedHashMap<>();
  public List<String> evidenceIds = new ArrayList<>();
  public long firstSeen;
  public long lastSeen;
  public long evidenceReceived;
  public long detected;
  public String organizationId;

  /** The triggering event's {@code vigil.asset.criticality} ({@code low..critical}), or null. */
  public String assetCriticality;

  public Finding() {}

  public String getKey() {
    return key;
  }
}
