package org.vigil.collectors.beats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.vigil.model.Documents;
import org.vigil.model.Ids;

/**
 * The Elasticsearch {@code _id} of a Beats event, derived from the event alone: a client that
 * resends a window it got no ACK for sends the same events again, which then overwrite their first
 * copies instead of duplicating them. A pure function, for the correlation job.
 *
 * <p>In order of preference:
 *
 * <ol>
 *   <li>{@code @metadata._id}, as Filebeat sets it (the {@code add_id} or {@code fingerprint}
 *       processors with {@code target_field: "@metadata._id"}), hashed into Vigil's id space so
 *       that a client can never choose the id of a document from another source;
 *   <li>a Windows event: {@code agent.id}, {@code winlog.computer_name}, {@code winlog.channel} and
 *       {@code winlog.record_id}, which Windows numbers per channel;
 *   <li>a line of a file: {@code agent.id}, {@code log.file.path}, {@code log.offset} and the line
 *       itself ({@code message}): a line read again after a Filebeat restart is the same document,
 *       and a new line at an offset reused after the file was truncated (copytruncate rotation) is
 *       a new one;
 *   <li>otherwise a SHA-256 of the whole event in a canonical form (object keys sorted), so that
 *       two identical events, which nothing tells apart, are one document.
 * </ol>
 */
public final class BeatsEventId {
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private BeatsEventId() {}

  /**
   * @param event a Beats event as published to {@code vigil.raw.beats}, parsed to nested maps
   */
  public static String of(Map<String, ?> event) {
    Objects.requireNonNull(event, "event");
    return of(path -> Documents.get(event, path), () -> event);
  }

  /**
   * As {@link #of(Map)}, from the event's dotted fields as {@link Documents#parseFlatObject} reads
   * them, and its JSON as sent for the digest of the whole event: the same id.
   */
  public static String ofFields(Map<String, ?> fields, byte[] json) {
    Objects.requireNonNull(fields, "fields");
    Objects.requireNonNull(json, "json");
    return of(
        fields::get,
        () -> {
          try {
            return Documents.parseObject(json);
          } catch (IOException e) {
            throw new UncheckedIOException("the event's JSON no longer parses", e);
          }
        });
  }

  private static String of(Function<String, Object> field, Supplier<Map<String, ?>> whole) {
    String metadataId = text(field, "@metadata._id");
    if (metadataId != null) {
      return Ids.of("beats-metadata-id", metadataId);
    }
    String agent = Objects.requireNonNullElse(text(field, "agent.id"), "");
    String recordId = text(field, "winlog.record_id");
    if (recordId != null) {
      return Ids.of(
          "beats-winlog",
          agent,
          Objects.requireNonNullElse(text(field, "winlog.computer_name"), ""),
          Objects.requireNonNullElse(text(field, "winlog.channel"), ""),
          recordId);
    }
    String path = text(field, "log.file.path");
    String offset = text(field, "log.offset");
    if (path != null && offset != null && !agent.isEmpty()) {
      return Ids.of(
          "beats-file",
          agent,
          path,
          offset,
          Objects.requireNonNullElse(text(field, "message"), ""));
    }
    return Ids.of("beats-event", canonical(whole.get()));
  }

  /** A scalar as text; null for a missing, null, blank or structured value. */
  private static String text(Function<String, Object> field, String path) {
    Object v = field.apply(path);
    if (v == null || v instanceof Map || v instanceof Iterable) {
      return null;
    }
    String text = v.toString();
    return text.isBlank() ? null : text;
  }

  private static String canonical(Map<String, ?> event) {
    try {
      return CANONICAL.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event cannot be written as JSON: " + e.getMessage(), e);
    }
  }
}
