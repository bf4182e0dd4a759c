package org.vigil.model;

/** The wire protocol a raw record arrived with; its Kafka topic follows from it. */
public enum Protocol {
  SYSLOG("vigil.raw.syslog"),
  NETFLOW("vigil.raw.netflow"),
  BEATS("vigil.raw.beats");

  private final String topic;

  Protocol(String topic) {
    this.topic = topic;
  }

  /** The Kafka topic that carries raw records of this protocol. */
  public String topic() {
    return topic;
  }

  /** Lower-case name, as written in envelope headers and documents. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Protocol fromWireName(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }
}
