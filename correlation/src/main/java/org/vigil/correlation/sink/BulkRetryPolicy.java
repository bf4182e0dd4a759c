package org.vigil.correlation.sink;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.vigil.elasticsearch.HttpStatusException;

/**
 * What to do with a failed bulk request or a failed item of one, and how long to wait before
 * retrying.
 *
 * <p>Retrying is right for what goes away by itself: throttling (429), server and gateway errors
 * (5xx), timeouts and connection failures. Retrying does not end while Elasticsearch is down; the
 * sink's in-flight limit then holds the job back, so Kafka keeps the backlog. An item Elasticsearch
 * refuses for its content (400 mapping errors and the like) would fail the same way forever: it is
 * rejected, logged and counted, and the job goes on.
 */
public record BulkRetryPolicy(Duration initialBackoff, Duration maxBackoff)
    implements Serializable {

  /** 100 ms, doubling to 30 s. */
  public static final BulkRetryPolicy DEFAULT =
      new BulkRetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(30));

  /** The fate of a bulk request or of one of its items. */
  public enum Disposition {
    /** Written. */
    DONE,
    /** Send again later. */
    RETRY,
    /** Drop with a logged reason and a counted metric: sending again would fail again. */
    REJECT,
    /** The whole request is malformed; fail the job rather than loop. */
    FATAL
  }

  public BulkRetryPolicy {
    if (initialBackoff.isNegative()
        || initialBackoff.isZero()
        || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must be positive and max >= initial: " + initialBackoff + ", " + maxBackoff);
    }
  }

  /** The fate of one bulk item from its HTTP status. */
  public static Disposition forItem(int status, DocumentRequest.Kind kind) {
    if (status >= 200 && status < 300) {
      return Disposition.DONE;
    }
    if (status == 409 && kind == DocumentRequest.Kind.UPSERT) {
      // An analyst updated the alert between our read and write more often than
      // retry_on_conflict allowed: the next attempt reads the new version.
      return Disposition.RETRY;
    }
    return isTransient(status) ? Disposition.RETRY : Disposition.REJECT;
  }

  /** The fate of a bulk request that failed as a whole. */
  public static Disposition forFailure(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof ElasticsearchException e) {
      return isTransientForRequest(e.status()) ? Disposition.RETRY : Disposition.FATAL;
    }
    if (cause instanceof TransportException e && e.statusCode() > 0) {
      return isTransientForRequest(e.statusCode()) ? Disposition.RETRY : Disposition.FATAL;
    }
    if (cause instanceof HttpStatusException e) {
      // An IOException, but an answer, not a network failure.
      return isTransientForRequest(e.status()) ? Disposition.RETRY : Disposition.FATAL;
    }
    if (cause instanceof IOException) {
      return Disposition.RETRY; // connection refused, reset, timed out, DNS, TLS handshake
    }
    return Disposition.FATAL;
  }

  /**
   * The wait before retry number {@code attempt} (1-based): the initial backoff doubled per
   * attempt, capped, then spread over its upper half by {@code jitter} in [0, 1) so that many
   * writers do not retry in lockstep.
   */
  public Duration backoff(int attempt, double jitter) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1: " + attempt);
    }
    long initial = initialBackoff.toMillis();
    long max = maxBackoff.toMillis();
    long full = initial;
    for (int i = 1; i < attempt && full < max; i++) {
      full *= 2;
    }
    full = Math.min(full, max);
    return Duration.ofMillis(full / 2 + (long) (full / 2.0 * Math.max(0, Math.min(jitter, 1))));
  }

  public static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static boolean isTransient(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  /**
   * Authentication and authorisation failures are retried too: they come from a revoked or expired
   * credential that an operator fixes on the cluster, and failing the job would only restart it
   * into the same error while dropping nothing is the promise.
   */
  private static boolean isTransientForRequest(int status) {
    return isTransient(status) || status == 401 || status == 403;
  }
}
