package org.vigil.correlation.sink;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One buffered bulk operation: what the sink keeps in Flink state between a record's arrival and
 * Elasticsearch's acknowledgement.
 *
 * @param index the concrete index
 * @param id the deterministic document {@code _id}
 * @param kind whole-document index, or partial update with an upsert
 * @param document INDEX: the document; UPSERT: the {@code upsert} part, used only when the document
 *     does not exist yet
 * @param partialDocument UPSERT: the {@code doc} part merged into an existing document; null for
 *     INDEX
 * @param stampIndexed whether to set {@code vigil.latency.indexed} when the request is sent
 */
public record DocumentRequest(
    String index,
    String id,
    Kind kind,
    byte[] document,
    byte[] partialDocument,
    boolean stampIndexed)
    implements Serializable {

  /** The bulk action. */
  public enum Kind {
    INDEX,
    UPSERT
  }

  public DocumentRequest {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(document, "document");
    if (kind == Kind.UPSERT && partialDocument == null) {
      throw new IllegalArgumentException("an UPSERT needs the partial document");
    }
    if (kind == Kind.INDEX && partialDocument != null) {
      throw new IllegalArgumentException("an INDEX carries no partial document");
    }
  }

  public static DocumentRequest index(String index, String id, byte[] document) {
    return new DocumentRequest(index, id, Kind.INDEX, document, null, false);
  }

  public static DocumentRequest upsert(
      String index, String id, byte[] partialDocument, byte[] upsertDocument, boolean stamp) {
    return new DocumentRequest(index, id, Kind.UPSERT, upsertDocument, partialDocument, stamp);
  }

  /** Roughly what the request adds to a bulk body: payload plus action line. */
  public long sizeInBytes() {
    return document.length
        + (partialDocument == null ? 0 : partialDocument.length)
        + index.length()
        + id.length()
        + 64;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DocumentRequest r
        && index.equals(r.index)
        && id.equals(r.id)
        && kind == r.kind
        && stampIndexed == r.stampIndexed
        && Arrays.equals(document, r.document)
        && Arrays.equals(partialDocument, r.partialDocument);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        index, id, kind, stampIndexed, Arrays.hashCode(document), Arrays.hashCode(partialDocument));
  }

  @Override
  public String toString() {
    return "DocumentRequest{"
        + kind
        + " "
        + index
        + "/"
        + id
        + ", "
        + new String(document, StandardCharsets.UTF_8)
        + "}";
  }
}
