package org.vigil.correlation.source;

import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.vigil.model.Envelope;
import org.vigil.model.Payloads;

/**
 * Keeps the payloads untouched and reads the envelope headers, once per Kafka record. A record that
 * holds several payloads ({@link Payloads}) becomes one raw record per payload, each with its index
 * and the record's envelope. A record without a valid envelope, or whose payloads cannot be told
 * apart, is still passed on whole (with the reason) so that it is dead-lettered, not dropped.
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
    byte[] value = record.value() == null ? new byte[0] : record.value();
    Envelope envelope;
    List<byte[]> payloads;
    try {
      envelope = Envelope.fromHeaders(name -> header(record, name));
      payloads = Payloads.split(value, header(record, Payloads.HEADER_COUNT));
    } catch (IllegalArgumentException e) {
      RawRecord raw =
          new RawRecord(record.topic(), record.partition(), record.offset(), value, null);
      raw.envelopeError = e.getMessage();
      out.collect(raw);
      return;
    }
    for (int i = 0; i < payloads.size(); i++) {
      RawRecord raw =
          new RawRecord(
              record.topic(), record.partition(), record.offset(), payloads.get(i), envelope);
      raw.index = i;
      out.collect(raw);
    }
  }

  private static byte[] header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : h.value();
  }

  @Override
  public TypeInformation<RawRecord> getProducedType() {
    return TypeInformation.of(RawRecord.class);
  }
}
