package org.vigil.correlation.sink;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
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
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.elasticsearch.ElasticsearchSettings;
import org.vigil.model.Documents;

/**
 * Sends buffered documents as bulk requests with the asynchronous client. Items that fail for a
 * passing reason go back to the buffer after a backoff; the wait runs on a timer thread and the
 * request counts as in flight until then, so a down cluster stops the writer from taking more
 * records instead of making it spin or sleep on a callback thread.
 */
final class ElasticsearchSinkWriter<InputT> extends AsyncSinkWriter<InputT, DocumentRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSinkWriter.class);
  private static final byte[] DOC_PREFIX = "{\"doc\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] UPSERT_INFIX = ",\"upsert\":".getBytes(StandardCharsets.UTF_8);

  /**
   * What the writer reads of a bulk response: per item only its status and error, plus the fields
   * the client requires. A full item (id, version, result, shards, sequence numbers) is several
   * times larger; parsing it was a quarter of the client's I/O-thread time, and Elasticsearch spent
   * CPU writing it, for every document.
   */
  static final String BULK_RESPONSE_FILTER =
      "errors,took,items.*._index,items.*.status,items.*.error";

  private final ElasticsearchClients clients;
  private final ElasticsearchAsyncClient bulkClient;
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
    this.bulkClient =
        clients
            .asyncClient()
            .withTransportOptions(o -> o.setParameter("filter_path", BULK_RESPONSE_FILTER));
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
          bulkClient.bulk(
              bulkRequest(batch, Documents.isoTime(System.currentTimeMillis()), refreshAfterWrite));
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

  static BulkRequest bulkRequest(List<DocumentRequest> batch, String now) {
    return bulkRequest(batch, now, false);
  }

  static BulkRequest bulkRequest(List<DocumentRequest> batch, String now, boolean refresh) {
    List<BulkOperation> operations = new ArrayList<>(batch.size());
    for (DocumentRequest request : batch) {
      operations.add(operation(request, now));
    }
    return BulkRequest.of(
        b -> {
          b.operations(operations);
          if (refresh) {
            b.refresh(Refresh.True);
          }
          return b;
        });
  }

  static BulkOperation operation(DocumentRequest request, String now) {
    if (request.kind() == DocumentRequest.Kind.INDEX) {
      BinaryData document = json(stamp(request.document(), request.stampIndexed(), now));
      return BulkOperation.of(
          b -> b.index(i -> i.index(request.index()).id(request.id()).document(document)));
    }
    BinaryData action =
        json(
            updateAction(
                stamp(request.partialDocument(), request.stampIndexed(), now),
                stamp(request.document(), request.stampIndexed(), now)));
    return BulkOperation.of(
        b ->
            b.update(
                u ->
                    u.index(request.index())
                        .id(request.id())
                        .retryOnConflict(3)
                        .binaryAction(action)));
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

  private static BinaryData json(byte[] bytes) {
    return BinaryData.of(bytes, ContentType.APPLICATION_JSON);
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
