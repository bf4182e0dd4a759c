package org.vigil.model;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PayloadsTest {
  @Test
  void aRecordWithoutTheHeaderIsOnePayload() {
    byte[] value = "{\"message\":\"one\"}".getBytes(UTF_8);
    assertThat(Payloads.split(value, null)).containsExactly(value);
  }

  @Test
  void countsOneForARecordWithoutTheHeader() {
    assertThat(Payloads.count(null)).isEqualTo(1);
    assertThat(Payloads.count("12".getBytes(US_ASCII))).isEqualTo(12);
  }

  @Test
  void splitsWhatTheWriterWrote() {
    Payloads.Writer writer = new Payloads.Writer();
    List<String> sent = List.of("{\"a\":1}", "", "{\"b\":\"é\"}");
    for (String payload : sent) {
      writer.add(payload.getBytes(UTF_8));
    }
    assertThat(writer.count()).isEqualTo(3);
    byte[] header = writer.countHeader();
    assertThat(new String(header, US_ASCII)).isEqualTo("3");

    List<String> read =
        Payloads.split(writer.take(), header).stream().map(p -> new String(p, UTF_8)).toList();

    assertThat(read).isEqualTo(sent);
  }

  @Test
  void takeStartsTheNextRecordInTheSameWriter() {
    Payloads.Writer writer = new Payloads.Writer();
    writer.add(new byte[100]);
    writer.take();
    assertThat(writer.count()).isZero();
    assertThat(writer.sizeWith(3)).isEqualTo(7);

    writer.add(new byte[] {1, 2, 3});
    byte[] value = writer.take();

    assertThat(value).containsExactly(0, 0, 0, 3, 1, 2, 3);
    assertThat(Payloads.split(value, "1".getBytes(US_ASCII))).containsExactly(new byte[] {1, 2, 3});
  }

  @Test
  void refusesAValueShorterThanItsCount() {
    byte[] value = written(new byte[] {7});
    assertThatThrownBy(() -> Payloads.split(value, "2".getBytes(US_ASCII)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 announced, the value ends after 1");
  }

  @Test
  void refusesALengthBeyondTheValue() {
    byte[] value = {0, 0, 0, 9, 1, 2};
    assertThatThrownBy(() -> Payloads.split(value, "1".getBytes(US_ASCII)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("payload 0 claims 9 bytes, 2 remain");
    byte[] huge = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(() -> Payloads.split(huge, "1".getBytes(US_ASCII)))
        .hasMessageContaining("claims 4294967295 bytes");
  }

  @Test
  void refusesBytesAfterTheLastPayload() {
    byte[] value = Arrays.copyOf(written(new byte[] {7}), 6);
    assertThatThrownBy(() -> Payloads.split(value, "1".getBytes(US_ASCII)))
        .hasMessageContaining("1 bytes after the 1 announced payloads");
  }

  @Test
  void refusesACountThatIsNotAPositiveNumber() {
    byte[] value = written(new byte[] {7});
    for (String count : List.of("0", "-1", "x", "")) {
      assertThatThrownBy(() -> Payloads.split(value, count.getBytes(US_ASCII)))
          .as(count)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(Payloads.HEADER_COUNT);
    }
  }

  @Test
  void randomGarbageIsRefusedOrSplitNeverThrowsAnythingElse() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 10_000; i++) {
      byte[] value = new byte[random.nextInt(40)];
      for (int j = 0; j < value.length; j++) {
        value[j] = (byte) (random.nextBoolean() ? 0 : random.nextInt(256));
      }
      byte[] count = Integer.toString(1 + random.nextInt(4)).getBytes(US_ASCII);
      try {
        int total = Payloads.split(value, count).stream().mapToInt(p -> 4 + p.length).sum();
        assertThat(total).isEqualTo(value.length);
      } catch (IllegalArgumentException expected) {
        assertThat(expected).hasMessageStartingWith("malformed");
      }
    }
  }

  private static byte[] written(byte[]... payloads) {
    Payloads.Writer writer = new Payloads.Writer();
    for (byte[] p : payloads) {
      writer.add(p);
    }
    return writer.take();
  }
}
