package org.vigil.dashboards;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.mapping.FieldType;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Evidence from the daily {@code vigil-events-*} indices. Event ids are unique across days (they
 * come from Kafka coordinates), so an ids query over the pattern finds each event wherever it is.
 */
public final class ElasticsearchEvidenceStore implements EvidenceStore {
  public static final String INDEX_PATTERN = "vigil-events*";

  private final ElasticsearchClient client;

  public ElasticsearchEvidenceStore(ElasticsearchClient client) {
    this.client = client;
  }

  @Override
  public List<EvidenceEvent> events(List<String> ids, AgencyScope scope) {
    if (ids.isEmpty()) {
      return List.of();
    }
    try {
      SearchResponse<EventSource> response =
          client.search(
              s ->
                  s.index(INDEX_PATTERN)
                      .ignoreUnavailable(true)
                      .allowNoIndices(true)
                      .size(ids.size())
                      .query(
                          ElasticsearchAlertStore.scoped(
                              new BoolQuery.Builder().filter(q -> q.ids(i -> i.values(ids))),
                              scope))
                      .sort(
                          o ->
                              o.field(
                                  f ->
                                      f.field("@timestamp")
                                          .order(SortOrder.Asc)
                                          .unmappedType(FieldType.Date))),
              EventSource.class);
      List<EvidenceEvent> events = new ArrayList<>();
      for (Hit<EventSource> hit : response.hits().hits()) {
        if (hit.source() != null) {
          events.add(new EvidenceEvent(hit.id(), hit.index(), time(hit.source()), hit.source()));
        }
      }
      return events;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read evidence events: " + e.getMessage(), e);
    }
  }

  private static long time(EventSource source) {
    Object v = source.get("@timestamp");
    try {
      return v == null ? 0 : Instant.parse(v.toString()).toEpochMilli();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  /** A hit's {@code _source}. */
  static final class EventSource extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;
  }
}
