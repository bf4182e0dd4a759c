package org.vigil.correlation.sink;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.vigil.elasticsearch.ElasticsearchSettings;
import org.vigil.model.Alert;
import org.vigil.model.Event;

/**
 * Flink sink writing documents to Elasticsearch with bulk requests (there is no Elasticsearch
 * connector for Flink 2). Buffered documents are part of the checkpoint, and a checkpoint waits for
 * requests in flight, so together with deterministic ids nothing is lost or duplicated.
 *
 * <pre>{@code
 * events.sinkTo(ElasticsearchSink.events(settings)).name("events to Elasticsearch").uid("es-events");
 * alerts.sinkTo(ElasticsearchSink.alerts(settings)).name("alerts to Elasticsearch").uid("es-alerts");
 * }</pre>
 */
public final class ElasticsearchSink<InputT> extends AsyncSinkBase<InputT, DocumentRequest> {
  private static final long serialVersionUID = 1L;

  private final ElasticsearchSettings settings;
  private final BulkRetryPolicy retryPolicy;
  private final boolean refreshAfterWrite;

  private ElasticsearchSink(Builder<InputT> b) {
    super(
        b.converter,
        b.maxBatchSize,
        b.maxInFlightRequests,
        b.maxBufferedRequests,
        b.maxBatchSizeInBytes,
        b.maxTimeInBuffer.toMillis(),
        b.maxBatchSizeInBytes,
        b.requestTimeout.toMillis(),
        false);
    this.settings = b.settings;
    this.retryPolicy = b.retryPolicy;
    this.refreshAfterWrite = b.refreshAfterWrite;
  }

  /** Events into their daily index, with the defaults of {@link #eventsBuilder}. */
  public static ElasticsearchSink<Event> events(ElasticsearchSettings settings) {
    return eventsBuilder(settings).build();
  }

  /** Alerts upserted into the alerts index, with the defaults of {@link #alertsBuilder}. */
  public static ElasticsearchSink<Alert> alerts(ElasticsearchSettings settings) {
    return alertsBuilder(settings).build();
  }

  /**
   * Events: two bulk requests in flight, since replayed events are identical; flushed at least
   * every second. Event indices refresh every 5 s, so a longer wait costs an analyst little, while
   * Elasticsearch spends less per document in bigger requests: with 200 ms, syslog at 4,000
   * events/s went out some 270 per request, and a standalone Elasticsearch spent 10-15 % more CPU
   * per sshd event in requests of 270 than of 1,000 (a translog sync per request).
   */
  public static Builder<Event> eventsBuilder(ElasticsearchSettings settings) {
    return new Builder<>(new EventDocumentConverter(), settings)
        .maxInFlightRequests(2)
        .maxTimeInBuffer(Duration.ofSeconds(1));
  }

  /**
   * Alerts: one bulk request in flight, so that successive states of one alert reach Elasticsearch
   * in order even across retries; flushed after 50 ms and refreshed on write, so an alert is
   * searchable at once instead of after the next refresh interval. Alerts are few, so the extra
   * refreshes cost little.
   */
  public static Builder<Alert> alertsBuilder(ElasticsearchSettings settings) {
    return new Builder<>(new AlertDocumentConverter(), settings)
        .maxInFlightRequests(1)
        .maxTimeInBuffer(Duration.ofMillis(50))
        .refreshAfterWrite(true);
  }

  @Override
  public StatefulSinkWriter<InputT, BufferedRequestState<DocumentRequest>> createWriter(
      WriterInitContext context) {
    return restoreWriter(context, List.of());
  }

  @Override
  public StatefulSinkWriter<InputT, BufferedRequestState<DocumentRequest>> restoreWriter(
      WriterInitContext context, Collection<BufferedRequestState<DocumentRequest>> recovered) {
    AsyncSinkWriterConfiguration configuration =
        AsyncSinkWriterConfiguration.builder()
            .setMaxBatchSize(getMaxBatchSize())
            .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
            .setMaxInFlightRequests(getMaxInFlightRequests())
            .setMaxBufferedRequests(getMaxBufferedRequests())
            .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
            .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
            .setRequestTimeoutMS(getRequestTimeoutMS())
            .setFailOnTimeout(getFailOnTimeout())
            .build();
    return new ElasticsearchSinkWriter<>(
        getElementConverter(),
        context,
        configuration,
        recovered,
        settings,
        retryPolicy,
        refreshAfterWrite);
  }

  @Override
  public SimpleVersionedSerializer<BufferedRequestState<DocumentRequest>>
      getWriterStateSerializer() {
    return new DocumentRequestSerializer();
  }

  /** Sink options; defaults: 1000 documents or 5 MB per bulk, flushed at least every 200 ms. */
  public static final class Builder<InputT> {
    private final ElementConverter<InputT, DocumentRequest> converter;
    private final ElasticsearchSettings settings;
    private int maxBatchSize = 1000;
    private int maxInFlightRequests = 1;
    private int maxBufferedRequests = 10_000;
    private long maxBatchSizeInBytes = 5L * 1024 * 1024;
    private Duration maxTimeInBuffer = Duration.ofMillis(200);
    private Duration requestTimeout = Duration.ofMinutes(10);
    private BulkRetryPolicy retryPolicy = BulkRetryPolicy.DEFAULT;
    private boolean refreshAfterWrite;

    public Builder(
        ElementConverter<InputT, DocumentRequest> converter, ElasticsearchSettings settings) {
      this.converter = Objects.requireNonNull(converter, "converter");
      this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Most documents per bulk request. */
    public Builder<InputT> maxBatchSize(int documents) {
      this.maxBatchSize = positive(documents, "maxBatchSize");
      return this;
    }

    /** Most bytes per bulk request; also the largest single document accepted. */
    public Builder<InputT> maxBatchSizeInBytes(long bytes) {
      this.maxBatchSizeInBytes = positive(bytes, "maxBatchSizeInBytes");
      return this;
    }

    /** Bulk requests (including ones waiting for a retry) before the writer blocks. */
    public Builder<InputT> maxInFlightRequests(int requests) {
      this.maxInFlightRequests = positive(requests, "maxInFlightRequests");
      return this;
    }

    /** Documents buffered before the writer blocks; must exceed {@link #maxBatchSize}. */
    public Builder<InputT> maxBufferedRequests(int documents) {
      this.maxBufferedRequests = positive(documents, "maxBufferedRequests");
      return this;
    }

    /** Longest a document waits for a fuller batch. */
    public Builder<InputT> maxTimeInBuffer(Duration time) {
      this.maxTimeInBuffer = positive(time, "maxTimeInBuffer");
      return this;
    }

    /** After this long without an answer a bulk request is sent again. */
    public Builder<InputT> requestTimeout(Duration time) {
      this.requestTimeout = positive(time, "requestTimeout");
      return this;
    }

    /** Makes each bulk's documents searchable when it returns ({@code refresh=true}). */
    public Builder<InputT> refreshAfterWrite(boolean refresh) {
      this.refreshAfterWrite = refresh;
      return this;
    }

    public Builder<InputT> retryPolicy(BulkRetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
      return this;
    }

    public ElasticsearchSink<InputT> build() {
      if (maxBufferedRequests <= maxBatchSize) {
        throw new IllegalArgumentException(
            "maxBufferedRequests ("
                + maxBufferedRequests
                + ") must exceed maxBatchSize ("
                + maxBatchSize
                + ")");
      }
      return new ElasticsearchSink<>(this);
    }

    private static int positive(int value, String name) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }

    private static long positive(long value, String name) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }

    private static Duration positive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
