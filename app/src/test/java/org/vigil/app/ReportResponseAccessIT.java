package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.dashboards.AuditEvent;
import org.vigil.dashboards.AuditQuery;
import org.vigil.dashboards.ElasticsearchAlertActivityStore;
import org.vigil.dashboards.ElasticsearchAuditTrail;
import org.vigil.dashboards.Role;
import org.vigil.dashboards.User;
import org.vigil.dashboards.UserStore;
import org.vigil.dashboards.reports.AccessSection;
import org.vigil.dashboards.reports.ComplianceFramework;
import org.vigil.dashboards.reports.ReportContext;
import org.vigil.dashboards.reports.ReportDefinition;
import org.vigil.dashboards.reports.ReportFigure;
import org.vigil.dashboards.reports.ReportSection;
import org.vigil.dashboards.reports.ReportTable;
import org.vigil.dashboards.reports.ReportText;
import org.vigil.dashboards.reports.ResponseSection;
import org.vigil.elasticsearch.IndexTemplates;
import org.vigil.elasticsearch.Indices;
import org.vigil.model.Documents;
import org.vigil.model.Severity;

/**
 * The response and access sections over a known data set in the real Elasticsearch: alerts of two
 * agencies and every severity with triage histories (reopened, closed after the period, commented
 * or not), logins, account changes and audit records. The expected numbers are computed here in
 * plain Java from the same inputs, for every agency and for agency A alone.
 */
class ReportResponseAccessIT {
  private static final Instant FROM = Instant.parse("2026-03-02T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-03-09T00:00:00Z");
  private static final long HOUR = 3_600_000L;
  private static final List<String> AGENCIES = List.of("agency-a", "agency-b");
  private static final String[] RESOLUTIONS = {"true_positive", "false_positive", "benign"};

  /** More than one page of alerts (ResponseSection reads 1000 at a time). */
  private static final int ALERTS = 1_300;

  private static ScratchElasticsearch es;
  private static ElasticsearchAuditTrail trail;
  private static final List<TestAlert> alerts = new ArrayList<>();
  private static final List<Login> logins = new ArrayList<>();
  private static final List<Change> changes = new ArrayList<>();
  private static final List<AuditEvent> audited = new ArrayList<>();
  private static final List<Instant> auditedAt = new ArrayList<>();
  private static final UserStore USERS =
      new FixedUsers(
          List.of(
              new User("soc", "x", Set.of(Role.ANALYST), List.of()),
              new User("ana-a", "x", Set.of(Role.ANALYST), List.of("agency-a")),
              new User("aud-a", "x", Set.of(Role.AUDITOR), List.of("agency-a")),
              new User("ana-b", "x", Set.of(Role.ANALYST), List.of("agency-b")),
              new User("both", "x", Set.of(Role.ANALYST), List.of("agency-a", "agency-b")),
              new User("root-a", "x", Set.of(Role.ADMIN), List.of("agency-a"))));

  record Activity(long time, String kind, String from, String to, String resolution) {}

  record TestAlert(
      String id, String agency, Severity severity, long detected, List<Activity> activity) {}

  record Login(long time, String agency, String outcome, String user, String ip, boolean counts) {}

  record Change(long time, String agency, Map<String, Object> fields, boolean privileged) {}

  @BeforeAll
  static void start() throws Exception {
    es = ScratchElasticsearch.start("vigil-report-resp-it");
    ElasticsearchClient client = es.client();
    IndexTemplates.install(client);
    new ElasticsearchAlertActivityStore(client).ensureIndex();
    MovableClock clock = new MovableClock();
    trail = new ElasticsearchAuditTrail(client, clock);
    trail.ensureIndex();
    Random random = new Random(20260302);
    seedAlerts(client, random);
    seedEvents(client, random);
    seedAudit(clock);
  }

  @AfterAll
  static void stop() throws IOException {
    if (es != null) {
      es.close();
    }
  }

