package org.vigil.app.bench;

import co.elastic.clients.elasticsearch.core.CountRequest;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.vigil.bench.ElasticsearchAlone;
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.elasticsearch.Indices;

/**
 * The last step of an end-to-end phase: the documents the measured run indexed, copied into a
 * scratch event index by {@link ElasticsearchAlone} while the all-in-one idles. Its rate is the
 * ceiling for the phase's indexed rate on this machine, measured on the same Elasticsearch, with
 * the same mapping and the same documents.
 */
final class ElasticsearchAloneStep {
  /** Copies are as many as the run indexed, up to this many: enough for a steady rate. */
  static final long MAX_COPIES = 300_000;

  private static final int CPU_TOP = 6;

  /** How long the step waits for the run's segment merges to end before it starts. */
  private static final Duration MERGE_WAIT = Duration.ofSeconds(60);

  /** The name under which callers pass Elasticsearch's process in {@code children}. */
  static final String ELASTICSEARCH = "elasticsearch";

  private ElasticsearchAloneStep() {}

  /**
   * @param es the all-in-one's Elasticsearch
   * @param documents the count that found the measured run's documents
   * @param indexed how many the run indexed
   * @param children the processes whose CPU to report beside Vigil's, Elasticsearch's under {@value
   *     #ELASTICSEARCH}
   */
  static ElasticsearchAlone.Result run(
      ElasticsearchClients es,
      CountRequest documents,
      long indexed,
      Map<String, Long> children,
      PrintStream progress)
      throws Exception {
    long copies = Math.min(Math.max(indexed, 1), MAX_COPIES);
    ElasticsearchAlone alone = new ElasticsearchAlone(es);
    var sample =
        alone.sample(Indices.EVENTS_PATTERN, documents.query(), ElasticsearchAlone.MAX_SAMPLE);
    String scratch =
        "vigil-events-bench-alone-"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    progress.printf(
        Locale.ROOT,
        "e2e: Elasticsearch alone, %d copies of the run's %d documents into %s, %d per bulk"
            + " request, %d in flight%n",
        copies,
        sample.size(),
        scratch,
        ElasticsearchAlone.BATCH,
        ElasticsearchAlone.IN_FLIGHT);
    long merging = alone.awaitMergesDone(MERGE_WAIT);
    if (merging > 0) {
      progress.printf(
          Locale.ROOT,
          "note: %d segment merges of the run still going after %d s; their CPU counts below%n",
          merging,
          MERGE_WAIT.toSeconds());
    }
    ThreadCpuProfile cpu = ThreadCpuProfile.take(children);
    ElasticsearchAlone.Result measured = alone.index(sample, copies, scratch);
    ThreadCpuProfile after = ThreadCpuProfile.take(children);
    progress.print(after.since(cpu, CPU_TOP));
    progress.print(after.perItem(cpu, measured.indexed(), "document"));
    ElasticsearchAlone.Result result =
        measured.withCpu(
            after.processNanosWithoutJitSince(cpu, ELASTICSEARCH).orElse(-1),
            Runtime.getRuntime().availableProcessors());
    progress.print(result.line());
    return result;
  }
}
