package org.vigil.correlation.sink;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.vigil.elasticsearch.Indices;
import org.vigil.model.Event;
import org.vigil.model.Ids;

/**
 * An event becomes a whole-document index into its day's index under its deterministic id, so a
 * replay overwrites instead of duplicating.
 */
public final class EventDocumentConverter implements ElementConverter<Event, DocumentRequest> {
  private static final long serialVersionUID = 1L;

  @Override
  public DocumentRequest apply(Event event, SinkWriter.Context context) {
    byte[] document = event.toDocumentJson();
    return DocumentRequest.index(
        Indices.events(event.getTimestamp()), idOf(event.getId(), document), document);
  }

  /**
   * Upstream always sets an id; should one be missing, a hash of the document keeps the write
   * idempotent rather than failing the job over one record.
   */
  static String idOf(String id, byte[] document) {
    return id == null || id.isEmpty()
        ? Ids.of("document", new String(document, StandardCharsets.UTF_8))
        : id;
  }
}