  private static void seedAlerts(ElasticsearchClient client, Random random) throws IOException {
    Severity[] severities = Severity.values();
    for (int i = 0; i < ALERTS; i++) {
      long detected;
      if (i % 97 == 0) {
        detected = FROM.toEpochMilli() - 1 - random.nextInt(50_000_000); // before the period
      } else if (i % 101 == 0) {
        detected = TO.toEpochMilli(); // the period's end is exclusive
      } else {
        detected = FROM.toEpochMilli() + (long) (random.nextDouble() * (7 * 24 * HOUR));
      }
      List<Activity> activity = new ArrayList<>();
      long t = detected;
      switch (random.nextInt(7)) {
        case 1 -> activity.add(status(t += step(random), "new", "acknowledged", null));
        case 2 -> {
          activity.add(status(t += step(random), "new", "acknowledged", null));
          activity.add(status(t += step(random), "acknowledged", "in_progress", null));
        }
        case 3 -> activity.add(status(t += step(random), "new", "closed", resolution(random)));
        case 4 -> {
          activity.add(status(t += step(random), "new", "acknowledged", null));
          activity.add(status(t += step(random), "acknowledged", "closed", resolution(random)));
          activity.add(status(t += step(random), "closed", "in_progress", null));
        }
        case 5 -> {
          activity.add(status(t += step(random), "new", "acknowledged", null));
          activity.add(status(t += step(random), "acknowledged", "closed", resolution(random)));
          activity.add(status(t += step(random), "closed", "in_progress", null));
          activity.add(status(t += step(random), "in_progress", "closed", resolution(random)));
        }
        case 6 -> {
          activity.add(status(t += step(random), "new", "in_progress", null));
          activity.add(status(t += step(random), "in_progress", "closed", resolution(random)));
        }
        default -> {} // never touched
      }
      if (random.nextInt(5) < 2) {
        activity.add(
            new Activity(
                detected + random.nextInt((int) (96 * HOUR)), "comment", null, null, null));
      }
      if (random.nextBoolean()) {
        activity.add(
            new Activity(detected + random.nextInt((int) (10 * HOUR)), "assign", null, null, null));
      }
      alerts.add(
          new TestAlert(
              "alert-" + i,
              AGENCIES.get(random.nextInt(2)),
              severities[random.nextInt(severities.length)],
              detected,
              activity));
    }

    BulkRequest.Builder bulk = new BulkRequest.Builder().refresh(Refresh.True);
    int activityId = 0;
    for (TestAlert alert : alerts) {
      Map<String, Object> flat = new LinkedHashMap<>();
      flat.put("rule.id", "rule-" + alert.severity().wireName());
      flat.put("rule.name", "A " + alert.severity().wireName() + " rule");
      flat.put("vigil.alert.severity", alert.severity().wireName());
      // the document shows today's status; the report must use the activity up to its end
      flat.put("vigil.alert.status", "closed");
      flat.put("organization.id", alert.agency());
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("@timestamp", Documents.isoTime(alert.detected()));
      doc.putAll(Documents.nest(flat));
      bulk.operations(o -> o.index(x -> x.index(Indices.ALERTS).id(alert.id()).document(doc)));
      for (Activity a : alert.activity()) {
        // the shape ElasticsearchAlertActivityStore writes
        Map<String, Object> act = new LinkedHashMap<>();
        act.put("alert_id", alert.id());
        act.put("organization_id", alert.agency());
        act.put("actor", "ana-a");
        act.put("@timestamp", Documents.isoTime(a.time()));
        act.put("kind", a.kind());
        if (a.from() != null) {
          act.put("from", a.from());
          act.put("to", a.to());
        }
        if (a.resolution() != null) {
          act.put("resolution", a.resolution());
        }
        if ("closed".equals(a.to())) {
          act.put("reason", "checked the evidence");
        }
        if (a.kind().equals("comment")) {
          act.put("text", "looked at it");
        }
        if (a.kind().equals("assign")) {
          act.put("assignee", "ana-a");
        }
        String id = "act-" + activityId++;
        bulk.operations(
            o -> o.index(x -> x.index(ElasticsearchAlertActivityStore.INDEX).id(id).document(act)));
      }
    }
    BulkResponse response = client.bulk(bulk.build());
    assertThat(response.errors()).as("bulk errors").isFalse();
  }

  private static long step(Random random) {
    return 1 + (long) (random.nextDouble() * 40 * HOUR);
  }

  private static Activity status(long time, String from, String to, String resolution) {
    return new Activity(time, "status", from, to, resolution);
  }

