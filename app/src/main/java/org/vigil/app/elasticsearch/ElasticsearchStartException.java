package org.vigil.app.elasticsearch;

/**
 * Elasticsearch could not be started. The message is one line meant for the operator (what failed
 * and what to do); the command prints it without a stack trace.
 */
public final class ElasticsearchStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ElasticsearchStartException(String message) {
    super(message);
  }

  public ElasticsearchStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
