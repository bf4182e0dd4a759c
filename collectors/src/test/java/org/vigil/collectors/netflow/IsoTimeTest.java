package org.vigil.collectors.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoTimeTest {

  @Test
  void formatsLikeTheJdkWithMillisecondsAlwaysShown() {
    Random random = new Random(1);
    for (int i = 0; i < 100_000; i++) {
      long millis = random.nextLong() % 253_402_300_799_999L;
      Instant t = Instant.ofEpochMilli(millis);
      String expected =
          t.truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", "")
              + String.format(".%03dZ", Math.floorMod(millis, 1000L));
      if (t.getEpochSecond() >= -62_167_219_200L) {
        assertThat(IsoTime.format(millis)).as("%d", millis).isEqualTo(expected);
      }
    }
    assertThat(IsoTime.format(0)).isEqualTo("1970-01-01T00:00:00.000Z");
    assertThat(IsoTime.format(1_478_866_159_000L)).isEqualTo("2016-11-11T12:09:19.000Z");
  }
}
