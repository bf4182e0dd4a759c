package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.dashboards.reports.Report;
import org.vigil.dashboards.reports.ReportDefinition;
import org.vigil.dashboards.reports.ReportGenerator;
import org.vigil.dashboards.reports.ReportSchedule;

class ReportSchedulerTest {
  private final Vertx vertx = Vertx.vertx();
  private final InMemoryReportArchive archive = new InMemoryReportArchive();
  private final InMemoryAuditTrail audit = new InMemoryAuditTrail();
  private final AtomicInteger generated = new AtomicInteger();
  private final List<Instant> periodEnds = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ReportDefinition weekly =
      ReportDefinition.parse("name: weekly\nperiod: 7d\nschedule: \"0 6 * * MON\"\nkeep: 2\n");

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void aDueRunIsKeptOnceUnderItsDueTimeAndAudited() {
    ReportScheduler scheduler = scheduler(Instant.parse("2026-11-30T06:00:00Z"));
    Instant due = Instant.parse("2026-11-30T06:00:00Z");

    String id = scheduler.run(weekly, due);
    scheduler.run(weekly, due); // a second dashboard process with the same schedule

    assertThat(id).isEqualTo("weekly@" + due.toEpochMilli());
    assertThat(generated).hasValue(1);
    assertThat(periodEnds).as("the period ends when the run was due").containsExactly(due);
    assertThat(archive.get(id))
        .hasValueSatisfying(
            r -> {
              assertThat(r.trigger()).isEqualTo(ArchivedReport.SCHEDULE);
              assertThat(r.generatedBy()).isEqualTo("system");
            });
    assertThat(audit.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.action()).isEqualTo("report.generate");
              assertThat(e.target()).isEqualTo(id);
              assertThat(e.details()).containsEntry("trigger", "schedule");
            });
  }

  @Test
  void onlyTheNewestKeptRunsOfADefinitionRemain() {
    List<String> due = List.of("2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23");
    for (String day : due) {
      Instant at = Instant.parse(day + "T06:00:00Z");
      scheduler(at).run(weekly, at);
    }
    assertThat(archive.list(AgencyScope.all(), 10))
        .extracting(ArchivedReport::id)
        .containsExactly(
            "weekly@" + Instant.parse("2026-11-23T06:00:00Z").toEpochMilli(),
            "weekly@" + Instant.parse("2026-11-16T06:00:00Z").toEpochMilli());
  }

  @Test
  void aRunMissedWhileTheDashboardWasDownIsMadeUpForThePeriodItWasDueFor() {
    Instant lastWeek = Instant.parse("2026-11-23T06:00:00Z");
    scheduler(lastWeek).run(weekly, lastWeek);
    Instant missed = Instant.parse("2026-11-30T06:00:00Z");
    ReportScheduler restarted = scheduler(Instant.parse("2026-12-02T09:30:00Z"));

    String madeUp = restarted.catchUp(weekly, ReportSchedule.parse(weekly.schedule()));

    assertThat(madeUp).isEqualTo("weekly@" + missed.toEpochMilli());
    assertThat(periodEnds).containsExactly(lastWeek, missed);
    assertThat(restarted.catchUp(weekly, ReportSchedule.parse(weekly.schedule())))
        .as("made up once")
        .isNull();
  }

  @Test
  void aNewScheduleDoesNotReportOnTheTimeBeforeItExisted() {
    ReportScheduler fresh = scheduler(Instant.parse("2026-12-02T09:30:00Z"));
    assertThat(fresh.catchUp(weekly, ReportSchedule.parse(weekly.schedule()))).isNull();
    assertThat(generated).hasValue(0);
  }

  @Test
  void aFailedRunIsAuditedAsAFailure() {
    ReportGenerator failing =
        (d, by, end) -> {
          throw new java.io.IOException("Elasticsearch is down");
        };
    ReportScheduler scheduler =
        new ReportScheduler(
            vertx,
            new ReportBackends(ReportCatalog.empty(), failing, archive),
            audit,
            Clock.systemUTC());
    scheduler.run(weekly, Instant.parse("2026-11-30T06:00:00Z"));
    assertThat(audit.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(AuditEvent.FAILURE);
              assertThat(e.details().get("error").toString()).contains("Elasticsearch is down");
            });
    assertThat(archive.list(AgencyScope.all(), 10)).isEmpty();
  }

  private ReportScheduler scheduler(Instant now) {
    ReportGenerator generator =
        (definition, by, end) -> {
          generated.incrementAndGet();
          periodEnds.add(end);
          return new Report(definition, end.minus(definition.period()), end, now, by, List.of());
        };
    return new ReportScheduler(
        vertx,
        new ReportBackends(ReportCatalog.empty(), generator, archive),
        audit,
        Clock.fixed(now, ZoneOffset.UTC));
  }
}
