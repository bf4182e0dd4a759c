package org.vigil.app.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.vigil.app.AllInOne;
import org.vigil.bench.dashboard.ApiLoad;
import org.vigil.bench.dashboard.DashboardBenchReport;
import org.vigil.bench.dashboard.SocCorpus;
import org.vigil.dashboards.ElasticsearchUserStore;
import org.vigil.dashboards.PasswordHasher;
import org.vigil.dashboards.Role;
import org.vigil.dashboards.User;
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.elasticsearch.ElasticsearchSettings;
import org.vigil.elasticsearch.Indices;
import org.vigil.model.Alert;

/** Runs {@code vigil bench dashboard}: indexes the corpus, then times the API. */
final class DashboardBenchRun {
  private static final int BULK_DOCUMENTS = 5_000;
  private static final long WEEK_MILLIS = Duration.ofDays(7).toMillis();

  private final DashboardBenchPlan plan;
  private final PrintStream progress;

  DashboardBenchRun(DashboardBenchPlan plan, PrintStream progress) {
    this.plan = plan;
    this.progress = progress;
  }

  DashboardBenchReport run() throws Exception {
    try (BenchFolder folder = BenchFolder.open(plan.dataDir(), plan.keep(), progress)) {
      Path dir = folder.enterable("dashboard");
      progress.println("dashboard: starting the all-in-one");
      try (AllInOne system = AllInOne.start(FreePorts.allInOne(dir, plan.elasticsearchHeap(), 1));
          ElasticsearchClients es =
              ElasticsearchClients.create(ElasticsearchSettings.of(system.elasticsearchUrl()))) {
        SocCorpus corpus =
            new SocCorpus(20261126L, plan.agencies(), System.currentTimeMillis(), WEEK_MILLIS);
        long started = System.nanoTime();
        double indexSeconds = index(es.client(), corpus) ? (System.nanoTime() - started) / 1e9 : -1;
        ApiLoad.Credentials socWide = analyst(es.client(), "bench-soc", List.of());
        ApiLoad.Credentials agencyAnalyst =
            analyst(es.client(), "bench-agency", List.of(SocCorpus.agency(1)));
        URI base = URI.create("http://127.0.0.1:" + system.dashboardPort() + "/");
        progress.printf(
            Locale.ROOT,
            "dashboard: %d requests per query from %d clients%n",
            plan.requests(),
            plan.concurrency());
        List<DashboardBenchReport.Timing> timings =
            new ApiLoad(base, plan.concurrency(), Math.min(50, plan.requests()), plan.requests())
                .run(queries(socWide, agencyAnalyst));
        return new DashboardBenchReport(
            plan.events(), plan.alerts(), indexSeconds, plan.concurrency(), timings);
      }
    }
  }

  /** What analysts do most: open the queue, filter it, page it, search and chart events. */
  static List<ApiLoad.Query> queries(ApiLoad.Credentials socWide, ApiLoad.Credentials agency) {
    return List.of(
        new ApiLoad.Query(
            "alert queue, newest 50",
            socWide,
            i -> "api/v1/alerts?size=50&offset=" + (i % 20) * 50),
        new ApiLoad.Query(
            "alert queue, new high+critical",
            socWide,
            i -> "api/v1/alerts?status=new&severity=high,critical&sort=riskScore&size=50"),
        new ApiLoad.Query(
            "alert queue, one agency's analyst",
            agency,
            i -> "api/v1/alerts?size=50&offset=" + (i % 10) * 50),
        new ApiLoad.Query(
            "event search, failed logins of an IP",
            socWide,
            i ->
                "api/v1/events?size=50&from=now-7d&q="
                    + encode(
                        "event.outcome:failure AND source.ip:\""
                            + SocCorpus.externalAddress(i * 7919 % SocCorpus.EXTERNAL_ADDRESSES)
                            + "\"")),
        new ApiLoad.Query(
            "event search, one agency, 24 h",
            agency,
            i -> "api/v1/events?size=50&from=now-24h&q=" + encode("event.dataset:system.auth")),
        new ApiLoad.Query(
            "event histogram, 7 days",
            socWide,
            i -> "api/v1/events/histogram?from=now-7d&q=" + encode("event.category:network")));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Indexes the corpus; false when an earlier run's corpus is there already. */
  private boolean index(ElasticsearchClient client, SocCorpus corpus) throws IOException {
    long events =
        client
            .count(
                c -> c.index(Indices.EVENTS_PATTERN).ignoreUnavailable(true).allowNoIndices(true))
            .count();
    long alerts =
        client
            .count(
                c -> c.index(Indices.ALERTS_PATTERN).ignoreUnavailable(true).allowNoIndices(true))
            .count();
    if (events == plan.events() && alerts == plan.alerts()) {
      // A --data-dir of an earlier run: measuring again need not index again.
      progress.printf(
          Locale.ROOT,
          "dashboard: reusing the %,d events and %,d alerts already indexed%n",
          events,
          alerts);
      return false;
    }
    progress.printf(
        Locale.ROOT,
        "dashboard: indexing %,d events and %,d alerts of %d agencies%n",
        plan.events(),
        plan.alerts(),
        plan.agencies());
    BulkRequest.Builder bulk = new BulkRequest.Builder();
    int pending = 0;
    for (long n = 0; n < plan.events(); n++) {
      Map<String, Object> event = corpus.event(n);
      String index = Indices.events(Instant.parse((String) event.get("@timestamp")).toEpochMilli());
      String id = SocCorpus.eventId(n);
      bulk.operations(o -> o.index(i -> i.index(index).id(id).document(event)));
      if (++pending == BULK_DOCUMENTS) {
        send(client, bulk.build());
        bulk = new BulkRequest.Builder();
        pending = 0;
      }
      if (n > 0 && n % 200_000 == 0) {
        progress.printf(Locale.ROOT, "dashboard: %,d events indexed%n", n);
      }
    }
    for (long n = 0; n < plan.alerts(); n++) {
      Alert alert = corpus.alert(n, plan.events());
      bulk.operations(
          o -> o.index(i -> i.index(Indices.ALERTS).id(alert.id()).document(alert.toDocument())));
      if (++pending == BULK_DOCUMENTS) {
        send(client, bulk.build());
        bulk = new BulkRequest.Builder();
        pending = 0;
      }
    }
    if (pending > 0) {
      send(client, bulk.build());
    }
    client.indices().refresh(r -> r.index("vigil-*"));
    return true;
  }

  private static void send(ElasticsearchClient client, BulkRequest request) throws IOException {
    BulkResponse response = client.bulk(request);
    if (response.errors()) {
      String reason =
          response.items().stream()
              .filter(item -> item.error() != null)
              .map(item -> item.error().reason())
              .findFirst()
              .orElse("unknown");
      throw new IOException("Elasticsearch refused part of a bulk request: " + reason);
    }
  }

  /**
   * An analyst with a fresh password: SOC-wide without agencies, else scoped as most of a
   * province's users are. Saved over an earlier run's user of the same name.
   */
  private static ApiLoad.Credentials analyst(
      ElasticsearchClient client, String username, List<String> agencies) {
    String password = PasswordHasher.generatePassword();
    new ElasticsearchUserStore(client)
        .save(
            new User(
                username, new PasswordHasher().hash(password), Set.of(Role.ANALYST), agencies));
    return new ApiLoad.Credentials(username, password);
  }
}
