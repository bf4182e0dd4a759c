package org.vigil.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.CommonStatsFlag;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.indices.stats.IndicesStats;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.vigil.elasticsearch.BulkBody;
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.model.Ids;

/**
 * Elasticsearch alone: documents a pipeline indexed, read back and bulk-indexed again into a
 * scratch index while nothing else works. What it measures is the most any pipeline could index of
 * these documents on this machine, the ceiling for an end-to-end figure measured beside it.
 *
 * <p>The copies are indexed the way Vigil's event sink indexes: through {@link
 * ElasticsearchClients#bulk}, {@value #BATCH} documents per bulk request, {@value #IN_FLIGHT}
 * requests in flight, each under an id made like an event's ({@link Ids#event}), so Elasticsearch
 * looks each one up as it does Vigil's. The scratch index's name must match the event index
 * template, so the copies are mapped like the originals.
 */
public final class ElasticsearchAlone {
  /** Documents per bulk request, as the event sink sends them. */
  public static final int BATCH = 1_000;

  /** Bulk requests in flight, as one event sink keeps. */
  public static final int IN_FLIGHT = 2;

  /** Elasticsearch returns at most this many hits to one search unless the index says otherwise. */
  public static final int MAX_SAMPLE = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Duration MERGE_POLL = Duration.ofMillis(500);