  private static String resolution(Random random) {
    int r = random.nextInt(RESOLUTIONS.length + 1);
    return r == RESOLUTIONS.length ? null : RESOLUTIONS[r]; // some closed by hand, without one
  }

  private static void seedEvents(ElasticsearchClient client, Random random) throws IOException {
    BulkRequest.Builder bulk = new BulkRequest.Builder().refresh(Refresh.True);
    for (int i = 0; i < 3_000; i++) {
      String agency = AGENCIES.get(random.nextInt(2));
      boolean inPeriod = i % 50 != 0;
      long time =
          inPeriod
              ? FROM.toEpochMilli() + (long) (random.nextDouble() * 7 * 24 * HOUR)
              : TO.toEpochMilli() + random.nextInt((int) HOUR);
      String outcome = random.nextInt(3) == 0 ? "success" : "failure";
      String user = "user" + (int) Math.floor(Math.pow(random.nextDouble(), 2) * 40);
      String ip = "10." + (agency.equals("agency-a") ? 1 : 2) + ".0." + random.nextInt(60);
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("organization.id", agency);
      e.put("event.dataset", "syslog.sshd");
      int shape = random.nextInt(10);
      boolean counts = inPeriod;
      if (shape == 0) {
        // the "Invalid user" line of an attempt: info, not a second attempt
        e.put("event.category", List.of("authentication"));
        e.put("event.type", List.of("info"));
        e.put("event.action", "ssh_invalid_user");
        outcome = "failure";
        counts = false;
      } else if (shape == 1) {
        e.put("event.category", List.of("authentication"));
        e.put("event.type", List.of("end"));
        e.put("event.action", "ssh_preauth_disconnect");
        outcome = "unknown";
        counts = false;
      } else if (outcome.equals("success")) {
        e.put("event.category", List.of("authentication", "session"));
        e.put("event.type", List.of("start"));
        e.put("event.action", "ssh_login");
      } else if (shape == 2) {
        e.put("event.dataset", "beats.winlog");
        e.put("event.code", "4625");
        e.put("event.category", List.of("authentication"));
        e.put("event.type", List.of("start"));
        e.put("event.action", "logon-failed");
      } else {
        e.put("event.category", List.of("authentication"));
        e.put("event.type", List.of("start"));
        e.put("event.action", "ssh_login");
      }
      e.put("event.outcome", outcome);
      e.put("user.name", user);
      e.put("source.ip", ip);
      logins.add(new Login(time, agency, outcome, user, ip, counts));
      addEvent(bulk, "login-" + i, time, e);
    }

    long t = FROM.toEpochMilli() + HOUR;
    change(bulk, t += HOUR, "agency-a", linux("group_member_added", "bob", "sudo", null), true);
    change(
        bulk,
        t += HOUR,
        "agency-a",
        linux("shadow_group_member_added", "bob", "sudo", null),
        false);
    change(bulk, t += HOUR, "agency-a", linux("group_member_added", "bob", "users", null), false);
    change(bulk, t += HOUR, "agency-b", linux("group_member_removed", "eve", "docker", null), true);
    change(bulk, t += HOUR, "agency-b", linux("group_member_added", "mal", "wheel", "root"), true);
    Map<String, Object> failed = linux("group_member_added", "mal", "sudo", null);
    failed.put("event.outcome", "failure");
    change(bulk, t += HOUR, "agency-b", failed, false);
    Map<String, Object> uid0 = linux("user_created", "toor", null, null);
    uid0.put("user.id", 0);
    change(bulk, t += HOUR, "agency-a", uid0, true);
    Map<String, Object> uid1001 = linux("user_created", "carol", null, null);
    uid1001.put("user.id", 1001);
    change(bulk, t += HOUR, "agency-a", uid1001, false);
    change(bulk, t += HOUR, "agency-a", windows("Administrators", "S-1-5-32-544"), true);
    change(bulk, t += HOUR, "agency-b", windows("Administratoren", "S-1-5-32-544"), true);
    change(bulk, t += HOUR, "agency-b", windows("Domain Admins", "S-1-5-21-11-22-33-512"), true);
    change(bulk, t += HOUR, "agency-a", windows("DNSADMINS", "S-1-5-21-11-22-33-1101"), true);
    change(bulk, t += HOUR, "agency-a", windows("Remote Desktop Users", "S-1-5-32-555"), false);
    change(
        bulk,
        TO.toEpochMilli() + HOUR,
        "agency-a",
        linux("group_member_added", "x", "sudo", null),
        false);
    BulkResponse response = client.bulk(bulk.build());
    assertThat(response.errors()).as("bulk errors").isFalse();
  }

