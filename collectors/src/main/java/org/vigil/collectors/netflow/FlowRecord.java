package org.vigil.collectors.netflow;

import java.util.Map;

/**
 * One decoded flow record, or one options record (exporter metadata such as sampling settings,
 * {@code options == true}). {@code fields} is a flat map of dotted ECS names ({@code source.ip},
 * {@code network.bytes}, {@code event.start}, ...) and every decoded element under {@code
 * netflow.<IANA name>}; it can be put into an {@code org.vigil.model.Event} as is.
 */
public record FlowRecord(int templateId, boolean options, Map<String, Object> fields) {

  public Object get(String field) {
    return fields.get(field);
  }
}