  /**
   * What Elasticsearch alone did.
   *
   * @param sampled distinct documents read back, which the copies cycle through
   * @param sent copies sent
   * @param indexed copies counted in the scratch index afterwards
   * @param seconds from the first request sent to the last response
   * @param elasticsearchCpuNanos CPU that Elasticsearch's processes used meanwhile, its JIT
   *     compilers' left out (a warm-up cost that a server running for hours no longer pays, so the
   *     figures below favour any pipeline measured beside them); -1 when not measured
   * @param cores the machine's cores, which Elasticsearch and any pipeline share; 0 when unknown
   */
  public record Result(
      int sampled, long sent, long indexed, double seconds, long elasticsearchCpuNanos, int cores) {

    /** Without Elasticsearch's CPU. */
    public Result(int sampled, long sent, long indexed, double seconds) {
      this(sampled, sent, indexed, seconds, -1, 0);
    }

    /** The same figures with Elasticsearch's CPU over them, on a machine of {@code cores}. */
    public Result withCpu(long elasticsearchCpuNanos, int cores) {
      return new Result(sampled, sent, indexed, seconds, elasticsearchCpuNanos, cores);
    }

    public double rate() {
      return seconds <= 0 ? 0 : indexed / seconds;
    }

    public boolean complete() {
      return indexed == sent;
    }

    /** Elasticsearch's CPU per document indexed, in microseconds, when measured. */
    public OptionalDouble cpuMicrosPerDocument() {
      return elasticsearchCpuNanos <= 0 || indexed <= 0
          ? OptionalDouble.empty()
          : OptionalDouble.of(elasticsearchCpuNanos / 1e3 / indexed);
    }

    /**
     * Documents per second that Elasticsearch's own CPU per document allows with every core of the
     * machine busy indexing and nothing else: a ceiling for any pipeline that indexes these
     * documents here, whatever its own cost.
     */
    public OptionalDouble cpuBoundRate() {
      OptionalDouble perDocument = cpuMicrosPerDocument();
      return perDocument.isEmpty() || cores <= 0
          ? OptionalDouble.empty()
          : OptionalDouble.of(cores * 1e6 / perDocument.getAsDouble());
    }

    /** One line for a report's table, and one for Elasticsearch's CPU when measured. */
    public String line() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "elasticsearch alone: %,.0f documents/s (%d copies of %d documents this run indexed,"
                  + " in %.2f s%s); the most this machine indexes of them%n",
              rate(),
              indexed,
              sampled,
              seconds,
              complete() ? "" : "; " + (sent - indexed) + " missing"));
      cpuBoundRate()
          .ifPresent(
              bound ->
                  sb.append(
                      String.format(
                          Locale.ROOT,
                          "  Elasticsearch's own CPU, its JIT compilers left out: %.1f us per"
                              + " document; %d cores busy with nothing else would index at most"
                              + " %,.0f of them per second%n",
                          cpuMicrosPerDocument().getAsDouble(),
                          cores,
                          bound)));
      return sb.toString();
    }

    /**
     * A line saying that an indexed-rate goal lies above {@link #cpuBoundRate}, so that no pipeline
     * reaches it on this machine with these documents; empty when the goal lies within it or the
     * CPU was not measured.
     */
    public String goalAboveBound(double goal) {
      OptionalDouble bound = cpuBoundRate();
      if (bound.isEmpty() || bound.getAsDouble() >= goal) {
        return "";
      }
      return String.format(
          Locale.ROOT,
          "  the goal of %,.0f/s lies above that: out of reach in this run, whatever the pipeline"
              + " costs%n",
          goal);
    }

    /** The same figures under {@code elasticsearchAlone} in a report's JSON. */
    public void putJson(ObjectNode root) {
      ObjectNode n = root.putObject("elasticsearchAlone");
      n.put("sampled", sampled);
      n.put("sent", sent);
      n.put("indexed", indexed);
      n.put("seconds", seconds);
      n.put("rate", Math.round(rate()));
      n.put("complete", complete());
      cpuMicrosPerDocument().ifPresent(us -> n.put("cpuMicrosPerDocument", us));
      cpuBoundRate()
          .ifPresent(
              bound -> {
                n.put("cores", cores);
                n.put("cpuBoundRate", Math.round(bound));
              });
    }
  }

  private final ElasticsearchClients clients;
  private final ElasticsearchClient client;

  public ElasticsearchAlone(ElasticsearchClients clients) {
    this.clients = clients;
    this.client = clients.client();
  }

  /**
   * Up to {@code max} documents that {@code query} finds in {@code index}, each as the JSON
   * Elasticsearch holds ({@code _source}).
   */
  public List<byte[]> sample(String index, Query query, int max) throws IOException {
    if (max < 1 || max > MAX_SAMPLE) {
      throw new IllegalArgumentException(
          "a sample is 1 to " + MAX_SAMPLE + " documents, not " + max);
    }
    List<Hit<ObjectNode>> hits =
        client
            .search(
                s -> s.index(index).query(query).size(max).trackTotalHits(t -> t.enabled(false)),
                ObjectNode.class)
            .hits()
            .hits();
    List<byte[]> sample = new ArrayList<>(hits.size());
    for (Hit<ObjectNode> hit : hits) {
      if (hit.source() != null) {
        sample.add(JSON.writeValueAsBytes(hit.source()));
      }
    }
    return sample;
  }

  /**
   * Waits until Elasticsearch runs no segment merge, or {@code max} has passed. The merges that the
   * measured run left behind would otherwise be counted in Elasticsearch's CPU for the copies: in
   * one Beats run they made a copy cost 64 us of it, against 38 us per document of the run itself.
   *
   * @return the merges still running when it stopped waiting, 0 when none
   */
  public long awaitMergesDone(Duration max) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      long running = runningMerges();
      if (running == 0 || System.nanoTime() - deadline >= 0) {
        return running;
      }
      Thread.sleep(MERGE_POLL.toMillis());
    }
  }

  private long runningMerges() throws IOException {
    IndicesStats all = client.indices().stats(s -> s.metric(CommonStatsFlag.Merge)).all();
    return all == null || all.total() == null || all.total().merges() == null
        ? 0
        : all.total().merges().current();
  }

  /**
   * Indexes {@code count} copies, cycling through {@code sample}, into {@code scratchIndex}, counts
   * them, and deletes the index. The index must not exist yet.
   *
   * @throws IllegalStateException when Elasticsearch refused a copy, saying why
   */
  public Result index(List<byte[]> sample, long count, String scratchIndex)
      throws IOException, InterruptedException {
    if (sample.isEmpty()) {
      throw new IllegalArgumentException("no documents to copy: the run indexed none");
    }
    if (count < 1) {
      throw new IllegalArgumentException("copies must be at least 1, not " + count);
    }
    if (client.indices().exists(e -> e.index(scratchIndex)).value()) {
      throw new IllegalArgumentException("scratch index " + scratchIndex + " exists already");
    }
    Semaphore slots = new Semaphore(IN_FLIGHT);
    AtomicReference<String> refused = new AtomicReference<>();
    try {
      long start = System.nanoTime();
      try {
        for (long first = 0; first < count && refused.get() == null; first += BATCH) {
          BulkBody body = body(sample, first, Math.min(count, first + BATCH), scratchIndex);
          slots.acquire();
          clients
              .bulk(body, false)
              .whenComplete(
                  (response, error) -> {
                    if (error != null) {
                      refused.compareAndSet(null, "bulk request failed: " + error);
                    } else if (response.errors()) {
                      refused.compareAndSet(null, firstError(response));
                    }
                    slots.release();
                  });
        }
      } finally {
        // Whatever happened, the requests in flight end before the index goes.
        slots.acquireUninterruptibly(IN_FLIGHT);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (refused.get() != null) {
        throw new IllegalStateException(
            "Elasticsearch refused a copy in " + scratchIndex + ": " + refused.get());
      }
      client.indices().refresh(r -> r.index(scratchIndex));
      long indexed = client.count(c -> c.index(scratchIndex)).count();
      return new Result(sample.size(), count, indexed, seconds);
    } finally {
      client.indices().delete(d -> d.index(scratchIndex).ignoreUnavailable(true));
    }
  }

  /** Copies {@code from} (inclusive) to {@code to} (exclusive), each with its own event id. */
  static BulkBody body(List<byte[]> documents, long from, long to, String index) {
    BulkBody body = new BulkBody((int) (to - from) * (documents.get(0).length + 100));
    for (long n = from; n < to; n++) {
      body.index(index, Ids.event(index, 0, n, 0), documents.get((int) (n % documents.size())));
    }
    return body;
  }

  static String firstError(BulkResponse response) {
    for (BulkResponseItem item : response.items()) {
      if (item.error() != null) {
        // The response filter keeps status and error but drops the id.
        return "HTTP " + item.status() + " " + item.error().type() + ": " + item.error().reason();
      }
    }
    return "the response says errors but no item has one";
  }
}
