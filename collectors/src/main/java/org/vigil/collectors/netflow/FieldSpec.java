package org.vigil.collectors.netflow;

import java.io.Serializable;

/**
 * One field of a template, resolved once when the template arrives: its wire identity (enterprise
 * number, element id, length, where {@link #VARIABLE} marks an IPFIX variable-length field), how to
 * decode it and the output key ({@code netflow.<name>}). {@code enterprise} is 0 for IANA elements
 * (and v9 types that share IANA's numbers), the private enterprise number for IPFIX enterprise
 * elements, -1 for vendor-specific v9 types and -2 for v9 option scope fields, so that only true
 * IANA elements feed the ECS fields.
 */
public record FieldSpec(long enterprise, int elementId, int length, FieldType type, String key)
    implements Serializable {

  /** The length that announces a variable-length field (RFC 7011 §7). */
  public static final int VARIABLE = 0xFFFF;

  public boolean variableLength() {
    return length == VARIABLE;
  }
}
