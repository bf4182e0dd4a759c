package org.vigil.correlation.netflow;

import java.io.Serializable;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.vigil.collectors.netflow.FlowRecord;
import org.vigil.model.Documents;
import org.vigil.model.Event;

/**
 * Turns one decoded {@link FlowRecord} into an ECS {@link Event}: the decoder's fields as they are,
 * plus the exporter as {@code observer.ip}, the receive time, the event time and, when asked, the
 * sampling interval applied to {@code network.bytes} and {@code network.packets}. Pure; one per
 * task.
 *
 * <p>Event time is the flow's end, else the packet's export time. When it is further than {@code
 * maxClockSkew} from the receive time the exporter's clock is not trusted for correlation: the
 * receive time is used and the event tagged {@code clock_skew}, as for syslog, while {@code
 * event.start}/{@code event.end} keep the exporter's own times.
 */
public final class FlowEventBuilder implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String TAG_CLOCK_SKEW = "clock_skew";

  private final boolean applySampling;
  private final long maxClockSkewMillis;

  public FlowEventBuilder(boolean applySampling, Duration maxClockSkew) {
    this.applySampling = applySampling;
    this.maxClockSkewMillis = Objects.requireNonNull(maxClockSkew, "maxClockSkew").toMillis();
  }

  /**
   * @param id the deterministic document id
   * @param exporterAddress the sender of the datagram, for {@code observer.ip}
   * @param exportTimeMillis the packet header's export time
   * @param receivedAtMillis when the collector read the datagram
   * @param exporterSampling the exporter's last announced sampling interval, 0 when unknown; a
   *     record's own sampling interval wins over it
   */
  public Event build(
      FlowRecord record,
      String id,
      String exporterAddress,
      long exportTimeMillis,
      long receivedAtMillis,
      long exporterSampling) {
    Event event = new Event(id, 0);
    Map<String, Object> fields = event.getFields();
    record.forEach(fields::put);
    fields.put("observer.ip", exporterAddress);
    fields.put("event.ingested", Documents.isoTime(receivedAtMillis));
    if (!record.options()) {
      applySampling(fields, exporterSampling);
    }
    long deviceTime = deviceTime(record, exportTimeMillis);
    if (deviceTime == Long.MIN_VALUE) {
      event.setTimestamp(receivedAtMillis);
    } else if (Math.abs(deviceTime - receivedAtMillis) > maxClockSkewMillis) {
      event.setTimestamp(receivedAtMillis);
      event.put("event.created", Documents.isoTime(deviceTime));
      event.addTo("tags", TAG_CLOCK_SKEW);
    } else {
      event.setTimestamp(deviceTime);
    }
    return event;
  }

  private void applySampling(Map<String, Object> fields, long exporterSampling) {
    long interval = positive(fields.get("netflow.samplingInterval"));
    if (interval == 0) {
      interval = positive(fields.get("netflow.samplerRandomInterval"));
    }
    if (interval == 0) {
      interval = exporterSampling;
    }
    if (interval <= 1 || !applySampling) {
      return;
    }
    // Says that network.* are estimates, and by what factor, next to the exported netflow.* counts.
    fields.put("netflow.samplingApplied", interval);
    scale(fields, "network.bytes", interval);
    scale(fields, "network.packets", interval);
  }

  private static void scale(Map<String, Object> fields, String name, long interval) {
    Object v = fields.get(name);
    if (v instanceof Long l) {
      try {
        fields.put(name, Math.multiplyExact(l, interval));
      } catch (ArithmeticException e) {
        fields.put(name, BigInteger.valueOf(l).multiply(BigInteger.valueOf(interval)));
      }
    } else if (v instanceof BigInteger b) {
      fields.put(name, b.multiply(BigInteger.valueOf(interval)));
    }
  }

  private static long positive(Object v) {
    return v instanceof Long l && l > 0 ? l : 0;
  }

  private static long deviceTime(FlowRecord record, long exportTimeMillis) {
    if (record.endMillis() != Long.MIN_VALUE) {
      return record.endMillis();
    }
    return exportTimeMillis > 0 ? exportTimeMillis : Long.MIN_VALUE;
  }
}
