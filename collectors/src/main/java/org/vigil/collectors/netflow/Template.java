package org.vigil.collectors.netflow;

import java.io.Serializable;
import java.util.List;

/**
 * A data or options template (RFC 3954 §5.2/§6.1, RFC 7011 §3.4), immutable and serialisable so
 * that it can live in Flink state. {@code scopeFieldCount} is the number of leading scope fields of
 * an options template; {@code minRecordLength} counts a variable-length field as one byte.
 */
public record Template(
    int templateId,
    boolean options,
    int scopeFieldCount,
    List<FieldSpec> fields,
    int minRecordLength)
    implements Serializable {

  public Template {
    fields = List.copyOf(fields);
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
}
