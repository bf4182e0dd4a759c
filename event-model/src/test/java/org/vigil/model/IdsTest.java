package org.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IdsTest {
  /**
   * Document ids must not change between versions: a record replayed after an upgrade has to
   * overwrite the document an older version wrote. The values are SHA-256 over "length:part" of
   * each part, worked out apart from this code.
   */
  @Test
  void idsStayWhatEarlierVersionsWrote() {
    assertThat(Ids.event("vigil.raw.syslog", 0, 42, 0))
        .isEqualTo("f724a142ec0fe90b2aba6c0524858148");
    assertThat(Ids.of("beats-file", "agent-1", "/var/log/auth.log", "1234", "é line"))
        .isEqualTo("7c2cb744390e4b6bc0ea6b495dfa76a0");
  }

  @Test
  void partsAreSeparatedUnambiguously() {
    assertThat(Ids.of("a:b", "c")).isEqualTo("1c2de18a3ef3c0cdcce3495f7903aff9");
    assertThat(Ids.of("a", "b:c")).isEqualTo("804536b63b049b4dcd2bcfedd2982e9b");
  }

  @Test
  void threadsHashingAtOnceGetTheIdsOneThreadGets() throws Exception {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      expected.add(Ids.event("t", i % 7, i, i % 3));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(
                () -> {
                  List<String> ids = new ArrayList<>();
                  for (int i = 0; i < 2_000; i++) {
                    ids.add(Ids.event("t", i % 7, i, i % 3));
                  }
                  return ids;
                }));
      }
      for (Future<List<String>> result : results) {
        assertThat(result.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
    Set<String> distinct = new HashSet<>(expected);
    assertThat(distinct).hasSize(2_000);
  }
}
