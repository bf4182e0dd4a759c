package org.vigil.dashboards;

import java.util.Map;
import org.vigil.model.Documents;

/**
 * An event as stored in Elasticsearch.
 *
 * @param id the document id (deterministic: topic, partition, offset, record index)
 * @param index the daily index that holds it
 * @param timestamp {@code @timestamp}, epoch milliseconds
 * @param source the document as stored: nested ECS objects
 */
public record StoredEvent(String id, String index, long timestamp, Map<String, Object> source) {
  public StoredEvent {
    source = source == null ? Map.of() : source;
  }

  public String organizationId() {
    Object id = Documents.get(source, "organization.id");
    return id == null ? null : id.toString();
  }
}
