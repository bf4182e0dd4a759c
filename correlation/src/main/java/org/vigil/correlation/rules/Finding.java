package org.vigil.correlation.rules;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vigil.model.Severity;

/**
 * A rule's detection together with what the alert needs beyond it: when the newest evidence was
 * received (for latency stamps), its agency, the criticality of the asset at stake (for the risk
 * score), and the metadata of the rule version that raised it. The metadata travels with the
 * finding, so the alert stage needs no rule pack of its own and an alert always names the version
 * that decided, even while a new release is being swapped in.
 */
public final class Finding implements Serializable {
  private static final long serialVersionUID = 2L;

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

  public String ruleName;
  public int ruleVersion;
  public String ruleset;
  public String ruleDescription;
  public Severity severity;
  public String techniqueId;

  /** How long further findings of this group fold into one alert; 0 for none. */
  public long suppressionMillis;

  /** The release of the ruleset the rule came from (0 for the built-in pack). */
  public int packVersion;

  public Finding() {}

  public String getKey() {
    return key;
  }
}
