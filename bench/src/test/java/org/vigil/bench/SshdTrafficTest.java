package org.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SshdTrafficTest {
  @Test
  void spreadsBurstsOfSixFailuresFromUniqueSourcesThroughTheRun() {
    SshdTraffic traffic = new SshdTraffic("abc123", 5_000, 42, Clock.systemUTC());
    assertThat(traffic.burstSources()).hasSize(5).doesNotHaveDuplicates();
    Map<String, Integer> failuresBySource = new HashMap<>();
    List<Integer> burstEnds = new ArrayList<>();
    for (int i = 0; i < traffic.count(); i++) {
      String line = traffic.line(i);
      assertThat(line).startsWith("<38>").contains(" bench-abc123 sshd[");
      if (line.contains("Failed password")) {
        String source = line.replaceAll(".* from (\\S+) port .*", "$1");
        failuresBySource.merge(source, 1, Integer::sum);
        assertThat(source).startsWith("198.1");
      } else {
        assertThat(line).contains("Accepted publickey for ").contains(" from 10.");
      }
      if (traffic.endsBurst(i)) {
        burstEnds.add(i);
      }
    }
    assertThat(failuresBySource).hasSize(5).allSatisfy((ip, n) -> assertThat(n).isEqualTo(6));
    assertThat(failuresBySource.keySet())
        .containsExactlyInAnyOrderElementsOf(traffic.burstSources());
    assertThat(burstEnds).containsExactly(999, 1999, 2999, 3999, 4999);
  }

  @Test
  void aRunTooShortForABurstIsAllBenign() {
    SshdTraffic traffic = new SshdTraffic("x1", 5, 1, Clock.systemUTC());
    assertThat(traffic.burstSources()).isEmpty();
    for (int i = 0; i < 5; i++) {
      assertThat(traffic.line(i)).contains("Accepted publickey");
      assertThat(traffic.endsBurst(i)).isFalse();
    }
  }

  @Test
  void differentSeedsDrawDifferentSources() {
    SshdTraffic a = new SshdTraffic("a", 100_000, 1, Clock.systemUTC());
    SshdTraffic b = new SshdTraffic("b", 100_000, 2, Clock.systemUTC());
    assertThat(a.burstSources()).hasSize(100).doesNotContainAnyElementsOf(b.burstSources());
  }
}
