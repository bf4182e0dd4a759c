package org.vigil.correlation.source;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.vigil.model.Envelope;
import org.vigil.model.Payloads;
import org.vigil.model.Protocol;
import org.vigil.model.Transport;

class RawRecordDeserializerTest {
  private static final Envelope ENVELOPE =
      new Envelope(Protocol.BEATS, Transport.TCP, "10.0.0.7", 51000, 1_700_000_000_000L, "c1");

  @Test
  void aRecordOfOnePayloadBecomesOneRawRecordAtIndexZero() {
    List<RawRecord> out = deserialize(record("{\"a\":1}".getBytes(UTF_8), true, null));

    assertThat(out).singleElement().satisfies(raw -> assertRaw(raw, 0, "{\"a\":1}"));
  }

  @Test
  void aRecordOfSeveralPayloadsBecomesOneRawRecordEachWithItsIndexAndTheEnvelope() {
    Payloads.Writer writer = new Payloads.Writer();
    writer.add("{\"a\":1}".getBytes(UTF_8));
    writer.add("{\"b\":2}".getBytes(UTF_8));
    writer.add("not json".getBytes(UTF_8));
    byte[] count = writer.countHeader();

    List<RawRecord> out = deserialize(record(writer.take(), true, count));

    assertThat(out).hasSize(3);
    assertRaw(out.get(0), 0, "{\"a\":1}");
    assertRaw(out.get(1), 1, "{\"b\":2}");
    assertRaw(out.get(2), 2, "not json");
  }

  @Test
  void aRecordWhosePayloadsCannotBeToldApartIsPassedOnWholeWithTheReason() {
    byte[] value = {0, 0, 0, 50, '{', '}'};

    List<RawRecord> out = deserialize(record(value, true, "1".getBytes(US_ASCII)));

    assertThat(out)
        .singleElement()
        .satisfies(
            raw -> {
              assertThat(raw.envelope).isNull();
              assertThat(raw.envelopeError).contains("payload 0 claims 50 bytes");
              assertThat(raw.value).isEqualTo(value);
              assertThat(raw.offset).isEqualTo(42);
            });
  }

  @Test
  void aRecordWithoutAnEnvelopeIsPassedOnWithTheReason() {
    List<RawRecord> out = deserialize(record("{}".getBytes(UTF_8), false, null));

    assertThat(out)
        .singleElement()
        .satisfies(
            raw -> {
              assertThat(raw.envelope).isNull();
              assertThat(raw.envelopeError).isEqualTo("missing envelope header vigil.protocol");
            });
  }

  private static void assertRaw(RawRecord raw, int index, String value) {
    assertThat(raw.topic).isEqualTo("vigil.raw.beats");
    assertThat(raw.partition).isEqualTo(3);
    assertThat(raw.offset).isEqualTo(42);
    assertThat(raw.index).isEqualTo(index);
    assertThat(new String(raw.value, UTF_8)).isEqualTo(value);
    assertThat(raw.envelope).isEqualTo(ENVELOPE);
    assertThat(raw.envelopeError).isNull();
  }

  private static ConsumerRecord<byte[], byte[]> record(
      byte[] value, boolean envelope, byte[] count) {
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>("vigil.raw.beats", 3, 42, new byte[0], value);
    if (envelope) {
      for (Map.Entry<String, byte[]> header : ENVELOPE.toHeaders().entrySet()) {
        record.headers().add(header.getKey(), header.getValue());
      }
    }
    if (count != null) {
      record.headers().add(Payloads.HEADER_COUNT, count);
    }
    return record;
  }

  private static List<RawRecord> deserialize(ConsumerRecord<byte[], byte[]> record) {
    List<RawRecord> out = new ArrayList<>();
    new RawRecordDeserializer().deserialize(record, new ListCollector<>(out));
    return out;
  }
}
