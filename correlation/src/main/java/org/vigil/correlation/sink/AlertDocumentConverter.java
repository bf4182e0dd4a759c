package org.vigil.correlation.sink;

import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.vigil.elasticsearch.Indices;
import org.vigil.model.Alert;
import org.vigil.model.Documents;

/**
 * An alert becomes an update with upsert: the first write creates the whole document, later writes
 * merge {@link Alert#toUpdateDocument()}, which leaves out the triage fields, so what an analyst
 * set (status, resolution, assignee) is never overwritten by the job.
 */
public final class AlertDocumentConverter implements ElementConverter<Alert, DocumentRequest> {
  private static final long serialVersionUID = 1L;

  @Override
  public DocumentRequest apply(Alert alert, SinkWriter.Context context) {
    byte[] whole = Documents.toJsonBytes(alert.toDocument());
    return DocumentRequest.upsert(
        Indices.ALERTS,
        EventDocumentConverter.idOf(alert.id(), whole),
        Documents.toJsonBytes(alert.toUpdateDocument()),
        whole,
        true);
  }
}
