package org.vigil.dashboards;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.model.Documents;

/**
 * Event search for analysts: {@code GET /api/v1/events}, one event by id (the pivot from an alert's
 * evidence), a histogram, top values of a field and CSV export. Every call is limited to the
 * caller's agencies by the store; an export is written to the audit trail before its first byte,
 * and is refused when it cannot be.
 */
final class EventsApi {
  static final int MAX_EXPORT_ROWS = 100_000;
  static final int DEFAULT_BUCKETS = 60;
  static final int MAX_BUCKETS = 500;
  static final int DEFAULT_TOP = 10;
  static final List<String> DEFAULT_COLUMNS =
      List.of(
          "@timestamp",
          "organization.id",
          "event.dataset",
          "event.action",
          "event.outcome",
          "source.ip",
          "source.port",
          "destination.ip",
          "destination.port",
          "user.name",
          "host.name",
          "message");

  private static final Logger LOG = LoggerFactory.getLogger(EventsApi.class);
  private static final Pattern COLUMN = Pattern.compile("[A-Za-z0-9@_][A-Za-z0-9@_.\\-]{0,254}");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final int MAX_COLUMNS = 100;
  private static final int EXPORT_PAGE = EventQuery.MAX_SIZE;
  private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

  private final Vertx vertx;
  private final EventStore events;
  private final AuditTrail audit;
  private final Clock clock;

  EventsApi(Vertx vertx, EventStore events, AuditTrail audit, Clock clock) {
    this.vertx = vertx;
    this.events = events;
    this.audit = audit;
    this.clock = clock;
  }

  void search(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    EventQuery query;
    try {
      MultiMap p = ctx.queryParams();
      String cursor = p.get("cursor");
      query =
          new EventQuery(
              filter(ctx),
              integer(p, "size", EventQuery.DEFAULT_SIZE),
              cursor == null || cursor.isBlank() ? null : EventCursor.decode(cursor),
              ascending(p.get("sort")));
    } catch (IllegalArgumentException e) {
      JsonResponses.error(ctx, 400, e.getMessage());
      return;
    }
    blocking(ctx, () -> events.search(query), page -> JsonResponses.ok(ctx, json(page)));
  }

  void get(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    String id = ctx.pathParam("id");
    AgencyScope scope = CallerAuthHandler.caller(ctx).scope();
    blocking(
        ctx,
        () -> events.get(id, scope),
        found -> {
          if (found.isPresent()) {
            JsonResponses.ok(ctx, json(found.get()));
          } else {
            JsonResponses.error(ctx, 404, "no event " + id);
          }
        });
  }

  void histogram(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    EventFilter filter;
    long interval;
    try {
      filter = filter(ctx);
      int buckets = integer(ctx.queryParams(), "buckets", DEFAULT_BUCKETS);
      if (buckets < 1 || buckets > MAX_BUCKETS) {
        throw new IllegalArgumentException("buckets must be 1.." + MAX_BUCKETS + ": " + buckets);
      }
      interval = EventHistogram.interval(filter.range().spanMillis(), buckets);
    } catch (IllegalArgumentException e) {
      JsonResponses.error(ctx, 400, e.getMessage());
      return;
    }
    blocking(
        ctx,
        () -> events.histogram(filter, interval),
        h -> {
          JsonArray buckets = new JsonArray();
          h.buckets()
              .forEach(
                  b ->
                      buckets.add(
                          new JsonObject()
                              .put("time", Documents.isoTime(b.time()))
                              .put("count", b.count())));
          JsonResponses.ok(
              ctx, new JsonObject().put("interval", h.intervalMillis()).put("buckets", buckets));
        });
  }

  void top(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    EventFilter filter;
    String field = ctx.queryParams().get("field");
    int size;
    try {
      if (field == null || field.isBlank()) {
        throw new IllegalArgumentException("field is required, e.g. field=source.ip");
      }
      filter = filter(ctx);
      size = integer(ctx.queryParams(), "size", DEFAULT_TOP);
    } catch (IllegalArgumentException e) {
      JsonResponses.error(ctx, 400, e.getMessage());
      return;
    }
    blocking(
        ctx,
        () -> events.top(filter, field.trim(), size),
        values -> {
          JsonArray list = new JsonArray();
          values.forEach(
              v -> list.add(new JsonObject().put("value", v.value()).put("count", v.count())));
          JsonResponses.ok(ctx, new JsonObject().put("field", field.trim()).put("values", list));
        });
  }

