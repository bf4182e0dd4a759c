package org.vigil.correlation.sink;

import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.DequeRequestBuffer;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.SimpleBatchCreator;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.correlation.sink.BulkRetryPolicy.Disposition;
import org.vigil.elasticsearch.BulkBody;
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.elasticsearch.ElasticsearchSettings;
import org.vigil.model.Documents;

/**
 * Sends buffered documents as bulk requests, each one body ({@link ElasticsearchClients#bulk}).
 * Items that fail for a passing reason go back to the buffer after a backoff; the wait runs on a
 * timer thread and the request counts as in flight until then, so a down cluster stops the writer
 * from taking more records instead of making it spin or sleep on a callback thread.
 */
final class ElasticsearchSinkWriter<InputT> extends AsyncSinkWriter<InputT, DocumentRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSinkWriter.class);
  private static final byte[] DOC_PREFIX = "{\"doc\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] UPSERT_INFIX = ",\"upsert\":".getBytes(StandardCharsets.UTF_8);

  /** How often Elasticsearch retries an alert's update when another write changed it meanwhile. */
  private static final int RETRY_ON_CONFLICT = 3;

  private final ElasticsearchClients clients;
  private final BulkRetryPolicy retryPolicy;
  private final boolean refreshAfterWrite;
  private final ScheduledExecutorService retryTimer;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final Counter rejected;
  private final Counter retried;
  private final Counter errorsOut;

  ElasticsearchSinkWriter(
      ElementConverter<InputT, DocumentRequest> converter,
      WriterInitContext context,
      AsyncSinkWriterConfiguration configuration,
      Collection<BufferedRequestState<DocumentRequest>> states,
      ElasticsearchSettings settings,
      BulkRetryPolicy retryPolicy,
      boolean refreshAfterWrite) {
    super(
        converter,
        context,
        configuration,
        states,
        new SimpleBatchCreator<>(configuration.getMaxBatchSizeInBytes()),
        new DequeRequestBuffer<>());
    this.retryPolicy = retryPolicy;
    this.refreshAfterWrite = refreshAfterWrite;
    this.clients = ElasticsearchClients.create(settings);
    this.retryTimer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "vigil-es-sink-retry");
              thread.setDaemon(true);
              return thread;
            });
    this.rejected = context.metricGroup().counter("vigilDocumentsRejected");
    this.retried = context.metricGroup().counter("vigilDocumentsRetried");
    this.errorsOut = context.metricGroup().getNumRecordsOutErrorsCounter();
  }

  @Override
  protected void submitRequestEntries(
      List<DocumentRequest> entries, ResultHandler<DocumentRequest> handler) {
    List<DocumentRequest> batch = lastPerDocument(entries);
    CompletableFuture<BulkResponse> response;
    try {
      response =
          clients.bulk(
              bulkBody(batch, Documents.isoTime(System.currentTimeMillis())), refreshAfterWrite);
    } catch (RuntimeException e) {
      response = CompletableFuture.failedFuture(e);
    }
    response.whenComplete(
        (result, error) -> {
          try {
            onResponse(batch, result, error, handler);
          } catch (RuntimeException e) {
            handler.completeExceptionally(e);
          }
        });
  }

  private void onResponse(
      List<DocumentRequest> batch,
      BulkResponse response,
      Throwable error,
      ResultHandler<DocumentRequest> handler) {
    if (error != null) {
      Throwable cause = BulkRetryPolicy.unwrap(error);
      if (BulkRetryPolicy.forFailure(cause) == Disposition.RETRY) {
        retryLater(batch, handler, cause.toString());
      } else {
        handler.completeExceptionally(
            new IOException("Elasticsearch refused a bulk request: " + cause, cause));
      }
      return;
    }
    List<BulkResponseItem> items = response.items();
    if (!response.errors()) {
      consecutiveFailures.set(0);
      handler.complete();
      return;
    }
    List<DocumentRequest> retry = new ArrayList<>();
    String retryReason = null;
    for (int i = 0; i < items.size() && i < batch.size(); i++) {
      BulkResponseItem item = items.get(i);
      DocumentRequest request = batch.get(i);
      Disposition disposition = BulkRetryPolicy.forItem(item.status(), request.kind());
      if (disposition == Disposition.RETRY) {
        retry.add(request);
        retryReason = item.status() + " " + describe(item.error());
      } else if (disposition != Disposition.DONE) {
        rejected.inc();
        errorsOut.inc();
        LOG.warn(
            "Elasticsearch rejected {} of {}/{} with {} {}; the document is dropped",
            request.kind(),
            request.index(),
            request.id(),
            item.status(),
            describe(item.error()));
      }
    }
    if (retry.isEmpty()) {
      consecutiveFailures.set(0);
      handler.complete();
    } else {
      retryLater(retry, handler, retryReason);
    }
  }

  private void retryLater(
      List<DocumentRequest> entries, ResultHandler<DocumentRequest> handler, String reason) {
    int attempt = consecutiveFailures.incrementAndGet();
    Duration delay = retryPolicy.backoff(attempt, ThreadLocalRandom.current().nextDouble());
    retried.inc(entries.size());
    if (Integer.bitCount(attempt) == 1) { // 1, 2, 4, 8...: a down cluster does not flood the log
      LOG.warn(
          "Elasticsearch bulk failed ({}); retrying {} document(s) in {} ms (attempt {})",
          reason,
          entries.size(),
          delay.toMillis(),
          attempt);
    }
    try {
      retryTimer.schedule(
          () -> handler.retryForEntries(entries), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      handler.retryForEntries(entries);
    }
  }

  @Override
  protected long getSizeInBytes(DocumentRequest request) {
    return request.sizeInBytes();
  }

  @Override
  public void close() {
    retryTimer.shutdownNow();
    try {
      clients.close();
    } catch (IOException e) {
      LOG.warn("closing the Elasticsearch client failed", e);
    }
    super.close();
  }

  /**
   * Keeps only the last request per document. Every request carries the whole new state of its
   * document, and two requests for one alert in one bulk could otherwise end up in the wrong order
   * when only the earlier one failed and was retried.
   */
  static List<DocumentRequest> lastPerDocument(List<DocumentRequest> entries) {
    Map<String, DocumentRequest> last = new LinkedHashMap<>();
    for (DocumentRequest entry : entries) {
      String key = entry.index() + '\u0000' + entry.id();
      last.remove(key);
      last.put(key, entry);
    }
    return last.size() == entries.size() ? entries : new ArrayList<>(last.values());
  }

  /** The batch as one bulk body, in order, each document stamped with {@code now} if it asks. */
  static BulkBody bulkBody(List<DocumentRequest> batch, String now) {
    long expected = 64;
    for (DocumentRequest request : batch) {
      expected += request.sizeInBytes() + 128;
    }
    BulkBody body = new BulkBody((int) Math.min(expected, Integer.MAX_VALUE - 16));
    for (DocumentRequest request : batch) {
      if (request.kind() == DocumentRequest.Kind.INDEX) {
        body.index(
            request.index(), request.id(), stamp(request.document(), request.stampIndexed(), now));
      } else {
        body.update(
            request.index(),
            request.id(),
            RETRY_ON_CONFLICT,
            updateAction(
                stamp(request.partialDocument(), request.stampIndexed(), now),
                stamp(request.document(), request.stampIndexed(), now)));
      }
    }
    return body;
  }

  /** {@code {"doc": partial, "upsert": whole}}, from bytes that are already JSON objects. */
  static byte[] updateAction(byte[] partial, byte[] whole) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(partial.length + whole.length + DOC_PREFIX.length + 16);
    out.writeBytes(DOC_PREFIX);
    out.writeBytes(partial);
    out.writeBytes(UPSERT_INFIX);
    out.writeBytes(whole);
    out.write('}');
    return out.toByteArray();
  }

  /** Sets {@code vigil.latency.indexed}; alerts are few, so re-encoding them is cheap. */
  static byte[] stamp(byte[] json, boolean stampIndexed, String now) {
    if (!stampIndexed) {
      return json;
    }
    try {
      Map<String, Object> document = Documents.parseObject(json);
      Documents.put(document, "vigil.latency.indexed", now);
      return Documents.toJsonBytes(document);
    } catch (IOException | RuntimeException e) {
      return json; // the stamp is a nicety; the document itself still goes out
    }
  }

  private static String describe(ErrorCause error) {
    if (error == null) {
      return "(no reason given)";
    }
    String text = error.type() + ": " + error.reason();
    return error.causedBy() == null
        ? text
        : text + " (caused by " + error.causedBy().type() + ": " + error.causedBy().reason() + ")";
  }
}
