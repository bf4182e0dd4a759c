package org.vigil.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  /**
   * What Elasticsearch alone did.
   *
   * @param sampled distinct documents read back, which the copies cycle through
   * @param sent copies sent
   * @param indexed copies counted in the scratch index afterwards
   * @param seconds from the first request sent to the last response
   */
  public record Result(int sampled, long sent, long indexed, double seconds) {
    public double rate() {
      return seconds <= 0 ? 0 : indexed / seconds;
    }

    public boolean complete() {
      return indexed == sent;
    }

    /** One line for a report's table. */
    public String line() {
      return String.format(
          Locale.ROOT,
          "elasticsearch alone: %,.0f documents/s (%d copies of %d documents this run indexed, in"
              + " %.2f s%s); the most this machine indexes of them%n",
          rate(),
          indexed,
          sampled,
          seconds,
          complete() ? "" : "; " + (sent - indexed) + " missing");
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