  /**
   * Counts first so that the audit record states the rows the caller is about to get, then streams
   * page by page with {@code search_after}, waiting for the client when the write queue is full so
   * a slow download holds no more than one page in memory.
   */
  void export(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    EventFilter filter;
    List<String> columns;
    try {
      filter = filter(ctx);
      columns = columns(ctx.queryParams().get("fields"));
    } catch (IllegalArgumentException e) {
      JsonResponses.error(ctx, 400, e.getMessage());
      return;
    }
    User caller = CallerAuthHandler.caller(ctx);
    String client =
        ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    vertx
        .executeBlocking(() -> events.count(filter), false)
        .onFailure(e -> failed(ctx, e, "event"))
        .onSuccess(
            matching -> {
              long rows = Math.min(matching, MAX_EXPORT_ROWS);
              boolean truncated = matching > MAX_EXPORT_ROWS;
              Map<String, Object> details = new LinkedHashMap<>();
              details.put("query", filter.query());
              details.put("from", Documents.isoTime(filter.range().from()));
              details.put("to", Documents.isoTime(filter.range().to()));
              details.put("fields", String.join(",", columns));
              details.put("rows", rows);
              details.put("truncated", truncated);
              vertx
                  .executeBlocking(
                      () ->
                          audit.append(
                              AuditEvent.success(
                                  caller.username(),
                                  client,
                                  "events.export",
                                  ElasticsearchEventStore.INDEX_PATTERN,
                                  details)),
                      false)
                  .onFailure(
                      e -> {
                        LOG.warn("export refused, audit trail unavailable: {}", e.toString());
                        JsonResponses.error(
                            ctx, 503, "audit trail unavailable, export refused: try again shortly");
                      })
                  .onSuccess(seq -> stream(ctx, filter, columns, rows, truncated));
            });
  }

  private void stream(
      RoutingContext ctx, EventFilter filter, List<String> columns, long rows, boolean truncated) {
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/csv; charset=utf-8")
        .putHeader(
            "Content-Disposition",
            "attachment; filename=\"vigil-events-" + clock.instant().getEpochSecond() + ".csv\"")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("X-Vigil-Truncated", Boolean.toString(truncated))
        .putHeader("X-Vigil-Rows", Long.toString(rows));
    response.write(csv(List.of(), columns, true));
    nextPage(ctx, filter, columns, null, rows);
  }

  private void nextPage(
      RoutingContext ctx, EventFilter filter, List<String> columns, EventCursor cursor, long left) {
    HttpServerResponse response = ctx.response();
    if (left <= 0 || response.closed()) {
      if (!response.ended() && !response.closed()) {
        response.end();
      }
      return;
    }
    EventQuery page = new EventQuery(filter, (int) Math.min(EXPORT_PAGE, left), cursor, false);
    vertx
        .executeBlocking(() -> events.search(page), false)
        .onFailure(
            e -> {
              // Headers are gone: breaking the connection is the only way to say it is incomplete.
              LOG.warn("event export broke off: {}", e.toString());
              response.reset();
            })
        .onSuccess(
            result -> {
              if (response.closed()) {
                return;
              }
              response.write(csv(result.events(), columns, false));
              long remaining = left - result.events().size();
              if (result.next() == null || result.events().isEmpty()) {
                response.end();
                return;
              }
              if (response.writeQueueFull()) {
                response.drainHandler(
                    v -> {
                      response.drainHandler(null);
                      nextPage(ctx, filter, columns, result.next(), remaining);
                    });
              } else {
                nextPage(ctx, filter, columns, result.next(), remaining);
              }
            });
  }

