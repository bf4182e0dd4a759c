package org.vigil.correlation.source;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.vigil.model.Envelope;

/**
 * Keeps the payload untouched and reads the envelope headers. A record without a valid envelope is
 * still passed on (with the reason) so that it is dead-lettered, not dropped.
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
    RawRecord raw =
        new RawRecord(
            record.topic(),
            record.partition(),
            record.offset(),
            record.value() == null ? new byte[0] : record.value(),
            null);
    try {
      raw.envelope =
          Envelope.fromHeaders(
              name -> {
                Header h = record.headers().lastHeader(name);
                return h == null ? null : h.value();
              });
    } catch (IllegalArgumentException e) {
      raw.envelopeError = e.getMessage();
    }
    out.collect(raw);
  }

  @Override
  public TypeInformation<RawRecord> getProducedType() {
    return TypeInformation.of(RawRecord.class);
  }
}