  private static Map<String, Object> linux(String action, String user, String group, String by) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("event.dataset", "syslog.usermod");
    e.put("event.category", List.of("iam"));
    e.put("event.type", List.of("group", "change"));
    e.put("event.action", action);
    e.put("event.outcome", "success");
    e.put("host.name", "srv1");
    e.put("user.name", user);
    if (group != null) {
      e.put("group.name", group);
    }
    if (by != null) {
      e.put("process.real_user.name", by);
    }
    return e;
  }

  private static Map<String, Object> windows(String group, String sid) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("event.dataset", "beats.winlog");
    e.put("event.code", "4732");
    e.put("event.category", List.of("iam"));
    e.put("event.type", List.of("group", "change"));
    e.put("event.action", "added-member-to-group");
    e.put("event.outcome", "success");
    e.put("host.name", "dc1");
    e.put("user.name", "Administrator");
    e.put("user.target.name", "CN=Mallory,DC=corp");
    e.put("group.name", group);
    e.put("group.id", sid);
    return e;
  }

  private static void change(
      BulkRequest.Builder bulk, long time, String agency, Map<String, Object> e, boolean counts) {
    e.put("organization.id", agency);
    changes.add(new Change(time, agency, e, counts));
    addEvent(bulk, "change-" + changes.size(), time, e);
  }

  private static void addEvent(
      BulkRequest.Builder bulk, String id, long time, Map<String, Object> flat) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("@timestamp", Documents.isoTime(time));
    doc.putAll(Documents.nest(flat));
    bulk.operations(o -> o.index(x -> x.index(Indices.events(time)).id(id).document(doc)));
  }

  private static void seedAudit(MovableClock clock) {
    Object[][] records = {
      {FROM.minusSeconds(60), "ana-a", "user.login", AuditEvent.SUCCESS},
      {FROM.plusSeconds(60), "ana-a", "user.login", AuditEvent.SUCCESS},
      {FROM.plusSeconds(120), "ana-a", "alert.status", AuditEvent.SUCCESS},
      {FROM.plusSeconds(180), "ana-a", "user.login_failed", AuditEvent.FAILURE},
      {FROM.plusSeconds(240), "aud-a", "user.login", AuditEvent.SUCCESS},
      {FROM.plusSeconds(300), "ana-b", "user.login_failed", AuditEvent.FAILURE},
      {FROM.plusSeconds(360), "ana-b", "alert.comment", AuditEvent.SUCCESS},
      {FROM.plusSeconds(420), "soc", "alert.status", AuditEvent.SUCCESS},
      {FROM.plusSeconds(480), "both", "alert.view", AuditEvent.SUCCESS},
      {FROM.plusSeconds(540), "root-a", "user.add", AuditEvent.SUCCESS},
      {FROM.plusSeconds(600), "nobody", "user.login_failed", AuditEvent.FAILURE},
      {FROM.plusSeconds(660), "ana-a", "user.login_failed", AuditEvent.FAILURE},
      {TO, "ana-a", "user.login", AuditEvent.SUCCESS},
    };
    for (Object[] r : records) {
      clock.now = (Instant) r[0];
      AuditEvent event =
          new AuditEvent((String) r[1], (String) r[2], "", (String) r[3], "192.0.2.1", Map.of());
      trail.append(event);
      audited.add(event);
      auditedAt.add(clock.now);
    }
  }

  // ---- the report

  private static ReportContext context(List<String> agencies) {
    ReportDefinition definition =
        ReportDefinition.adHoc("nist-800-53", Duration.between(FROM, TO), agencies);
    return new ReportContext(
        es.client(),
        definition,
        FROM,
        TO,
        List.of(),
        List.of(),
        trail,
        new ComplianceFramework("nist-800-53", "NIST SP 800-53 rev. 5", List.of()));
  }

  @Test
  void responseOfEveryAgencyMatchesTheTriageRecordedByThePeriodsEnd() throws Exception {
    checkResponse(List.of());
  }

  @Test
  void responseOfOneAgencyCountsOnlyItsAlerts() throws Exception {
    checkResponse(List.of("agency-a"));
  }

  @Test
  void accessOfEveryAgencyCountsLoginsChangesAndAuditActions() throws Exception {
    checkAccess(List.of());
  }

  @Test
  void accessOfOneAgencyCountsOnlyItsEventsAndItsUsersActions() throws Exception {
    checkAccess(List.of("agency-a"));
  }

  @Test
  void anAgencyWithoutDataGetsZerosAndNoTimesRatherThanAnError() throws Exception {
    ReportContext ctx = context(List.of("agency-z"));
    Map<String, String> response = figures(new ResponseSection().build(ctx, Map.of()));
    assertThat(response)
        .containsEntry("alerts.detected", "0")
        .containsEntry("alerts.overdue", "0")
        .containsEntry("tta.median", "n/a")
        .containsEntry("ttc.p90", "n/a");
    ReportSection access = new AccessSection(USERS).build(ctx, Map.of());
    assertThat(figures(access))
        .containsEntry("logins.success", "0")
        .containsEntry("privileged.changes", "0")
        .containsEntry("audit.actions", "0")
        .containsEntry("audit.chain", "intact");
    assertThat(table(access, "access-logins").rows()).isEmpty();
  }

  /** One alert's triage at TO, worked out from its activity list. */
  record Expected(
      TestAlert alert, Long tta, Long ttc, String status, String resolution, boolean commented) {}

  private static Expected expected(TestAlert alert) {
    long cutoff = TO.toEpochMilli();
    Long tta = null;
    Long closedAt = null;
    String status = "new";
    String resolution = null;
    boolean commented = false;
    for (Activity a : alert.activity()) {
      if (a.time() > cutoff) {
        continue;
      }
      switch (a.kind()) {
        case "status" -> {
          if (tta == null && a.from().equals("new")) {
            tta = a.time() - alert.detected();
          }
          status = a.to();
          if (a.to().equals("closed")) {
            closedAt = a.time();
            resolution = a.resolution();
          }
        }
        case "comment" -> commented = true;
        default -> {}
      }
    }
    boolean closed = status.equals("closed");
    return new Expected(
        alert,
        tta,
        closed ? closedAt - alert.detected() : null,
        status,
        closed ? resolution : null,
        commented);
  }

  private static String nearestRank(List<Long> values, int percent) {
    if (values.isEmpty()) {
      return "n/a";
    }
    List<Long> sorted = values.stream().sorted().toList();
    int index = (int) Math.ceil(percent * sorted.size() / 100.0) - 1;
    return ReportText.duration(Duration.ofMillis(sorted.get(index)));
  }

  private static void checkResponse(List<String> agencies) throws Exception {
    ReportContext ctx = context(agencies);
    ReportSection section = new ResponseSection().build(ctx, Map.of());

    List<Expected> all =
        alerts.stream()
            .filter(a -> a.detected() >= FROM.toEpochMilli() && a.detected() < TO.toEpochMilli())
            .filter(a -> agencies.isEmpty() || agencies.contains(a.agency()))
            .map(ReportResponseAccessIT::expected)
            .toList();
    assertThat(all.size()).isGreaterThan(agencies.isEmpty() ? 1_000 : 500);
    List<Expected> closed = all.stream().filter(e -> e.ttc() != null).toList();
    List<Expected> overdue =
        all.stream()
            .filter(e -> e.ttc() == null)
            .filter(
                e ->
                    TO.toEpochMilli() - e.alert().detected()
                        > ctx.definition().responseTarget(e.alert().severity()).toMillis())
            .toList();
    List<Expected> uncommented = closed.stream().filter(e -> !e.commented()).toList();
    List<Long> tta = all.stream().map(Expected::tta).filter(v -> v != null).toList();
    List<Long> ttc = closed.stream().map(Expected::ttc).toList();

    // the data set reaches every case the section distinguishes
    assertThat(overdue).isNotEmpty();
    assertThat(uncommented).isNotEmpty();
    assertThat(closed).anyMatch(e -> e.resolution() == null);
    assertThat(all).anyMatch(e -> e.status().equals("in_progress") && e.tta() != null);
    assertThat(all)
        .anyMatch(
            e ->
                e.alert().activity().stream()
                    .anyMatch(a -> a.kind().equals("status") && a.time() > TO.toEpochMilli()));

    Map<String, String> want = new LinkedHashMap<>();
    want.put("alerts.detected", Long.toString(all.size()));
    want.put("alerts.acknowledged", Long.toString(tta.size()));
    want.put("alerts.closed", Long.toString(closed.size()));
    want.put("tta.median", nearestRank(tta, 50));
    want.put("tta.p90", nearestRank(tta, 90));
    want.put("ttc.median", nearestRank(ttc, 50));
    want.put("ttc.p90", nearestRank(ttc, 90));
    want.put("alerts.overdue", Long.toString(overdue.size()));
    want.put("alerts.closed_without_comment", Long.toString(uncommented.size()));
    for (String r : RESOLUTIONS) {
      want.put(
          "resolutions." + r,
          Long.toString(closed.stream().filter(e -> r.equals(e.resolution())).count()));
    }
    want.put(
        "resolutions.none",
        Long.toString(closed.stream().filter(e -> e.resolution() == null).count()));
    assertThat(figures(section)).containsAllEntriesOf(want);

    List<List<String>> times = new ArrayList<>();
    for (Severity s : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)) {
      List<Expected> of = all.stream().filter(e -> e.alert().severity() == s).toList();
      List<Long> a = of.stream().map(Expected::tta).filter(v -> v != null).toList();
      List<Long> c = of.stream().map(Expected::ttc).filter(v -> v != null).toList();
      times.add(
          List.of(
              s.wireName(),
              Long.toString(of.size()),
              Long.toString(a.size()),
              Long.toString(c.size()),
              nearestRank(a, 50),
              nearestRank(a, 90),
              nearestRank(c, 50),
              nearestRank(c, 90),
              ReportText.duration(ctx.definition().responseTarget(s))));
    }
    assertThat(table(section, "response-times").rows()).isEqualTo(times);

    assertThat(column(table(section, "response-overdue"), 0))
        .containsExactlyInAnyOrderElementsOf(overdue.stream().map(e -> e.alert().id()).toList());
    assertThat(column(table(section, "response-closed-without-comment"), 0))
        .containsExactlyInAnyOrderElementsOf(
            uncommented.stream().map(e -> e.alert().id()).toList());
    Map<String, String> overdueStatus =
        table(section, "response-overdue").rows().stream()
            .collect(Collectors.toMap(r -> r.get(0), r -> r.get(5)));
    for (Expected e : overdue) {
      assertThat(overdueStatus.get(e.alert().id())).isEqualTo(e.status());
    }
    assertThat(column(table(section, "response-resolutions"), 1))
        .containsExactly(
            want.get("resolutions.true_positive"),
            want.get("resolutions.false_positive"),
            want.get("resolutions.benign"),
            want.get("resolutions.none"));
    assertThat(section.charts()).hasSize(1);
    assertThat(section.charts().get(0).labels())
        .containsExactly("critical", "high", "medium", "low");
  }

  private static void checkAccess(List<String> agencies) throws Exception {
    ReportSection section = new AccessSection(USERS).build(context(agencies), Map.of());

    List<Login> counted =
        logins.stream()
            .filter(Login::counts)
            .filter(l -> agencies.isEmpty() || agencies.contains(l.agency()))
            .toList();
    Map<String, long[]> byAgency = new TreeMap<>();
    for (Login l : counted) {
      byAgency
              .computeIfAbsent(l.agency(), k -> new long[2])[
              l.outcome().equals("success") ? 0 : 1] +=
          1;
    }
    List<List<String>> loginRows = new ArrayList<>();
    byAgency.forEach(
        (agency, c) ->
            loginRows.add(
                List.of(
                    agency,
                    Long.toString(c[0]),
                    Long.toString(c[1]),
                    ReportText.percent(c[1], c[0] + c[1]))));
    assertThat(table(section, "access-logins").rows()).isEqualTo(loginRows);
    Map<String, String> figures = figures(section);
    assertThat(figures)
        .containsEntry(
            "logins.success",
            Long.toString(counted.stream().filter(l -> l.outcome().equals("success")).count()))
        .containsEntry(
            "logins.failure",
            Long.toString(counted.stream().filter(l -> l.outcome().equals("failure")).count()));

    List<Login> failures = counted.stream().filter(l -> l.outcome().equals("failure")).toList();
    assertThat(table(section, "access-failed-users").rows())
        .isEqualTo(top(failures.stream().map(Login::user).toList()));
    assertThat(table(section, "access-failed-sources").rows())
        .isEqualTo(top(failures.stream().map(Login::ip).toList()));

    List<Change> privileged =
        changes.stream()
            .filter(Change::privileged)
            .filter(c -> agencies.isEmpty() || agencies.contains(c.agency()))
            .toList();
    assertThat(privileged).hasSize(agencies.isEmpty() ? 8 : 4);
    assertThat(figures).containsEntry("privileged.changes", Long.toString(privileged.size()));
    ReportTable changeTable = table(section, "access-privileged-changes");
    assertThat(column(changeTable, 0))
        .containsExactlyElementsOf(
            privileged.stream().map(c -> ReportText.time(Instant.ofEpochMilli(c.time()))).toList());
    assertThat(column(changeTable, 5))
        .containsExactlyElementsOf(
            privileged.stream()
                .map(c -> (String) c.fields().getOrDefault("group.name", ""))
                .toList());

    String head =
        trail.search(new AuditQuery(null, null, null, null, null, 0, 1)).records().get(0).hash();
    assertThat(figures)
        .containsEntry("audit.chain", "intact")
        .containsEntry("audit.records", Long.toString(audited.size()))
        .containsEntry("audit.head", head);

    Set<String> actors =
        agencies.isEmpty() ? null : Set.of("ana-a", "aud-a"); // who sees only agency A
    Map<List<String>, Long> actions = new TreeMap<>(Comparator.comparing(List::toString));
    long loginFailures = 0;
    for (int i = 0; i < audited.size(); i++) {
      AuditEvent e = audited.get(i);
      Instant at = auditedAt.get(i);
      if (at.isBefore(FROM)
          || !at.isBefore(TO)
          || (actors != null && !actors.contains(e.actor()))) {
        continue;
      }
      actions.merge(List.of(e.action(), e.outcome()), 1L, Long::sum);
      if (e.action().equals("user.login_failed")) {
        loginFailures++;
      }
    }
    List<List<String>> actionRows = new ArrayList<>();
    actions.forEach((k, n) -> actionRows.add(List.of(k.get(0), k.get(1), Long.toString(n))));
    assertThat(table(section, "access-audit-actions").rows())
        .containsExactlyInAnyOrderElementsOf(actionRows);
    assertThat(figures).containsEntry("dashboard.login_failures", Long.toString(loginFailures));
  }

  private static List<List<String>> top(List<String> values) {
    Map<String, Long> counts = new HashMap<>();
    values.forEach(v -> counts.merge(v, 1L, Long::sum));
    return counts.entrySet().stream()
        .sorted(
            Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                .reversed()
                .thenComparing(Map.Entry::getKey))
        .limit(20)
        .map(e -> List.of(e.getKey(), Long.toString(e.getValue())))
        .toList();
  }

  private static Map<String, String> figures(ReportSection section) {
    Map<String, String> map = new LinkedHashMap<>();
    for (ReportFigure f : section.figures()) {
      map.put(f.key(), f.value());
    }
    return map;
  }

  private static ReportTable table(ReportSection section, String id) {
    return section.table(id).orElseThrow(() -> new AssertionError("no table " + id));
  }

  private static List<String> column(ReportTable table, int column) {
    return table.rows().stream().map(r -> r.get(column)).toList();
  }

  /** The audit trail stamps records with this clock, so they fall where the test puts them. */
  private static final class MovableClock extends Clock {
    volatile Instant now = FROM;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** The dashboard's users, fixed for the test. */
  private record FixedUsers(List<User> users) implements UserStore {
    @Override
    public Optional<User> find(String username) {
      return users.stream().filter(u -> u.username().equals(username)).findFirst();
    }

    @Override
    public void save(User user) {
      throw new UnsupportedOperationException("the test's users are fixed");
    }

    @Override
    public boolean delete(String username) {
      throw new UnsupportedOperationException("the test's users are fixed");
    }

    @Override
    public List<User> list() {
      return users;
    }
  }
}
