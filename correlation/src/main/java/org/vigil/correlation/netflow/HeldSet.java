package org.vigil.correlation.netflow;

import java.util.Objects;
import org.vigil.collectors.netflow.PendingSet;

/**
 * A data set held in keyed state until its template arrives, with where its datagram sits in Kafka
 * (for the events' ids and for the dead letter if it times out), who sent it and when it was held.
 */
public record HeldSet(
    PendingSet set,
    String topic,
    int partition,
    long offset,
    long heldAtMillis,
    String exporterAddress,
    long receivedAtMillis) {

  public HeldSet {
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(exporterAddress, "exporterAddress");
  }
}
