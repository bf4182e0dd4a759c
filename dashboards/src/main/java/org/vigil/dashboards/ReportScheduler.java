package org.vigil.dashboards;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.dashboards.reports.ReportDefinition;
import org.vigil.dashboards.reports.ReportSchedule;

/**
 * Runs the catalog's scheduled reports when they are due and keeps the results. Each due run has
 * the id {@code <name>@<due time>}: every dashboard process behind a proxy runs the same schedule,
 * the first to finish keeps its result and the others find it kept (or skip it when it already is
 * before they start). A run that fails is logged and audited, and the next due time is scheduled
 * all the same.
 *
 * <p>A scheduled report's period ends at its due time, not when it ran, so every process computes
 * the same report, and a run made up later covers the period it was due for. At start, the latest
 * due run of a definition is made up when it is missing while an earlier scheduled run was kept:
 * the dashboard was down when it fell due. A new definition (nothing kept yet) starts with its next
 * due time instead of reporting on the time before it existed.
 */
final class ReportScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(ReportScheduler.class);

  /** Timers are re-armed at most this far ahead, so a changed clock is noticed within a day. */
  private static final Duration MAX_TIMER = Duration.ofHours(24);

  static final String ACTOR = "system";

  private final Vertx vertx;
  private final ReportBackends reports;
  private final AuditTrail audit;
  private final Clock clock;
  private volatile boolean stopped;

  ReportScheduler(Vertx vertx, ReportBackends reports, AuditTrail audit, Clock clock) {
    this.vertx = vertx;
    this.reports = reports;
    this.audit = audit;
    this.clock = clock;
  }

  void start() {
    for (ReportDefinition definition : reports.catalog().definitions()) {
      if (definition.schedule() != null) {
        ReportSchedule schedule = ReportSchedule.parse(definition.schedule());
        vertx
            .executeBlocking(() -> catchUp(definition, schedule), false)
            .onFailure(
                e ->
                    LOG.warn(
                        "could not check for a missed run of report {}: {}",
                        definition.name(),
                        e.toString()));
        arm(definition, schedule, clock.instant());
      }
    }
  }

  /**
   * Makes up the latest due run of the definition when it is missing and an earlier scheduled run
   * was kept.
   *
   * @return the id of the run made up, or null when none was missing
   */
  String catchUp(ReportDefinition definition, ReportSchedule schedule) {
    Optional<Instant> latest = schedule.previous(clock.instant());
    if (latest.isEmpty() || reports.archive().get(id(definition, latest.get())).isPresent()) {
      return null;
    }
    boolean ranBefore =
        reports.archive().list(AgencyScope.all(), ElasticsearchReportArchive.MAX_LIST).stream()
            .anyMatch(
                r ->
                    r.name().equals(definition.name())
                        && ArchivedReport.SCHEDULE.equals(r.trigger())
                        && r.to().isBefore(latest.get()));
    if (!ranBefore) {
      return null;
    }
    LOG.info("report {} missed its run due {}: making it up", definition.name(), latest.get());
    return run(definition, latest.get());
  }

  private static String id(ReportDefinition definition, Instant due) {
    return definition.name() + "@" + due.toEpochMilli();
  }

  void stop() {
    stopped = true;
  }

  private void arm(ReportDefinition definition, ReportSchedule schedule, Instant after) {
    Optional<Instant> due = schedule.next(after);
    if (stopped || due.isEmpty()) {
      return;
    }
    Duration wait = Duration.between(clock.instant(), due.get());
    if (wait.compareTo(MAX_TIMER) > 0) {
      vertx.setTimer(MAX_TIMER.toMillis(), t -> arm(definition, schedule, after));
      return;
    }
    vertx.setTimer(
        Math.max(1, wait.toMillis()),
        t ->
            vertx
                .executeBlocking(() -> run(definition, due.get()), false)
                .onComplete(done -> arm(definition, schedule, due.get())));
  }

  /** One due run; public to the package so tests run a due time without waiting for it. */
  String run(ReportDefinition definition, Instant due) {
    String id = id(definition, due);
    if (reports.archive().get(id).isPresent()) {
      return id; // another dashboard process ran it
    }
    try {
      ReportRunner runner = reports.runner();
      ReportRunner.Prepared prepared =
          runner.prepare(definition, ACTOR, ArchivedReport.SCHEDULE, id, due);
      audit.append(
          AuditEvent.success(
              ACTOR,
              null,
              "report.generate",
              id,
              Map.of(
                  "trigger",
                  ArchivedReport.SCHEDULE,
                  "framework",
                  definition.framework(),
                  "content_sha256",
                  prepared.archived().contentSha256())));
      ArchivedReport kept = runner.keep(prepared, definition.keep());
      LOG.info("scheduled report {} kept as {}", definition.name(), kept.id());
    } catch (Exception e) {
      LOG.error("scheduled report {} due {} failed: {}", definition.name(), due, e.toString());
      audit.append(
          new AuditEvent(
              ACTOR,
              "report.generate",
              id,
              AuditEvent.FAILURE,
              null,
              Map.of("trigger", ArchivedReport.SCHEDULE, "error", String.valueOf(e.getMessage()))));
    }
    return id;
  }
}
