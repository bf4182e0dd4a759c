package org.vigil.correlation.source;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.vigil.model.Topics;

/** The original bytes as the value; where they came from and why they failed as headers. */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
  private static final long serialVersionUID = 1L;

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      DeadLetter letter, KafkaSinkContext context, Long timestamp) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(Topics.DEADLETTER, null, letter.failedAtMillis, null, letter.value);
    record.headers().add("vigil.deadletter.reason", utf8(letter.reason));
    record.headers().add("vigil.deadletter.topic", utf8(letter.topic));
    record.headers().add("vigil.deadletter.partition", utf8(Integer.toString(letter.partition)));
    record.headers().add("vigil.deadletter.offset", utf8(Long.toString(letter.offset)));
    record.headers().add("vigil.deadletter.index", utf8(Integer.toString(letter.index)));
    return record;
  }

  private static byte[] utf8(String s) {
    return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
  }
}
