package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import inet.ipaddr.IPAddressString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.dashboards.reports.CoverageSection;
import org.vigil.dashboards.reports.DetectionSection;
import org.vigil.dashboards.reports.InventoryAsset;
import org.vigil.dashboards.reports.InventoryAssets;
import org.vigil.dashboards.reports.ReportContext;
import org.vigil.dashboards.reports.ReportDefinition;
import org.vigil.dashboards.reports.ReportFigure;
import org.vigil.dashboards.reports.ReportSection;
import org.vigil.dashboards.reports.ReportTable;
import org.vigil.dashboards.reports.ReportText;
import org.vigil.elasticsearch.IndexTemplates;
import org.vigil.elasticsearch.Indices;
import org.vigil.model.Documents;
import org.vigil.rules.engine.RulePack;
import org.vigil.rules.engine.RuleRelease;

/**
 * The coverage and detection sections against the real Elasticsearch over a known data set: three
 * agencies (police out of scope), inventory assets that report, report with a long gap, fall
 * silent, or never report, syslog and netflow events, and alerts of several rules, severities and
 * techniques. Every expected number is computed here from the same documents, without the sections'
 * code.
 */
class ReportCoverageDetectionIT {
  private static final Instant FROM = Instant.parse("2026-03-02T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-03-04T00:00:00Z");
  private static final Duration SILENCE = Duration.ofHours(2);
  private static final List<String> SCOPE = List.of("health", "transport");

  private static final String INVENTORY =
      "asset,cidr,agency,owner,criticality,notes\n"
          + "mail-1,10.1.0.5/32,health,ops,high,reports all the time\n"
          + "web-1,10.1.0.6/32,health,web team,medium,has a long gap\n"
          + "db-1,10.1.0.7/32,health,dba,critical,never reports\n"
          + "branch-lan,10.2.0.0/24,transport,netops,low,seen only in flows; goes silent\n"
          + "police-srv,10.3.0.5/32,police,,high,out of scope\n"
          + ",10.9.0.0/16,health,,,an agency network only\n";

  private static ScratchElasticsearch es;
  private static final List<Ev> EVENTS = new ArrayList<>();
  private static final List<Al> ALERTS = new ArrayList<>();
  private static List<InventoryAsset> inventory;
  private static List<RuleRelease> releases;

  /** An event as indexed; null fields are left out of the document. */
  record Ev(long time, String agency, String dataset, String observer, String source) {}