  /** CSV text of these events; quoting and escaping by Commons CSV. */
  static String csv(List<StoredEvent> page, List<String> columns, boolean header) {
    StringBuilder out = new StringBuilder();
    try (CSVPrinter printer = new CSVPrinter(out, CSV)) {
      if (header) {
        printer.printRecord(columns);
      }
      List<String> row = new ArrayList<>(columns.size());
      for (StoredEvent e : page) {
        row.clear();
        for (String column : columns) {
          row.add(cell(e, column));
        }
        printer.printRecord(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write CSV", e);
    }
    return out.toString();
  }

  /**
   * A field's value as text. Log data is attacker-controlled: a value a spreadsheet would run as a
   * formula ({@code =HYPERLINK(...)}) is prefixed with an apostrophe (OWASP's CSV injection
   * advice); plain negative numbers are left alone.
   */
  static String cell(StoredEvent e, String column) {
    Object value =
        column.equals("@timestamp")
            ? Documents.isoTime(e.timestamp())
            : e.source().containsKey(column)
                ? e.source().get(column)
                : Documents.get(e.source(), column);
    String text;
    if (value == null) {
      return "";
    } else if (value instanceof List<?> list) {
      text = String.join(", ", list.stream().map(String::valueOf).toList());
    } else if (value instanceof Map<?, ?> map) {
      text = new JsonObject(Documents.flatten(cast(map))).encode();
    } else {
      text = value.toString();
    }
    if (!text.isEmpty()
        && "=+-@\t\r".indexOf(text.charAt(0)) >= 0
        && !NUMBER.matcher(text).matches()) {
      return "'" + text;
    }
    return text;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> cast(Map<?, ?> map) {
    return (Map<String, ?>) map;
  }

  static List<String> columns(String fields) {
    if (fields == null || fields.isBlank()) {
      return DEFAULT_COLUMNS;
    }
    List<String> out = new ArrayList<>();
    for (String f : fields.split(",")) {
      String name = f.trim();
      if (name.isEmpty()) {
        continue;
      }
      if (!COLUMN.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "fields must be comma-separated ECS field names such as source.ip: " + name);
      }
      if (!out.contains(name)) {
        out.add(name);
      }
    }
    if (out.isEmpty() || out.size() > MAX_COLUMNS) {
      throw new IllegalArgumentException("fields must name 1 to " + MAX_COLUMNS + " fields");
    }
    return out;
  }

  private EventFilter filter(RoutingContext ctx) {
    MultiMap p = ctx.queryParams();
    return new EventFilter(
        p.get("q"),
        TimeRange.parse(p.get("from"), p.get("to"), clock.instant()),
        CallerAuthHandler.caller(ctx).scope());
  }

  private static boolean ascending(String sort) {
    if (sort == null || sort.isBlank() || sort.equalsIgnoreCase("desc")) {
      return false;
    }
    if (sort.equalsIgnoreCase("asc")) {
      return true;
    }
    throw new IllegalArgumentException("sort must be asc or desc: " + sort);
  }

  static int integer(MultiMap params, String name, int fallback) {
    String value = params.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number: " + value, e);
    }
  }

  static JsonObject json(EventPage page) {
    JsonArray list = new JsonArray();
    page.events().forEach(e -> list.add(json(e)));
    return new JsonObject()
        .put("total", page.total())
        .put("totalIsLowerBound", page.totalIsLowerBound())
        .put("events", list)
        .put("nextCursor", page.next() == null ? null : page.next().encode());
  }

  static JsonObject json(StoredEvent e) {
    return new JsonObject()
        .put("id", e.id())
        .put("index", e.index())
        .put("timestamp", Documents.isoTime(e.timestamp()))
        .put("source", new JsonObject(e.source()));
  }

  /** Runs a store call off the event loop; bad input is 400, an unreachable store 503. */
  private <T> void blocking(RoutingContext ctx, Callable<T> call, Consumer<T> reply) {
    vertx
        .executeBlocking(call, false)
        .onSuccess(reply::accept)
        .onFailure(e -> failed(ctx, e, "event"));
  }

  static void failed(RoutingContext ctx, Throwable e, String store) {
    if (e instanceof IllegalArgumentException) {
      JsonResponses.error(ctx, 400, e.getMessage());
      return;
    }
    LOG.warn("{} store call failed: {}", store, e.toString());
    JsonResponses.error(ctx, 503, store + " store unavailable, try again shortly");
  }
}
