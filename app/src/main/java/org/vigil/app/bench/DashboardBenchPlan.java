package org.vigil.app.bench;

import java.nio.file.Path;

/**
 * What {@code vigil bench dashboard} indexes and sends.
 *
 * @param dataDir where the run's systems keep their data; null for a temporary folder
 */
record DashboardBenchPlan(
    long events,
    int alerts,
    int agencies,
    int requests,
    int concurrency,
    String elasticsearchHeap,
    Path dataDir,
    boolean keep) {

  DashboardBenchPlan {
    if (events < 1 || alerts < 1) {
      throw new IllegalArgumentException("--events and --alerts must be at least 1");
    }
    if (agencies < 2 || agencies > 99) {
      throw new IllegalArgumentException(
          "--agencies must be 2..99: the bench compares a SOC-wide and an agency user");
    }
    if (requests < 1 || concurrency < 1 || concurrency > 64) {
      throw new IllegalArgumentException("--requests must be at least 1 and --concurrency 1..64");
    }
  }
}
