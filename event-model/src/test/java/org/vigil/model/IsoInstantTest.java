package org.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantTest {
  @Test
  void readsWhatTheJdkReadsForEveryFractionLength() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) {
      // Years 0000 to 9999: every four-digit year the fast path takes.
      long seconds = random.nextLong(-62_167_219_200L, 253_402_300_800L);
      int nanos = random.nextInt(1_000_000_000);
      String full = Instant.ofEpochSecond(seconds, nanos).toString(); // 9, 6 or 3 digits or none
      for (int digits = 0; digits <= 9; digits++) {
        String text = withFraction(full, nanos, digits);
        assertThat(IsoInstant.parseMillis(text))
            .as(text)
            .isEqualTo(Instant.parse(text).toEpochMilli());
      }
    }
  }

  @Test
  void writesWhatTheJdkWrites() {
    SplittableRandom random = new SplittableRandom(43);
    for (int i = 0; i < 200_000; i++) {
      long millis =
          switch (i % 4) {
            // Years 0000 to 9999, the ones written here
            case 0 -> random.nextLong(-62_167_219_200_000L, 253_402_300_800_000L);
            // Near now, with whole seconds as often as not
            case 1 -> 1_700_000_000_000L + random.nextLong(1_000_000_000_000L);
            case 2 -> (1_700_000_000L + random.nextLong(1_000_000_000L)) * 1_000L;
            // Beyond, where the JDK writes a sign or more digits
            default -> random.nextLong(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2);
          };
      assertThat(IsoInstant.format(millis))
          .as("%d", millis)
          .isEqualTo(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis)));
    }
    for (long millis :
        List.of(
            0L,
            -1L,
            1L,
            999L,
            -62_167_219_200_000L,
            -62_167_219_200_001L,
            253_402_300_799_999L,
            253_402_300_800_000L,
            951_782_400_000L)) {
      assertThat(IsoInstant.format(millis))
          .as("%d", millis)
          .isEqualTo(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis)));
    }
  }

  @Test
  void writesMillisecondsAlwaysWhenAsked() {
    Random random = new Random(1);
    for (int i = 0; i < 100_000; i++) {
      long millis = random.nextLong() % 253_402_300_799_999L;
      Instant t = Instant.ofEpochMilli(millis);
      String expected =
          t.truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", "")
              + String.format(".%03dZ", Math.floorMod(millis, 1000L));
      if (t.getEpochSecond() >= -62_167_219_200L) {
        assertThat(IsoInstant.formatWithMillis(millis)).as("%d", millis).isEqualTo(expected);
      }
    }
    assertThat(IsoInstant.formatWithMillis(0)).isEqualTo("1970-01-01T00:00:00.000Z");
    assertThat(IsoInstant.formatWithMillis(1_478_866_159_000L))
        .isEqualTo("2016-11-11T12:09:19.000Z");
  }

  @Test
  void readsWhatItWrites() {
    SplittableRandom random = new SplittableRandom(44);
    for (int i = 0; i < 20_000; i++) {
      long millis = random.nextLong(-62_167_219_200_000L, 253_402_300_800_000L);
      assertThat(IsoInstant.parseMillis(IsoInstant.format(millis))).isEqualTo(millis);
    }
  }

  @Test
  void readsTheEdgesOfTheCalendar() {
    for (String text :
        List.of(
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999Z",
            "0000-01-01T00:00:00Z",
            "0000-02-29T12:00:00Z",
            "2000-02-29T23:59:59.5Z",
            "2024-02-29T00:00:00.000000001Z",
            "9999-12-31T23:59:59.999999999Z")) {
      assertThat(IsoInstant.parseMillis(text))
          .as(text)
          .isEqualTo(Instant.parse(text).toEpochMilli());
    }
  }

  @Test
  void leavesEveryOtherShapeToTheJdk() {
    for (String text :
        List.of(
            "2026-11-27T16:43:00+02:00", // an offset
            "2026-11-27T16:43:00.123-05:30",
            "2026-11-27T24:00:00Z", // the JDK reads it as the next midnight
            "2026-11-27T16:43:00.Z", // and this as no fraction
            "+12026-11-27T16:43:00Z")) { // a five-digit year
      assertThat(IsoInstant.parseMillis(text))
          .as(text)
          .isEqualTo(Instant.parse(text).toEpochMilli());
    }
  }

  @Test
  void refusesWhatTheJdkRefuses() {
    for (String text :
        List.of(
            "2026-02-29T00:00:00Z", // not a leap year
            "1900-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-27T16:60:00Z",
            "2026-11-27T16:43:00.1234567890Z",
            "2026-11-27T16:43:0xZ",
            "2026-11-27 16:43:00Z",
            "2026-11-27T16:43:00",
            "")) {
      assertThatThrownBy(() -> IsoInstant.parseMillis(text))
          .as(text)
          .isInstanceOf(DateTimeParseException.class);
    }
  }

  /** {@code full} (as Instant.toString wrote it) with exactly {@code digits} fraction digits. */
  private static String withFraction(String full, int nanos, int digits) {
    String base = full.substring(0, full.indexOf('T') + 9);
    if (digits == 0) {
      return base + "Z";
    }
    String nine = String.format("%09d", nanos);
    return base + "." + nine.substring(0, digits) + "Z";
  }
}