  /** An alert as indexed. */
  record Al(
      long time, String ruleId, String ruleName, String severity, String technique, String org) {}

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("assets.csv");
    Files.writeString(csv, INVENTORY);
    inventory = InventoryAssets.read(csv);
    es = ScratchElasticsearch.start("vigil-report-cov-it");
    ElasticsearchClient client = es.client();
    IndexTemplates.install(client);
    events();
    alerts();
    index(client);
    releases = releases();
  }

  @AfterAll
  static void stop() throws Exception {
    if (es != null) {
      es.close();
    }
  }

  private static long t(Instant at) {
    return at.toEpochMilli();
  }

  private static void events() {
    long from = t(FROM);
    long to = t(TO);
    // mail-1: every 15 s, with a twin event now and then: more than one page of event times.
    for (long time = from; time < to; time += 15_000) {
      EVENTS.add(new Ev(time, "health", "syslog.sshd", "10.1.0.5", "192.0.2.1"));
      if ((time - from) / 15_000 % 97 == 0) {
        EVENTS.add(new Ev(time, "health", "syslog.sshd", "10.1.0.5", "192.0.2.2"));
      }
    }
    EVENTS.add(new Ev(from - 1, "health", "syslog.sshd", "10.1.0.5", null));
    EVENTS.add(new Ev(to, "health", "syslog.sshd", "10.1.0.5", null));
    // web-1: every 15 min, except for five and a half hours in the middle.
    for (long time = from + 7 * 60_000; time < to; time += 15 * 60_000) {
      long sinceStart = time - from;
      if (sinceStart >= Duration.ofHours(20).toMillis()
          && sinceStart < Duration.ofHours(25).plusMinutes(30).toMillis()) {
        continue;
      }
      EVENTS.add(new Ev(time, "health", "syslog.nginx", "10.1.0.6", null));
    }
    // db-1 sends only before and after the period; it went silent in the period before.
    EVENTS.add(
        new Ev(from - Duration.ofHours(5).toMillis(), "health", "syslog.pg", "10.1.0.7", null));
    EVENTS.add(new Ev(to + 60_000, "health", "syslog.pg", "10.1.0.7", null));
    // Not db-1: its address as a source of a syslog line (only flows count by source).
    EVENTS.add(new Ev(from + 3_600_000, "health", "syslog.sshd", "10.1.9.9", "10.1.0.7"));
    // branch-lan: flows from the router 10.2.9.1, until three hours before the end.
    int i = 0;
    for (long time = from + 60_000;
        time < to - Duration.ofHours(3).toMillis();
        time += 20 * 60_000) {
      EVENTS.add(new Ev(time, "transport", "netflow.flow", "10.2.9.1", "10.2.0." + (10 + i++ % 5)));
    }
    for (long time = from; time < to; time += 30 * 60_000) {
      // The router's own logs, and flows of a source outside every asset.
      EVENTS.add(new Ev(time + 1_000, "transport", "syslog.router", "10.2.9.1", null));
      EVENTS.add(new Ev(time + 2_000, "transport", "netflow.flow", "10.2.9.1", "10.1.0.99"));
      // police-srv, out of scope.
      EVENTS.add(new Ev(time + 3_000, "police", "syslog.sshd", "10.3.0.5", null));
    }
    // Events without an agency or a sender.
    for (int k = 0; k < 3; k++) {
      EVENTS.add(new Ev(from + k * 3_600_000L, null, "beats.winlog", null, null));
    }
    // The period before: a sender that goes silent, and the ones that keep sending.
    EVENTS.add(
        new Ev(
            from - Duration.ofHours(30).toMillis(),
            "transport",
            "syslog.switch",
            "10.2.9.7",
            null));
    EVENTS.add(
        new Ev(from - Duration.ofHours(30).toMillis(), "health", "syslog.nginx", "10.1.0.6", null));
  }

  private static void alerts() {
    String[][] rules = {
      {"auth-brute-force", "Five failed logins from one source within a minute", "high", "T1110"},
      {"spray", "Password spraying", "medium", "T1110.003"},
      {"dns-tunnel", "DNS tunnelling", "critical", "T1071.004"},
      {"odd-login", "Login at an odd hour", "low", "T1078"},
      {"no-technique", "A rule without technique", "low", null},
      {"odd-technique", "A rule with an unknown technique", "medium", "T9999"},
    };
    String[] orgs = {"health", "transport", "police"};
    for (int k = 0; k < 60; k++) {
      String[] rule = rules[(k * 7) % rules.length];
      if (k % 5 == 0) {
        rule = rules[k % 4];
      }
      long time = t(FROM) + k * 47 * 60_000L;
      ALERTS.add(new Al(time, rule[0], rule[1], rule[2], rule[3], orgs[k % 3]));
    }
    ALERTS.add(
        new Al(t(FROM) - 1, "dns-tunnel", "DNS tunnelling", "critical", "T1071.004", "health"));
    ALERTS.add(new Al(t(TO), "dns-tunnel", "DNS tunnelling", "critical", "T1071.004", "health"));
  }

  private static void index(ElasticsearchClient client) throws Exception {
    BulkRequest.Builder bulk = new BulkRequest.Builder().refresh(Refresh.True);
    int n = 0;
    for (Ev e : EVENTS) {
      Map<String, Object> flat = new LinkedHashMap<>();
      putIf(flat, "organization.id", e.agency());
      putIf(flat, "event.dataset", e.dataset());
      putIf(flat, "observer.ip", e.observer());
      putIf(flat, "source.ip", e.source());
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("@timestamp", Documents.isoTime(e.time()));
      doc.putAll(Documents.nest(flat));
      String id = "e-" + n++;
      bulk.operations(o -> o.index(x -> x.index(Indices.events(e.time())).id(id).document(doc)));
    }
    for (Al a : ALERTS) {
      Map<String, Object> flat = new LinkedHashMap<>();
      flat.put("rule.id", a.ruleId());
      flat.put("rule.name", a.ruleName());
      flat.put("vigil.alert.severity", a.severity());
      flat.put("vigil.alert.status", "new");
      putIf(flat, "threat.technique.id", a.technique());
      flat.put("organization.id", a.org());
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("@timestamp", Documents.isoTime(a.time()));
      doc.putAll(Documents.nest(flat));
      String id = "a-" + n++;
      bulk.operations(o -> o.index(x -> x.index(Indices.ALERTS).id(id).document(doc)));
    }
    BulkResponse response = client.bulk(bulk.build());
    assertThat(response.errors()).as("bulk errors").isFalse();
  }

  private static void putIf(Map<String, Object> flat, String key, Object value) {
    if (value != null) {
      flat.put(key, value);
    }
  }

  private static String drl(String name, String id, int version, String severity, String cond) {
    return "rule \""
        + name
        + "\" @id(\""
        + id
        + "\") @version("
        + version
        + ") @severity(\""
        + severity
        + "\") @technique(\"T1110\") @groupBy(\"source.ip\")\n"
        + "when\n  $e : Event( "
        + cond
        + " )\nthen\n  detections.raise( $e );\nend\n";
  }

  private static Map<String, String> pack(String... rules) {
    return Map.of(
        "extra.drl",
        "package it.extra;\n"
            + "import org.vigil.model.Event;\n"
            + "global org.vigil.rules.engine.Detections detections;\n"
            + String.join("", rules));
  }

  /**
   * Ruleset {@code extra}: version 1 before the period; version 2 in it (b's version bumped, c's
   * condition changed under the same version, d dropped, e added); version 3 after it.
   */
  private static List<RuleRelease> releases() {
    String a = drl("Rule a", "x-a", 1, "low", "outcome == \"failure\"");
    String b1 = drl("Rule b", "x-b", 1, "low", "outcome == \"failure\"");
    String b2 = drl("Rule b", "x-b", 2, "low", "outcome == \"failure\"");
    String c1 = drl("Rule c", "x-c", 1, "high", "outcome == \"failure\"");
    String c2 = drl("Rule c", "x-c", 1, "high", "outcome == \"success\"");
    String d = drl("Rule d", "x-d", 1, "medium", "outcome == \"failure\"");
    String e = drl("Rule e", "x-e", 1, "critical", "outcome == \"failure\"");
    return List.of(
        RuleRelease.of("extra", 1, "bob", FROM.minus(Duration.ofDays(3)), pack(a, b1, c1, d)),
        RuleRelease.of(
            "extra", 2, "alice", FROM.plus(Duration.ofHours(10)), pack(a, b2, c2, e), "tuning"),
        RuleRelease.of("extra", 3, "carol", TO.plus(Duration.ofHours(1)), pack(a)));
  }

  private static ReportContext context(List<String> scope, List<InventoryAsset> assets) {
    return context(scope, assets, FROM, TO);
  }

  private static ReportContext context(
      List<String> scope, List<InventoryAsset> assets, Instant from, Instant to) {
    ReportDefinition definition =
        new ReportDefinition(
            "it-report",
            null,
            null,
            Duration.between(from, to),
            scope,
            null,
            null,
            SILENCE,
            null,
            0);
    return new ReportContext(es.client(), definition, from, to, assets, releases, null, null);
  }

  // --- expectations, computed from the documents alone ---

  private static boolean inPeriod(long time, Instant from, Instant to) {
    return time >= t(from) && time < t(to);
  }

  private static boolean inScope(String agency, List<String> scope) {
    return scope.isEmpty() || (agency != null && scope.contains(agency));
  }

  private static boolean contains(String cidr, String ip) {
    return ip != null && new IPAddressString(cidr).contains(new IPAddressString(ip));
  }

  private static List<List<String>> expectedAssets(List<String> scope) {
    List<List<String>> rows = new ArrayList<>();
    for (InventoryAsset asset : inventory) {
      if (!inScope(asset.agency(), scope)) {
        continue;
      }
      List<Long> times =
          EVENTS.stream()
              .filter(e -> inPeriod(e.time(), FROM, TO) && inScope(e.agency(), scope))
              .filter(
                  e ->
                      contains(asset.cidr(), e.observer())
                          || (e.dataset().startsWith("netflow.")
                              && contains(asset.cidr(), e.source())))
              .map(Ev::time)
              .sorted()
              .toList();
      long longest;
      if (times.isEmpty()) {
        longest = t(TO) - t(FROM);
      } else {
        longest = Math.max(times.get(0) - t(FROM), t(TO) - times.get(times.size() - 1));
        for (int k = 1; k < times.size(); k++) {
          longest = Math.max(longest, times.get(k) - times.get(k - 1));
        }
      }
      String status =
          times.isEmpty()
              ? "never"
              : t(TO) - times.get(times.size() - 1) >= SILENCE.toMillis() ? "silent" : "reporting";
      rows.add(
          List.of(
              asset.name(),
              asset.agency(),
              asset.cidr(),
              asset.criticality(),
              Long.toString(times.size()),
              times.isEmpty() ? "" : ReportText.time(Instant.ofEpochMilli(times.get(0))),
              times.isEmpty()
                  ? ""
                  : ReportText.time(Instant.ofEpochMilli(times.get(times.size() - 1))),
              ReportText.duration(Duration.ofMillis(longest)),
              status));
    }
    return rows;
  }

  private static Map<List<String>, Long> expectedVolume(List<String> scope) {
    return EVENTS.stream()
        .filter(e -> inPeriod(e.time(), FROM, TO) && inScope(e.agency(), scope))
        .collect(
            Collectors.groupingBy(
                e -> List.of(Objects.requireNonNullElse(e.agency(), "(none)"), e.dataset()),
                Collectors.counting()));
  }

  private static Map<List<String>, Long> volume(ReportSection section) {
    Map<List<String>, Long> volume = new LinkedHashMap<>();
    for (List<String> row : table(section, "coverage-volume").rows()) {
      volume.put(List.of(row.get(0), row.get(1)), Long.parseLong(row.get(2)));
    }
    return volume;
  }

  private static ReportTable table(ReportSection section, String id) {
    return section.table(id).orElseThrow(() -> new AssertionError("no table " + id));
  }

  private static String figure(ReportSection section, String key) {
    return section.figure(key).map(ReportFigure::value).orElseThrow(() -> new AssertionError(key));
  }

  private static long countStatus(List<List<String>> rows, String status) {
    return rows.stream().filter(r -> r.get(8).equals(status)).count();
  }

  @Test
  void coverageOfInventoryAssetsMatchesTheEventsInScope() throws Exception {
    ReportSection section = new CoverageSection().build(context(SCOPE, inventory), Map.of());

    List<List<String>> expected = expectedAssets(SCOPE);
    assertThat(table(section, "coverage-assets").rows()).isEqualTo(expected);
    assertThat(expected)
        .extracting(r -> r.get(0) + ":" + r.get(8))
        .containsExactly("mail-1:reporting", "web-1:reporting", "db-1:never", "branch-lan:silent");
    assertThat(Long.parseLong(expected.get(0).get(4))).isGreaterThan(10_000);
    assertThat(expected.get(1).get(7)).isEqualTo(ReportText.duration(Duration.ofMinutes(345)));
    assertThat(figure(section, "assets.total")).isEqualTo("4");
    assertThat(figure(section, "assets.reporting"))
        .isEqualTo(Long.toString(countStatus(expected, "reporting")));
    assertThat(figure(section, "assets.silent"))
        .isEqualTo(Long.toString(countStatus(expected, "silent")));
    assertThat(figure(section, "assets.never"))
        .isEqualTo(Long.toString(countStatus(expected, "never")));
    assertThat(figure(section, "assets.interrupted")).isEqualTo("3");

    Map<List<String>, Long> volume = expectedVolume(SCOPE);
    assertThat(volume(section)).isEqualTo(volume);
    assertThat(figure(section, "events.total"))
        .isEqualTo(Long.toString(volume.values().stream().mapToLong(Long::longValue).sum()));
    assertThat(section.charts().get(0).labels()).containsExactly("health", "transport");
  }

  @Test
  void agencyScopedCoverageLeavesOtherAgenciesOut() throws Exception {
    List<String> healthOnly = List.of("health");
    ReportSection section = new CoverageSection().build(context(healthOnly, inventory), Map.of());

    assertThat(table(section, "coverage-assets").rows()).isEqualTo(expectedAssets(healthOnly));
    assertThat(table(section, "coverage-assets").rows())
        .extracting(r -> r.get(1))
        .containsOnly("health");
    assertThat(volume(section)).isEqualTo(expectedVolume(healthOnly));
    assertThat(volume(section).keySet()).extracting(k -> k.get(0)).containsOnly("health");
    assertThat(figure(section, "assets.total")).isEqualTo("3");
  }

  @Test
  void withoutInventoryListsSendersAndThoseThatWentSilent() throws Exception {
    ReportSection section = new CoverageSection().build(context(List.of(), List.of()), Map.of());

    assertThat(section.notes().get(0)).contains("No asset inventory");
    assertThat(section.table("coverage-assets")).isEmpty();
    Map<String, List<Ev>> now = new TreeMap<>();
    Map<String, List<Ev>> before = new TreeMap<>();
    for (Ev e : EVENTS) {
      if (e.observer() == null) {
        continue;
      }
      if (inPeriod(e.time(), FROM, TO)) {
        now.computeIfAbsent(e.observer(), k -> new ArrayList<>()).add(e);
      } else if (inPeriod(e.time(), FROM.minus(Duration.between(FROM, TO)), FROM)) {
        before.computeIfAbsent(e.observer(), k -> new ArrayList<>()).add(e);
      }
    }
    List<List<String>> expected = new ArrayList<>();
    long silent = 0;
    for (Map.Entry<String, List<Ev>> sender : now.entrySet()) {
      long first = sender.getValue().stream().mapToLong(Ev::time).min().orElseThrow();
      long last = sender.getValue().stream().mapToLong(Ev::time).max().orElseThrow();
      boolean quiet = t(TO) - last >= SILENCE.toMillis();
      silent += quiet ? 1 : 0;
      expected.add(
          List.of(
              sender.getKey(),
              String.join(", ", new TreeSet<>(sender.getValue().stream().map(Ev::agency).toList())),
              Integer.toString(sender.getValue().size()),
              ReportText.time(Instant.ofEpochMilli(first)),
              ReportText.time(Instant.ofEpochMilli(last)),
              quiet ? "silent" : "reporting"));
    }
    List<String> wentSilent = new ArrayList<>();
    for (Map.Entry<String, List<Ev>> sender : before.entrySet()) {
      if (!now.containsKey(sender.getKey())) {
        wentSilent.add(sender.getKey());
        long last = sender.getValue().stream().mapToLong(Ev::time).max().orElseThrow();
        expected.add(
            List.of(
                sender.getKey(),
                String.join(
                    ", ", new TreeSet<>(sender.getValue().stream().map(Ev::agency).toList())),
                "0",
                "",
                ReportText.time(Instant.ofEpochMilli(last)),
                "went silent"));
      }
    }
    assertThat(wentSilent).containsExactly("10.1.0.7", "10.2.9.7");
    assertThat(table(section, "coverage-senders").rows()).isEqualTo(expected);
    assertThat(figure(section, "senders.total")).isEqualTo(Integer.toString(expected.size()));
    assertThat(figure(section, "senders.silent"))
        .isEqualTo(Long.toString(silent + wentSilent.size()));
    assertThat(volume(section)).isEqualTo(expectedVolume(List.of()));
    assertThat(volume(section)).containsKey(List.of("(none)", "beats.winlog"));
  }

  private static List<Al> alertsIn(List<String> scope) {
    return ALERTS.stream()
        .filter(a -> inPeriod(a.time(), FROM, TO) && inScope(a.org(), scope))
        .toList();
  }

  private static List<String> tacticsOf(String technique) {
    if (technique == null) {
      return List.of("(unmapped)");
    }
    return switch (technique.substring(0, 5)) {
      case "T1110" -> List.of("Credential Access");
      case "T1071" -> List.of("Command and Control");
      case "T1078" ->
          List.of("Initial Access", "Persistence", "Privilege Escalation", "Defense Evasion");
      default -> List.of("(unmapped)");
    };
  }

  private void checkAlerts(ReportSection section, List<String> scope) {
    List<Al> alerts = alertsIn(scope);
    assertThat(figure(section, "alerts.total")).isEqualTo(Integer.toString(alerts.size()));
    for (String severity : List.of("low", "medium", "high", "critical")) {
      assertThat(figure(section, "alerts." + severity))
          .isEqualTo(
              Long.toString(alerts.stream().filter(a -> a.severity().equals(severity)).count()));
    }
    Map<List<String>, Long> byRule =
        alerts.stream()
            .collect(
                Collectors.groupingBy(
                    a -> List.of(a.ruleId(), a.ruleName(), a.severity()), Collectors.counting()));
    ReportTable rules = table(section, "detection-rules");
    assertThat(rules.columns()).containsExactly("rule id", "rule name", "severity", "alerts");
    assertThat(rules.rows())
        .containsExactlyInAnyOrderElementsOf(
            byRule.entrySet().stream()
                .map(
                    e -> {
                      List<String> row = new ArrayList<>(e.getKey());
                      row.add(Long.toString(e.getValue()));
                      return row;
                    })
                .toList());
    Map<String, Long> byTactic = new TreeMap<>();
    for (Al a : alerts) {
      for (String tactic : tacticsOf(a.technique())) {
        byTactic.merge(tactic, 1L, Long::sum);
      }
    }
    Map<String, Long> reported = new TreeMap<>();
    for (List<String> row : table(section, "detection-tactics").rows()) {
      if (!row.get(1).equals("0")) {
        reported.put(row.get(0), Long.parseLong(row.get(1)));
      }
    }
    assertThat(reported).isEqualTo(byTactic);
  }

  @Test
  void detectionCountsAlertsBySeverityRuleAndTactic() throws Exception {
    ReportSection section = new DetectionSection().build(context(SCOPE, inventory), Map.of());

    checkAlerts(section, SCOPE);
    assertThat(section.charts().get(0).labels())
        .containsExactly("critical", "high", "medium", "low");
  }

  @Test
  void agencyScopedDetectionLeavesOtherAgenciesOut() throws Exception {
    List<String> transportOnly = List.of("transport");
    ReportSection section =
        new DetectionSection().build(context(transportOnly, inventory), Map.of());

    checkAlerts(section, transportOnly);
    assertThat(figure(section, "alerts.total"))
        .isNotEqualTo(Integer.toString(alertsIn(SCOPE).size()));
  }

  @Test
  void detectionListsRuleChangesAndWhoDeployedThem() throws Exception {
    ReportSection section = new DetectionSection().build(context(SCOPE, inventory), Map.of());

    int shipped = RulePack.builtIn().rules().size();
    assertThat(figure(section, "rules.active")).isEqualTo(Integer.toString(shipped + 4));
    assertThat(figure(section, "rules.added")).isEqualTo("1");
    assertThat(figure(section, "rules.changed")).isEqualTo("2");
    assertThat(figure(section, "rules.disabled")).isEqualTo("1");
    assertThat(figure(section, "rules.deploys")).isEqualTo("1");
    assertThat(table(section, "detection-rule-changes").rows())
        .containsExactly(
            List.of(
                ReportText.time(FROM.plus(Duration.ofHours(10))),
                "extra",
                "2",
                "alice",
                "tuning",
                "x-e",
                "x-b, x-c",
                "x-d"));
    assertThat(table(section, "detection-rules-active").rows())
        .filteredOn(r -> r.get(5).equals("extra"))
        .extracting(r -> r.get(0) + "@" + r.get(4))
        .containsExactly("x-a@1", "x-b@2", "x-c@1", "x-e@1");
  }

  @Test
  void periodWithoutDataHasEveryAssetNeverReportingAndNoAlerts() throws Exception {
    Instant from = Instant.parse("2025-01-01T00:00:00Z");
    Instant to = from.plus(Duration.ofDays(1));
    ReportContext ctx = context(SCOPE, inventory, from, to);

    ReportSection coverage = new CoverageSection().build(ctx, Map.of());
    ReportSection detection = new DetectionSection().build(ctx, Map.of());

    assertThat(figure(coverage, "assets.never")).isEqualTo("4");
    assertThat(figure(coverage, "events.total")).isEqualTo("0");
    assertThat(table(coverage, "coverage-assets").rows())
        .extracting(r -> r.get(7))
        .containsOnly(ReportText.duration(Duration.ofDays(1)));
    assertThat(table(coverage, "coverage-volume").rows()).isEmpty();
    assertThat(figure(detection, "alerts.total")).isEqualTo("0");
    assertThat(table(detection, "detection-rules").rows()).isEmpty();
    assertThat(figure(detection, "rules.deploys")).isEqualTo("0");
    assertThat(figure(detection, "rules.active"))
        .isEqualTo(Integer.toString(RulePack.builtIn().rules().size()));
  }
}
