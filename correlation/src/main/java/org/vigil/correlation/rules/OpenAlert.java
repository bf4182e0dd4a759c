package org.vigil.correlation.rules;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The alert a rule and group currently have open, as kept in Flink state. */
public final class OpenAlert implements Serializable {
  private static final long serialVersionUID = 1L;

  public String id;
  public long windowStart;
  public long windowEnd;
  public Map<String, String> group = new LinkedHashMap<>();
  public long count;
  public long firstSeen = Long.MAX_VALUE;
  public long lastSeen = Long.MIN_VALUE;
  public List<String> evidence = new ArrayList<>();
  public String organizationId;

  /** The highest {@code vigil.asset.criticality} of the alert's findings so far, or null. */
  public String assetCriticality;

  public long evidenceCreated;
  public long evidenceReceived;
  public long detected;

  public OpenAlert() {}
}
