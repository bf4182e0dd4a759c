package org.vigil.dashboards;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.model.Alert;

/**
 * {@code GET /api/v1/alerts/stream}: new and updated alerts as Server-Sent Events.
 *
 * <p>One poller per server, not one per browser: every few seconds it asks the store for alerts
 * whose {@code @timestamp} or {@code last_seen} moved past its cursor and hands each to the
 * subscribers whose agency scope permits it. The query looks back a little before the cursor,
 * because an alert stamped just before the previous poll may become searchable only after it
 * (refresh), and remembers what it sent so the overlap is not sent twice.
 *
 * <p>Triage changes made through this dashboard are pushed as they happen ({@link #changed}).
 *
 * <p>A subscriber that cannot keep up (its socket's write queue is full) is disconnected rather
 * than buffered for without bound; the browser's EventSource reconnects by itself. All state is
 * touched only on the dashboard verticle's event loop.
 */
final class AlertStream {
  private static final Logger LOG = LoggerFactory.getLogger(AlertStream.class);

  static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
  static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(15);
  static final long OVERLAP_MILLIS = 10_000;
  static final int BATCH = 500;

  /** Bytes queued per subscriber before it counts as too slow. */
  static final int MAX_QUEUED_BYTES = 256 * 1024;

  private static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");

  private final Vertx vertx;
  private final AlertStore alerts;
  private final LongSupplier clock;
  private final Set<Subscriber> subscribers = new LinkedHashSet<>();
  private final Map<String, Sent> sent = new HashMap<>();
  private final AtomicLong droppedSubscribers = new AtomicLong();
  private final AtomicLong failedPolls = new AtomicLong();

  private long cursor;
  private boolean primed;
  private boolean polling;
  private long pollTimer = -1;
  private long heartbeatTimer = -1;

  private record Subscriber(HttpServerResponse response, AgencyScope scope) {}

  /** What was last sent for an alert, and the time that keeps it in the overlap window. */
  private record Sent(String version, long mark) {}

  AlertStream(Vertx vertx, AlertStore alerts, LongSupplier clock) {
    this.vertx = vertx;
    this.alerts = alerts;
    this.clock = clock;
  }

  void subscribe(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .setWriteQueueMaxSize(MAX_QUEUED_BYTES)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    Subscriber subscriber = new Subscriber(response, CallerAuthHandler.caller(ctx).scope());
    response.closeHandler(v -> unsubscribe(subscriber));
    // A server shutting down waits for open requests; an event stream never ends by itself.
    ctx.request()
        .connection()
        .shutdownHandler(
            v -> {
              unsubscribe(subscriber);
              if (!response.ended() && !response.closed()) {
                response.end();
              }
            });
    // The retry hint and an immediate comment tell the browser the stream is open.
    response.write("retry: 3000\n: connected\n\n");
    subscribers.add(subscriber);
    if (pollTimer < 0) {
      start();
    }
  }

  /**
   * Ends every stream. Open streams would otherwise hold the HTTP server's graceful shutdown for
   * its whole timeout, since an event stream never finishes by itself.
   */
  void close() {
    for (Subscriber s : new ArrayList<>(subscribers)) {
      unsubscribe(s);
      if (!s.response().ended() && !s.response().closed()) {
        s.response().end();
      }
    }
  }

  long droppedSubscribers() {
    return droppedSubscribers.get();
  }

  long failedPolls() {
    return failedPolls.get();
  }

  private void start() {
    cursor = clock.getAsLong();
    primed = false;
    sent.clear();
    poll();
    pollTimer = vertx.setPeriodic(POLL_INTERVAL.toMillis(), id -> poll());
    heartbeatTimer = vertx.setPeriodic(HEARTBEAT_INTERVAL.toMillis(), id -> heartbeat());
  }

  private void unsubscribe(Subscriber subscriber) {
    subscribers.remove(subscriber);
    if (subscribers.isEmpty() && pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
      vertx.cancelTimer(heartbeatTimer);
      pollTimer = -1;
      heartbeatTimer = -1;
    }
  }

  private void poll() {
    if (polling) {
      return; // the store is slower than the interval: skip rather than pile up queries
    }
    polling = true;
    long since = cursor - OVERLAP_MILLIS;
    vertx
        .executeBlocking(() -> alerts.changedSince(since, BATCH), false)
        .onComplete(
            ar -> {
              polling = false;
              if (ar.failed()) {
                failedPolls.incrementAndGet();
                LOG.warn("live alert poll failed: {}", ar.cause().toString());
                return;
              }
              deliver(ar.result());
            });
  }

  /**
   * Sends what is new or changed. The first poll after the stream starts only learns what already
   * exists: subscribers get what happens after they connect.
   */
  private void deliver(List<Alert> changed) {
    for (Alert alert : changed) {
      long mark = Math.max(alert.detected(), alert.lastSeen());
      String version = alert.count() + "/" + alert.lastSeen() + "/" + alert.detected();
      Sent previous = sent.put(alert.id(), new Sent(version, mark));
      if (primed && (previous == null || !previous.version().equals(version))) {
        fanOut(alert);
      }
      cursor = Math.max(cursor, mark);
    }
    primed = true;
    long horizon = cursor - OVERLAP_MILLIS;
    sent.values().removeIf(s -> s.mark() < horizon);
  }

  private void fanOut(Alert alert) {
    Buffer event = null;
    for (Subscriber s : new ArrayList<>(subscribers)) {
      if (!s.scope().permits(alert.organizationId())) {
        continue;
      }
      if (event == null) {
        event =
            Buffer.buffer(
                "event: alert\nid: "
                    + alert.id()
                    + "\ndata: "
                    + AlertsApi.json(alert).encode()
                    + "\n\n");
      }
      send(s, event);
    }
  }

  /**
   * An alert this dashboard just changed (status, assignee): subscribers see it at once. Changes
   * made through other dashboard instances arrive only when the alert repeats.
   */
  void changed(Alert alert) {
    fanOut(alert);
  }

  private void heartbeat() {
    for (Subscriber s : new ArrayList<>(subscribers)) {
      send(s, HEARTBEAT);
    }
  }

  private void send(Subscriber s, Buffer data) {
    if (s.response().writeQueueFull()) {
      droppedSubscribers.incrementAndGet();
      LOG.info("dropping a live alert subscriber that stopped reading");
      unsubscribe(s);
      s.response().reset();
      return;
    }
    s.response().write(data);
  }
}
