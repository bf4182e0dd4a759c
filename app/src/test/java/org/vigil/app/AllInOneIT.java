package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vigil.app.ElasticsearchQueries.term;
import static org.vigil.app.ElasticsearchQueries.terms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.app.bench.FreePorts;

/**
 * The spine, end to end, as a newcomer meets it: the real Kafka broker, the real Elasticsearch
 * server, the correlation job in a Flink MiniCluster, the collector and the dashboard, all started
 * by {@link AllInOne}; util-linux {@code logger} sends over UDP and TCP; the results are read from
 * Elasticsearch and the REST API over HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AllInOneIT {
  private static final String PASSWORD = "It-Admin-Pass-1";
  private static final Duration WITHIN = Duration.ofSeconds(30);

  static {
    // A new daily index answers 503 for a moment while its shard starts: ask again.
    Awaitility.ignoreExceptionsByDefault();
    Awaitility.setDefaultPollInterval(Duration.ofMillis(250));
  }

  /** Deleted once every test passed; kept, with its logs, when one failed. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dataDir;

  private static AllInOne.Settings settings;
  private static AllInOne system;
  private static ElasticsearchQueries es;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The addresses {@link #randomAddress} handed out; declared before its first use below. */
  private static final Set<String> ADDRESSES = new HashSet<>();

  /** A brute-force source per test run, so reruns on a kept data folder do not interfere. */
  private static final String BURST = randomAddress("203.0.113.");

  @BeforeAll
  static void start() throws Exception {
    // Elasticsearch runs as another user when the tests run as root: it must reach this folder.
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    settings =
        new AllInOne.Settings(
            dataDir,
            "127.0.0.1",
            FreePorts.tcp(),
            FreePorts.tcp(),
            FreePorts.tcp(),
            FreePorts.tcp(),
            FreePorts.tcp(),
            FreePorts.tcp(),
            -1,
            "512m",
            2,
            Duration.ofSeconds(2),
            PASSWORD,
            null,
            FreePorts.tcp(),
            null,
            FreePorts.tcp(),
            FreePorts.tcp());
    Path agencies = dataDir.resolve("agencies.txt");
    Files.writeString(
        agencies, "# the Beats test's client sends from here\n127.0.0.2/32 it-agency\n");
    Path assets = dataDir.resolve("assets.csv");
    Files.writeString(
        assets, "cidr,agency,asset,owner,criticality\n127.0.0.1/32,soc,loghost,soc-team,low\n");
    Path intel = Files.createDirectory(dataDir.resolve("intel"));
    Files.writeString(intel.resolve("scanners.txt"), "# the burst's source\n" + BURST + "\n");
    settings =
        settings.withBeats(0, null).withAgencies(agencies).withEnrichment(assets, List.of(intel));
    system = AllInOne.start(settings);
    es = new ElasticsearchQueries(system.elasticsearchUrl().toString());
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  @Order(1)
  void indexesLoggerLinesAndRaisesExactlyOneAlertForABurst() throws Exception {
    for (int i = 1; i <= 3; i++) {
      logger("--udp", "Failed password for root from " + BURST + " port 4" + i + " ssh2");
    }
    for (int i = 4; i <= 6; i++) {
      logger("--tcp", "Failed password for admin from " + BURST + " port 4" + i + " ssh2");
    }

    String failures =
        terms(
            "source.ip", BURST,
            "event.category", "authentication",
            "event.outcome", "failure");
    await().atMost(WITHIN).until(() -> es.count("vigil-events-*", failures) == 6);
    JsonNode event =
        es.search("vigil-events-*", term("source.ip", BURST)).path("hits").path("hits").get(0);
    assertThat(event.path("_index").asText()).startsWith("vigil-events-20");
    assertThat(event.path("_source").path("user").path("name").asText()).isIn("root", "admin");
    assertThat(event.path("_source").path("event").path("dataset").asText())
        .isEqualTo("syslog.sshd");
    assertThat(event.path("_source").path("tags").toString()).contains("threat_intel_match");
    assertThat(event.path("_source").path("vigil").path("asset").path("name").asText())
        .isEqualTo("loghost");

    es.awaitAlertCount(BURST, 6, WITHIN);
    JsonNode alert = onlyAlert(BURST);
    assertThat(alert.path("rule").path("id").asText()).isEqualTo("auth-brute-force");
    assertThat(alert.path("threat").path("technique").path("id").asText()).isEqualTo("T1110");
    assertThat(alert.path("vigil").path("alert").path("status").asText()).isEqualTo("new");
    assertThat(alert.path("vigil").path("alert").path("first_seen").asText()).isNotEmpty();
    assertThat(alert.path("vigil").path("alert").path("last_seen").asText()).isNotEmpty();
    assertThat(alert.path("vigil").path("latency").path("indexed").asText()).isNotEmpty();
    assertThat(alert.path("vigil").path("alert").path("risk_score").asInt())
        .as("high severity on a low-criticality asset")
        .isEqualTo(37);
  }

  @Test
  @Order(2)
  void raisesNoAlertForFourFailures() throws Exception {
    String source = randomAddress("198.51.100.");
    for (int i = 1; i <= 4; i++) {
      logger("--tcp", "Failed password for bob from " + source + " port 5" + i + " ssh2");
    }
    await().atMost(WITHIN).until(() -> es.count("vigil-events-*", term("source.ip", source)) == 4);
    // The burst above raised its alert within seconds; give this one the same chance.
    TimeUnit.SECONDS.sleep(5);
    assertThat(es.count("vigil-alerts*", term("source.ip", source))).isZero();
  }

  @Test
  @Order(3)
  void raisesNoAlertForFailuresSpreadOverTenMinutes() throws Exception {
    String source = randomAddress("192.0.2.");
    Instant now = Instant.now();
    try (Socket socket = new Socket("127.0.0.1", settings.syslogPort());
        OutputStream out = socket.getOutputStream()) {
      for (int i = 0; i < 5; i++) {
        // Device times two and a half minutes apart: ten minutes for the five failures.
        Instant at = now.minus(Duration.ofSeconds(150L * (4 - i)));
        String line =
            "<38>1 "
                + at
                + " web02 sshd 77 - - Failed password for carol from "
                + source
                + " port 6"
                + i
                + " ssh2\n";
        out.write(line.getBytes(StandardCharsets.UTF_8));
      }
    }
    await().atMost(WITHIN).until(() -> es.count("vigil-events-*", term("source.ip", source)) == 5);
    TimeUnit.SECONDS.sleep(5);
    assertThat(es.count("vigil-alerts*", term("source.ip", source))).isZero();
  }

  @Test
  @Order(4)
  void furtherFailuresUpdateTheSameAlert() throws Exception {
    String id = onlyAlertId(BURST);
    // Five more: a detection of their own even if the first burst has left the rule's minute.
    for (int i = 7; i <= 11; i++) {
      logger(
          i % 2 == 0 ? "--udp" : "--tcp",
          "Failed password for root from " + BURST + " port 4" + i + " ssh2");
    }

    es.awaitAlertCount(BURST, 11, WITHIN);
    assertThat(onlyAlertId(BURST)).isEqualTo(id);
  }

  @Test
  @Order(5)
  void servesAlertsToDashboardUsersOnly() throws Exception {
    HttpResponse<String> anonymous = get("/api/v1/alerts", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/alerts", "admin:wrong-password").statusCode()).isEqualTo(401);

    HttpResponse<String> admin = get("/api/v1/alerts", "admin:" + PASSWORD);
    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(admin.body()).contains(BURST).contains("auth-brute-force");

    HttpResponse<String> events =
        get("/api/v1/events?from=now-7d&q=source.ip:" + BURST, "admin:" + PASSWORD);
    assertThat(events.statusCode()).isEqualTo(200);
    assertThat(events.body()).contains("\"ip\":\"" + BURST + "\"");
    HttpResponse<String> health = get("/api/v1/health/components", "admin:" + PASSWORD);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"name\":\"kafka\"").contains("\"name\":\"elasticsearch\"");
  }

  @Test
  @Order(5)
  void countsWhatTheCollectorAndTheJobDidInPrometheusFormat() throws Exception {
    // RFC 5424 by its VERSION, but with no valid timestamp: the job cannot parse it.
    byte[] broken = "<13>1 yesterday host app - - - broken".getBytes(StandardCharsets.UTF_8);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.send(
          new DatagramPacket(
              broken, broken.length, new InetSocketAddress("127.0.0.1", settings.syslogPort())));
    }

    await()
        .atMost(WITHIN)
        .untilAsserted(
            () ->
                assertThat(scrapeMetrics())
                    .containsPattern(
                        "vigil_job_parse_failures_total\\{input=\"syslog\"[^}]*\\} [1-9]"));
    assertThat(scrapeMetrics())
        .containsPattern("vigil_collector_received_total\\{input=\"syslog_udp\"[^}]*\\} [1-9]")
        .containsPattern("vigil_collector_received_total\\{input=\"syslog_tcp\"[^}]*\\} [1-9]")
        .contains("vigil_collector_kafka_send_seconds_count")
        .containsPattern("vigil_job_parsed_total\\{input=\"syslog\"[^}]*\\} [1-9]")
        .containsPattern("vigil_job_alerts_opened_total(\\{[^}]*\\})? [1-9]");
  }

  private static String scrapeMetrics() throws Exception {
    HttpResponse<String> scrape =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + settings.metricsPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(scrape.statusCode()).isEqualTo(200);
    return scrape.body();
  }

  @Test
  @Order(5)
  void indexesTheFlowsOfEverySharedCaptureWithoutARejection() throws Exception {
    Path captures = testdata().resolve("logstash-codec-netflow");
    JsonNode cases = new ObjectMapper().readTree(testdata().resolve("expected.json").toFile());
    int datagrams = 0;
    try (DatagramSocket socket = new DatagramSocket()) {
      for (JsonNode c : cases.get("cases")) {
        for (JsonNode name : c.get("packets_in_order")) {
          byte[] packet = Files.readAllBytes(captures.resolve(name.asText()));
          boolean ipfix = packet.length >= 2 && packet[0] == 0 && packet[1] == 10;
          int port = ipfix ? system.ipfixPort() : system.netflowPort();
          socket.send(
              new DatagramPacket(packet, packet.length, new InetSocketAddress("127.0.0.1", port)));
          datagrams++;
          Thread.sleep(5); // a datagram burst beyond the socket buffer is a different test
        }
      }
    }
    assertThat(datagrams).isGreaterThan(90);

    String flows = term("event.dataset", "netflow.flow");
    // Stable: every decodable flow is in, so the restart test below counts a settled index.
    long[] last = {-1};
    await()
        .atMost(WITHIN.multipliedBy(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              long now = es.count("vigil-events-*", flows);
              boolean settled = now >= 400 && now == last[0];
              last[0] = now;
              return settled;
            });
    // A Cisco ASA NSEL flow of the v9 captures, decoded with its template.
    assertThat(
            es.count(
                "vigil-events-*",
                terms(
                    "source.ip", "192.168.23.22",
                    "destination.ip", "164.164.37.11",
                    "network.transport", "icmp")))
        .isPositive();
    assertThat(scrapeMetrics())
        .contains("vigil_job_documents_rejected_total 0.0")
        .containsPattern("vigil_collector_received_total\\{input=\"ipfix_udp\"[^}]*\\} [1-9]");
  }

  @Test
  @Order(5)
  void indexesBeatsEventsOnceAndRaisesAnAlertFromWindowsLogonsWithTheSendersAgency()
      throws Exception {
    String attacker = randomAddress("198.51.100.");
    String agent = "it-" + System.nanoTime();
    List<String> window = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      window.add(
          "{\"@timestamp\":\""
              + Instant.now()
              + "\",\"agent\":{\"type\":\"winlogbeat\",\"id\":\""
              + agent
              + "\"},\"winlog\":{\"channel\":\"Security\",\"computer_name\":\"dc01\","
              + "\"record_id\":"
              + (1000 + i)
              + ",\"event_id\":\"4625\",\"event_data\":{\"TargetUserName\":\"administrator\","
              + "\"IpAddress\":\""
              + attacker
              + "\"}},\"message\":\"An account failed to log on.\"}");
    }
    InetAddress agencyHost = InetAddress.getByName("127.0.0.2");
    try (LumberjackTestClient client = new LumberjackTestClient(agencyHost, system.beatsPort())) {
      client.sendWindow(window, WITHIN);
      // A client that lost the ACK sends the same window again: no second copy may appear.
      client.sendWindow(window, WITHIN);
    }

    String events = term("agent.id", agent);
    await().atMost(WITHIN).until(() -> es.count("vigil-events-*", events) == 6);
    JsonNode event = es.search("vigil-events-*", events).path("hits").path("hits").get(0);
    JsonNode source = event.path("_source");
    assertThat(source.path("event").path("action").asText()).isEqualTo("logon-failed");
    assertThat(source.path("user").path("name").asText()).isEqualTo("administrator");
    assertThat(source.path("organization").path("id").asText()).isEqualTo("it-agency");
    assertThat(source.path("observer").path("ip").asText()).isEqualTo("127.0.0.2");

    es.awaitAlertCount(attacker, 6, WITHIN);
    JsonNode alert = onlyAlert(attacker);
    assertThat(alert.path("rule").path("id").asText()).isEqualTo("auth-brute-force");
    assertThat(alert.path("organization").path("id").asText()).isEqualTo("it-agency");
    TimeUnit.SECONDS.sleep(2);
    assertThat(es.count("vigil-events-*", events)).isEqualTo(6);
    assertThat(scrapeMetrics())
        .containsPattern("vigil_collector_acks_total\\{input=\"beats_tcp\"[^}]*\\} 2.0")
        .containsPattern("vigil_job_parsed_total\\{input=\"beats\"[^}]*\\} 1[0-9].0");
  }

  /** The repository's testdata/netflow, seen from the module's folder or the root. */
  private static Path testdata() {
    for (Path p : new Path[] {Path.of("../testdata/netflow"), Path.of("testdata/netflow")}) {
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "testdata/netflow not found from " + Path.of("").toAbsolutePath());
  }

  @Test
  @Order(5)
  void anSshAttackFromDozensOfAddressesRaisesOneBruteForceAlertPerAddressAndNoFlood()
      throws Exception {
    // The busiest minute of a public SSH server's auth.log: thirty scanning addresses, each a
    // burst of failed passwords for invalid users, and a lone successful login. Device times are
    // the last forty seconds: much older ones would arrive behind the watermark that the other
    // tests' events set, by more than the rule's window.
    String net = "198.19." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
    List<String> attackers = new ArrayList<>();
    String admin = net + "201";
    String[] users = {"admin", "test", "oracle", "ubuntu", "pi", "postgres", "user", "git"};
    Instant now = Instant.now();
    List<String> lines = new ArrayList<>();
    for (int a = 0; a < 30; a++) {
      String ip = net + (10 + a);
      attackers.add(ip);
      Instant start = now.minus(Duration.ofSeconds(40 - a));
      int attempts = 6 + a % 7;
      for (int i = 0; i < attempts; i++) {
        Instant at = start.plusMillis(500L * i);
        String user = users[(a + i) % users.length];
        lines.add(sshd(at, "Invalid user " + user + " from " + ip + " port " + (40000 + i)));
        lines.add(
            sshd(
                at.plusMillis(100),
                "Failed password for invalid user "
                    + user
                    + " from "
                    + ip
                    + " port "
                    + (40000 + i)
                    + " ssh2"));
      }
    }
    lines.add(
        sshd(
            now.minusSeconds(20),
            "Accepted publickey for alice from " + admin + " port 51000 ssh2"));
    lines.sort(null); // by device time, as the file would be
    try (Socket socket = new Socket("127.0.0.1", settings.syslogPort());
        OutputStream out = socket.getOutputStream()) {
      for (String line : lines) {
        out.write(line.substring(line.indexOf(' ') + 1).getBytes(StandardCharsets.UTF_8));
      }
    }

    await()
        .atMost(WITHIN)
        .until(
            () -> {
              for (String ip : attackers) {
                if (es.count("vigil-alerts*", terms("rule.id", "auth-brute-force", "source.ip", ip))
                    != 1) {
                  return false;
                }
              }
              return true;
            });
    await().atMost(WITHIN).until(() -> es.count("vigil-events-*", term("source.ip", admin)) == 1);
    assertThat(es.count("vigil-alerts*", term("source.ip", admin))).isZero();
    for (String ip : attackers) {
      // Other rules may see the same address (password spray, user enumeration), each once.
      JsonNode hits = es.search("vigil-alerts*", term("source.ip", ip)).path("hits").path("hits");
      Set<String> rules = new HashSet<>();
      for (JsonNode hit : hits) {
        assertThat(rules.add(hit.path("_source").path("rule").path("id").asText()))
            .as("one alert per rule for %s: %s", ip, hits)
            .isTrue();
      }
    }
  }

  /** An RFC 5424 sshd line at a device time, prefixed by its sort key. */
  private static String sshd(Instant at, String message) {
    return at + " <38>1 " + at + " bastion sshd 2201 - - " + message + "\n";
  }

  @Test
  @Order(6)
  void showsTheAlertInTheBrowser() throws Exception {
    try (DashboardBrowser browser = DashboardBrowser.open()) {
      browser.logIn(dashboardUrl("/"), "admin", PASSWORD);
      String row = browser.alertRowText(BURST, WITHIN);
      assertThat(row)
          .containsIgnoringCase("high")
          .contains("Five failed logins from one source within a minute")
          .contains("source.ip=" + BURST)
          .contains("11")
          .contains("new");
      browser.screenshot(Path.of("target", "dashboard-alerts.png"));
    }
  }

  @Test
  @Order(6)
  void triagesAReplayedAttackInTheBrowserAndPivotsBetweenTheAlertAndItsEvents() throws Exception {
    // An attack of its own: closing BURST's alert would change what the restart test expects.
    String attacker = randomAddress("100.64.0.");
    Instant now = Instant.now();
    try (Socket socket = new Socket("127.0.0.1", settings.syslogPort());
        OutputStream out = socket.getOutputStream()) {
      for (int i = 0; i < 6; i++) {
        String line =
            sshd(
                now.minusSeconds(6 - i),
                "Failed password for root from " + attacker + " port 3" + i + " ssh2");
        out.write(line.substring(line.indexOf(' ') + 1).getBytes(StandardCharsets.UTF_8));
      }
    }
    es.awaitAlertCount(attacker, 6, WITHIN);
    String alertId = onlyAlertId(attacker);
    String url = dashboardUrl("/");

    try (DashboardBrowser browser = DashboardBrowser.open()) {
      browser.logIn(url, "admin", PASSWORD);
      browser.openAlert(alertId, WITHIN);
      assertThat(browser.openAlertId()).isEqualTo(alertId);
      assertThat(browser.text("alert-seen")).contains("seen 6 times");

      browser.assignOpenAlert("admin");
      browser.commentOnOpenAlert("Known scanner, blocked at the edge firewall");
      browser.closeOpenAlert("true_positive", "Confirmed brute force from a known scanner");
      assertThat(browser.historyText("Confirmed brute force from a known scanner"))
          .contains("admin")
          .contains("closed")
          .contains("true positive");
      assertThat(browser.text("alert-comments")).contains("Known scanner");

      List<String> evidence = browser.pivotToEvidence();
      assertThat(evidence).isNotEmpty();
      for (String event : evidence) {
        assertThat(browser.searchResultText(event)).contains(attacker);
      }
      assertThat(browser.pivotToAlertsOf(evidence.get(0))).contains(alertId);

      List<String> searched =
          browser.search(url, "source.ip:\"" + attacker + "\" AND event.outcome:failure");
      assertThat(searched).hasSize(6).containsAll(evidence);

      // The admin sees the live rules and is told what is wrong with a broken file, by file.
      assertThat(browser.liveRuleIds(url)).contains("auth-brute-force");
      assertThat(browser.validateRules("broken.drl", "rule \"no end\" when then"))
          .contains("broken.drl");

      // An auditor reads the same alert but is offered no triage action and no user admin.
      HttpResponse<String> added =
          post(
              "/api/v1/users",
              "admin:" + PASSWORD,
              "{\"username\":\"it-auditor\",\"password\":\"It-Auditor-Pass-1\","
                  + "\"roles\":[\"auditor\"],\"agencies\":[]}");
      assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
      browser.logOut();
      browser.logIn(url + "#/alerts/" + alertId, "it-auditor", "It-Auditor-Pass-1");
      assertThat(browser.text("alert-title")).isNotBlank();
      assertThat(browser.has("alert-workflow")).isFalse();
      assertThat(browser.has("alert-assign")).isFalse();
      assertThat(browser.has("comment-form")).isFalse();
      assertThat(browser.has("nav-audit")).isTrue();
      assertThat(browser.has("nav-users")).isFalse();
      assertThat(browser.liveRuleIds(url)).contains("auth-brute-force");
      assertThat(browser.has("rules-deploy-form")).isFalse();

      // An analyst of another agency: neither the attack's alert nor its events, in the UI.
      HttpResponse<String> scoped =
          post(
              "/api/v1/users",
              "admin:" + PASSWORD,
              "{\"username\":\"it-other-agency\",\"password\":\"It-Other-Agency-1\","
                  + "\"roles\":[\"analyst\"],\"agencies\":[\"other-agency\"]}");
      assertThat(scoped.statusCode()).as(scoped.body()).isEqualTo(201);
      browser.logOut();
      browser.logIn(url, "it-other-agency", "It-Other-Agency-1");
      assertThat(browser.queueEmptyFor(url, attacker)).isTrue();
      assertThat(browser.searchTotal(url, "source.ip:\"" + attacker + "\"")).startsWith("0 ");

      browser.switchLanguage("vi", "Cảnh báo");
      browser.go(url + "#/alerts");
      assertThat(browser.text("view")).contains("Hàng đợi cảnh báo").contains("Mức độ");
      browser.screenshot(Path.of("target", "dashboard-vi.png"));
    }

    JsonNode triaged = onlyAlert(attacker).path("vigil").path("alert");
    assertThat(triaged.path("status").asText()).isEqualTo("closed");
    assertThat(triaged.path("resolution").asText()).isEqualTo("true_positive");
    assertThat(triaged.path("assignee").asText()).isEqualTo("admin");
  }

  @Test
  @Order(7)
  void anAuditorGeneratesAReportInTheBrowserWhosePdfHoldsTheTriagedAlert() throws Exception {
    String url = dashboardUrl("/");
    try (DashboardBrowser browser = DashboardBrowser.open()) {
      browser.logIn(url, "admin", PASSWORD);
      Map.Entry<String, String> report = browser.generateReport(url, "iso-27001", "24h");
      assertThat(report.getValue()).contains("iso-27001");
      // A new system is given the shipped scheduled definitions.
      assertThat(browser.reportDefinitionNames()).contains("weekly-nist", "monthly-iso");
      browser.screenshot(Path.of("target", "dashboard-reports.png"));

      Path file =
          Files.write(Files.createTempFile("vigil-report", ".pdf"), download(report, "pdf"));
      Process text = new ProcessBuilder("pdftotext", file.toString(), "-").start();
      String content = new String(text.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(text.waitFor()).isZero();
      assertThat(content).contains("Monitoring coverage", "Response", "Control mapping", "A.8.16");

      // The alert closed as a true positive in the triage test counts in the response section.
      String figures = null;
      try (ZipInputStream zip =
          new ZipInputStream(new ByteArrayInputStream(download(report, "csv")))) {
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
          if (e.getName().equals("figures.csv")) {
            figures = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
          }
        }
      }
      assertThat(figures).isNotNull();
      String truePositives =
          figures
              .lines()
              .filter(l -> l.contains(",resolutions.true_positive,"))
              .map(l -> l.substring(l.lastIndexOf(',') + 1))
              .findFirst()
              .orElseThrow();
      assertThat(Long.parseLong(truePositives.trim())).isPositive();
    }
  }

  private static byte[] download(Map.Entry<String, String> report, String format)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> file =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(dashboardUrl("/api/v1/reports/" + report.getKey() + "/" + format)))
                .header("Authorization", basic("admin:" + PASSWORD))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(file.statusCode()).isEqualTo(200);
    return file.body();
  }

  @Test
  @Order(8)
  void deliversEverythingOnceAfterElasticsearchStalls() throws Exception {
    String source = randomAddress("198.18.0.");
    long pid = system.elasticsearchPid();
    signal("STOP", pid);
    try {
      for (int i = 1; i <= 5; i++) {
        logger("--tcp", "Failed password for dave from " + source + " port 7" + i + " ssh2");
      }
      TimeUnit.SECONDS.sleep(8);
    } finally {
      signal("CONT", pid);
    }
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> es.count("vigil-events-*", term("source.ip", source)) == 5);
    es.awaitAlertCount(source, 5, WITHIN);
    TimeUnit.SECONDS.sleep(3);
    assertThat(es.count("vigil-events-*", term("source.ip", source))).isEqualTo(5);
    assertThat(es.count("vigil-alerts*", term("source.ip", source))).isEqualTo(1);
  }

  @Test
  @Order(9)
  void keepsEventsAlertsAndOpenAlertsAcrossARestart() throws Exception {
    long events = es.count("vigil-events-*", "{\"query\":{\"match_all\":{}}}");
    String id = onlyAlertId(BURST);
    system.close();
    for (int port :
        new int[] {
          settings.syslogPort(),
          settings.dashboardPort(),
          settings.kafkaPort(),
          settings.elasticsearchPort()
        }) {
      assertThat(portOpen(port)).as("port %d after stop", port).isFalse();
    }

    system = AllInOne.start(settings);
    es = new ElasticsearchQueries(system.elasticsearchUrl().toString());
    assertThat(system.restoredFrom()).as("resumed from a checkpoint").isPresent();
    assertThat(es.count("vigil-events-*", "{\"query\":{\"match_all\":{}}}")).isEqualTo(events);
    assertThat(onlyAlertId(BURST)).isEqualTo(id);

    // The open alert's suppression window came back from the checkpoint with the job: a new
    // burst inside it raises the same alert's count instead of opening another.
    for (int i = 0; i < 5; i++) {
      logger("--tcp", "Failed password for root from " + BURST + " port 5" + i + " ssh2");
    }
    es.awaitAlertCount(BURST, 16, WITHIN);
    assertThat(onlyAlertId(BURST)).isEqualTo(id);
    assertThat(get("/api/v1/alerts", "admin:" + PASSWORD).body()).contains(BURST);
  }

  // ---------------------------------------------------------------------------------------------

  private static void logger(String transport, String message) throws Exception {
    Process p =
        new ProcessBuilder(
                "logger",
                "--server",
                "127.0.0.1",
                "--port",
                Integer.toString(settings.syslogPort()),
                transport,
                "-i",
                "-t",
                "sshd",
                message)
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("logger finished").isTrue();
    assertThat(p.exitValue())
        .as("logger: %s", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isZero();
  }

  private static JsonNode onlyAlert(String source) throws Exception {
    JsonNode hits = es.search("vigil-alerts*", term("source.ip", source)).path("hits").path("hits");
    assertThat(hits.size()).as("alerts for %s", source).isEqualTo(1);
    return hits.get(0).path("_source");
  }

  private static String onlyAlertId(String source) throws Exception {
    JsonNode hits = es.search("vigil-alerts*", term("source.ip", source)).path("hits").path("hits");
    assertThat(hits.size()).as("alerts for %s", source).isEqualTo(1);
    return hits.get(0).path("_id").asText();
  }

  private static String basic(String credentials) {
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> get(String path, String credentials)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(dashboardUrl(path)));
    if (credentials != null) {
      request.header("Authorization", basic(credentials));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String credentials, String json)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(dashboardUrl(path)))
            .header("Authorization", basic(credentials))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String dashboardUrl(String path) {
    return "http://127.0.0.1:" + settings.dashboardPort() + path;
  }

  private static void signal(String signal, long pid) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0)
        .as("kill -%s %d", signal, pid)
        .isTrue();
  }

  private static boolean portOpen(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * A random address under the prefix, never one this run handed out before: two tests that drew
   * the same attacker counted each other's failures into one alert (four plus six), and the test
   * waiting for six timed out.
   */
  private static String randomAddress(String prefix) {
    while (true) {
      String address = prefix + ThreadLocalRandom.current().nextInt(20, 250);
      if (ADDRESSES.add(address)) {
        return address;
      }
    }
  }
}
