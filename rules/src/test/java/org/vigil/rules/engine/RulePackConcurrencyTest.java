package org.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;

/**
 * Subtasks of one JVM share a pack: several threads firing its rules for the first time at once
 * must all succeed (Drools defines generated classes lazily unless the pack defines them first).
 */
class RulePackConcurrencyTest {
  @Test
  void freshPackFiresInManyThreadsAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 10; round++) {
        RulePack pack = RulePack.compile("t", RulePack.builtInSources());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int thread = t;
          Callable<Integer> task =
              () -> {
                start.await();
                Event e =
                    new Event("e" + thread, 1_767_225_600_000L)
                        .put("threat.enrichments.matched.atomic", "198.51.100.66")
                        .addTo("tags", "threat_intel_match");
                return pack.evaluate("intel-indicator-match", List.of(e)).size();
              };
          results.add(pool.submit(task));
        }
        start.countDown();
        for (Future<Integer> r : results) {
          assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(1);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
