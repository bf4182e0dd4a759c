package org.vigil.collectors.netflow;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A data or options template (RFC 3954 §5.2/§6.1, RFC 7011 §3.4), immutable and serialisable so
 * that it can live in Flink state. {@code scopeFieldCount} is the number of leading scope fields of
 * an options template; {@code minRecordLength} counts a variable-length field as one byte. The
 * layout of its records is derived on first use and never serialised.
 */
public final class Template implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int templateId;
  private final boolean options;
  private final int scopeFieldCount;
  private final List<FieldSpec> fields;
  private final int minRecordLength;
  private transient volatile RecordLayout layout;

  public Template(
      int templateId,
      boolean options,
      int scopeFieldCount,
      List<FieldSpec> fields,
      int minRecordLength) {
    this.templateId = templateId;
    this.options = options;
    this.scopeFieldCount = scopeFieldCount;
    this.fields = List.copyOf(fields);
    this.minRecordLength = minRecordLength;
  }

  /** Builds a template, computing its minimal record length. */
  public static Template of(
      int templateId, boolean options, int scopeFieldCount, List<FieldSpec> fields) {
    int min = 0;
    for (FieldSpec f : fields) {
      min += f.variableLength() ? 1 : f.length();
    }
    return new Template(templateId, options, scopeFieldCount, fields, min);
  }

  public int templateId() {
    return templateId;
  }

  public boolean options() {
    return options;
  }

  public int scopeFieldCount() {
    return scopeFieldCount;
  }

  public List<FieldSpec> fields() {
    return fields;
  }

  public int minRecordLength() {
    return minRecordLength;
  }

  /** Where the values of this template's records go; computed once per instance. */
  RecordLayout layout() {
    RecordLayout l = layout;
    if (l == null) {
      l = RecordLayout.of(fields);
      layout = l;
    }
    return l;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Template t
        && templateId == t.templateId
        && options == t.options
        && scopeFieldCount == t.scopeFieldCount
        && minRecordLength == t.minRecordLength
        && fields.equals(t.fields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(templateId, options, scopeFieldCount, fields, minRecordLength);
  }

  @Override
  public String toString() {
    return "Template[templateId="
        + templateId
        + ", options="
        + options
        + ", scopeFieldCount="
        + scopeFieldCount
        + ", fields="
        + fields
        + ", minRecordLength="
        + minRecordLength
        + "]";
  }
}
