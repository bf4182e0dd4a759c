package org.vigil.model;

/** Kafka topics shared by the collectors, the correlation job and the dashboards. */
public final class Topics {
  public static final String RAW_SYSLOG = Protocol.SYSLOG.topic();
  public static final String RAW_NETFLOW = Protocol.NETFLOW.topic();
  public static final String RAW_BEATS = Protocol.BEATS.topic();

  /** Compacted; one record per rule pack, keyed by pack id. */
  public static final String RULES = "vigil.rules";

  /**
   * Compacted; every rule release ever deployed, keyed {@code ruleset@version}, for {@code vigil
   * rules history} and {@code rollback} ({@link #RULES} keeps only the latest per ruleset).
   */
  public static final String RULES_HISTORY = "vigil.rules.history";

  /** Records that could not be parsed, with the reason in a header. */
  public static final String DEADLETTER = "vigil.deadletter";

  private Topics() {}
}
