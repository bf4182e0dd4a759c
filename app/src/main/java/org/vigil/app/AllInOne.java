package org.vigil.app;

import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.app.elasticsearch.ElasticsearchProcess;
import org.vigil.app.flink.CorrelationRunner;
import org.vigil.app.kafka.EmbeddedKafka;
import org.vigil.app.kafka.KafkaTopics;
import org.vigil.collectors.beats.BeatsServer;
import org.vigil.collectors.beats.BeatsServerConfig;
import org.vigil.collectors.beats.BeatsTlsConfig;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.collectors.metrics.CollectorMetricsRegistry;
import org.vigil.collectors.metrics.MetricsHttpServer;
import org.vigil.collectors.netflow.NetflowInput;
import org.vigil.collectors.netflow.NetflowServer;
import org.vigil.collectors.netflow.NetflowServerConfig;
import org.vigil.collectors.syslog.SyslogServer;
import org.vigil.collectors.syslog.SyslogServerConfig;
import org.vigil.collectors.syslog.SyslogTlsConfig;
import org.vigil.correlation.CorrelationConfig;
import org.vigil.correlation.CorrelationJob;
import org.vigil.correlation.netflow.NetflowDecodeSettings;
import org.vigil.dashboards.AdminBootstrap;
import org.vigil.dashboards.DashboardBackends;
import org.vigil.dashboards.DashboardConfig;
import org.vigil.dashboards.DashboardServer;
import org.vigil.dashboards.HealthSources;
import org.vigil.dashboards.PasswordHasher;
import org.vigil.dashboards.ReportCatalog;
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.elasticsearch.ElasticsearchSettings;
import org.vigil.elasticsearch.IndexTemplates;

/**
 * The whole system in one process plus an Elasticsearch child: embedded Kafka, Elasticsearch, the
 * correlation job in a Flink MiniCluster, the syslog, NetFlow and Beats collectors and the
 * dashboard. Started in dependency order; closed in reverse, inputs first, so nothing accepted is
 * left behind.
 */
public final class AllInOne implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AllInOne.class);

  /**
   * The folder of the data folder holding report definitions ({@code *.yaml}) the dashboard offers
   * and runs on their schedules; the admin writes them there.
   */
  static final String REPORT_DEFINITIONS = "reports";

  /** The folder of the data folder whose compliance mapping files extend the shipped ones. */
  static final String MAPPINGS = "compliance";

  /**
   * @param adminPassword the admin password to set, or null to generate one when admin is missing
   * @param flinkUiPort the Flink web UI port, or -1 for none
   * @param syslogTls the syslog TLS listener, or null for none
   * @param metricsPort the collector's Prometheus endpoint on 127.0.0.1, or -1 for none
   * @param sourceZones file of {@code CIDR ZONE} lines for zone-less device times, or null
   * @param netflowPort NetFlow v5/v9 over UDP, or -1 for none
   * @param ipfixPort IPFIX over UDP, or -1 for none
   * @param ipfixTcpPort IPFIX over TCP (RFC 7011 §10.4), 0 for a free one, or -1 for none
   * @param beatsPort the Beats (Lumberjack v2) input, 0 for a free one, or -1 for none
   * @param beatsTls TLS for the Beats input (then TLS only), or null for plain TCP
   * @param agencies file of {@code CIDR ORGANIZATION_ID} lines giving each sender network's agency,
   *     or null
   * @param assets the asset inventory CSV ({@code cidr,agency,asset,owner,criticality}), or null
   * @param intel threat-intel feed files ({@code .txt}, {@code .csv}, STIX 2.1 {@code .json}) and
   *     folders of them; empty for none
   * @param dashboardTlsCert PEM certificate chain for the dashboard's HTTPS, or null for HTTP
   * @param dashboardTlsKey its PEM private key, or null
   * @param udpReceiveBufferBytes the receive buffer the UDP sockets (syslog, NetFlow, IPFIX) ask
   *     the kernel for, or 0 for the collectors' default
   */
  public record Settings(
      Path dataDir,
      String bindHost,
      int syslogPort,
      int dashboardPort,
      int kafkaPort,
      int kafkaControllerPort,
      int elasticsearchPort,
      int elasticsearchTransportPort,
      int flinkUiPort,
      String elasticsearchHeap,
      int parallelism,
      Duration checkpointInterval,
      String adminPassword,
      SyslogTlsConfig syslogTls,
      int metricsPort,
      Path sourceZones,
      int netflowPort,
      int ipfixPort,
      int ipfixTcpPort,
      int beatsPort,
      BeatsTlsConfig beatsTls,
      Path agencies,
      Path assets,
      List<Path> intel,
      Path dashboardTlsCert,
      Path dashboardTlsKey,
      int udpReceiveBufferBytes,
      Duration outOfOrderness,
      Duration flowOutOfOrderness) {

    public Settings {
      intel = intel == null ? List.of() : List.copyOf(intel);
      // Null: the job's own defaults.
      outOfOrderness =
          outOfOrderness == null ? CorrelationConfig.DEFAULT_OUT_OF_ORDERNESS : outOfOrderness;
      flowOutOfOrderness =
          flowOutOfOrderness == null
              ? NetflowDecodeSettings.DEFAULT_OUT_OF_ORDERNESS
              : flowOutOfOrderness;
      if (outOfOrderness.isNegative() || flowOutOfOrderness.isNegative()) {
        throw new IllegalArgumentException(
            "an out-of-orderness bound cannot be negative: "
                + outOfOrderness
                + ", "
                + flowOutOfOrderness);
      }
      if (udpReceiveBufferBytes < 0) {
        throw new IllegalArgumentException(
            "the UDP receive buffer must be positive, or 0 for the default: "
                + udpReceiveBufferBytes);
      }
    }

    /** Dashboard over plain HTTP. */
    public Settings(
        Path dataDir,
        String bindHost,
        int syslogPort,
        int dashboardPort,
        int kafkaPort,
        int kafkaControllerPort,
        int elasticsearchPort,
        int elasticsearchTransportPort,
        int flinkUiPort,
        String elasticsearchHeap,
        int parallelism,
        Duration checkpointInterval,
        String adminPassword,
        SyslogTlsConfig syslogTls,
        int metricsPort,
        Path sourceZones,
        int netflowPort,
        int ipfixPort,
        int ipfixTcpPort,
        int beatsPort,
        BeatsTlsConfig beatsTls,
        Path agencies,
        Path assets,
        List<Path> intel) {
      this(
          dataDir,
          bindHost,
          syslogPort,
          dashboardPort,
          kafkaPort,
          kafkaControllerPort,
          elasticsearchPort,
          elasticsearchTransportPort,
          flinkUiPort,
          elasticsearchHeap,
          parallelism,
          checkpointInterval,
          adminPassword,
          syslogTls,
          metricsPort,
          sourceZones,
          netflowPort,
          ipfixPort,
          ipfixTcpPort,
          beatsPort,
          beatsTls,
          agencies,
          assets,
          intel,
          null,
          null,
          0,
          null,
          null);
    }

    /** These settings with the dashboard serving HTTPS with a PEM certificate chain and key. */
    public Settings withDashboardTls(Path cert, Path key) {
      return with(
          b -> {
            b.dashboardTlsCert = cert;
            b.dashboardTlsKey = key;
          });
    }

    /** Without an asset inventory or threat intel. */
    public Settings(
        Path dataDir,
        String bindHost,
        int syslogPort,
        int dashboardPort,
        int kafkaPort,
        int kafkaControllerPort,
        int elasticsearchPort,
        int elasticsearchTransportPort,
        int flinkUiPort,
        String elasticsearchHeap,
        int parallelism,
        Duration checkpointInterval,
        String adminPassword,
        SyslogTlsConfig syslogTls,
        int metricsPort,
        Path sourceZones,
        int netflowPort,
        int ipfixPort,
        int ipfixTcpPort,
        int beatsPort,
        BeatsTlsConfig beatsTls,
        Path agencies) {
      this(
          dataDir,
          bindHost,
          syslogPort,
          dashboardPort,
          kafkaPort,
          kafkaControllerPort,
          elasticsearchPort,
          elasticsearchTransportPort,
          flinkUiPort,
          elasticsearchHeap,
          parallelism,
          checkpointInterval,
          adminPassword,
          syslogTls,
          metricsPort,
          sourceZones,
          netflowPort,
          ipfixPort,
          ipfixTcpPort,
          beatsPort,
          beatsTls,
          agencies,
          null,
          List.of());
    }

    /** Without IPFIX over TCP, which few exporters use, Beats or agencies. */
    public Settings(
        Path dataDir,
        String bindHost,
        int syslogPort,
        int dashboardPort,
        int kafkaPort,
        int kafkaControllerPort,
        int elasticsearchPort,
        int elasticsearchTransportPort,
        int flinkUiPort,
        String elasticsearchHeap,
        int parallelism,
        Duration checkpointInterval,
        String adminPassword,
        SyslogTlsConfig syslogTls,
        int metricsPort,
        Path sourceZones,
        int netflowPort,
        int ipfixPort) {
      this(
          dataDir,
          bindHost,
          syslogPort,
          dashboardPort,
          kafkaPort,
          kafkaControllerPort,
          elasticsearchPort,
          elasticsearchTransportPort,
          flinkUiPort,
          elasticsearchHeap,
          parallelism,
          checkpointInterval,
          adminPassword,
          syslogTls,
          metricsPort,
          sourceZones,
          netflowPort,
          ipfixPort,
          NetflowServerConfig.DISABLED,
          -1,
          null,
          null);
    }

    /** These settings with IPFIX over TCP on {@code port}: 0 for a free one, -1 for none. */
    public Settings withIpfixTcpPort(int port) {
      return with(b -> b.ipfixTcpPort = port);
    }

    /**
     * These settings with the Beats input on {@code port} (0 for a free one, -1 for none), over TLS
     * when {@code tls} is not null.
     */
    public Settings withBeats(int port, BeatsTlsConfig tls) {
      return with(
          b -> {
            b.beatsPort = port;
            b.beatsTls = tls;
          });
    }

    /** These settings with each sender network's agency read from {@code file}. */
    public Settings withAgencies(Path file) {
      return with(b -> b.agencies = file);
    }

    /**
     * These settings with the asset inventory CSV {@code assets} (or null) and the threat-intel
     * feed files and folders {@code intel}.
     */
    public Settings withEnrichment(Path assets, List<Path> intel) {
      return with(
          b -> {
            b.assets = assets;
            b.intel = intel;
          });
    }

    /**
     * These settings with the UDP sockets of syslog, NetFlow and IPFIX asking the kernel for a
     * receive buffer of {@code bytes} (0 for the collectors' defaults); the kernel caps it at
     * {@code net.core.rmem_max}, and the collectors say so when it does.
     */
    public Settings withUdpReceiveBuffer(int bytes) {
      return with(b -> b.udpReceiveBufferBytes = bytes);
    }

    /**
     * These settings with the rule stage's bounds on out-of-order arrival: how far behind the
     * newest event a log line or Beats event ({@code events}), and a NetFlow/IPFIX flow ({@code
     * flows}), may arrive and still be correlated exactly. A later one is counted as late.
     */
    public Settings withOutOfOrderness(Duration events, Duration flows) {
      return with(
          b -> {
            b.outOfOrderness = events;
            b.flowOutOfOrderness = flows;
          });
    }

    /** A copy with what {@code change} sets on a mutable copy of every component. */
    private Settings with(java.util.function.Consumer<Copy> change) {
      Copy b = new Copy(this);
      change.accept(b);
      return b.build();
    }

    /** Every component, mutable, so one wither changes a few without listing all of them. */
    private static final class Copy {
      Path dataDir;
      String bindHost;
      int syslogPort;
      int dashboardPort;
      int kafkaPort;
      int kafkaControllerPort;
      int elasticsearchPort;
      int elasticsearchTransportPort;
      int flinkUiPort;
      String elasticsearchHeap;
      int parallelism;
      Duration checkpointInterval;
      String adminPassword;
      SyslogTlsConfig syslogTls;
      int metricsPort;
      Path sourceZones;
      int netflowPort;
      int ipfixPort;
      int ipfixTcpPort;
      int beatsPort;
      BeatsTlsConfig beatsTls;
      Path agencies;
      Path assets;
      List<Path> intel;
      Path dashboardTlsCert;
      Path dashboardTlsKey;
      int udpReceiveBufferBytes;
      Duration outOfOrderness;
      Duration flowOutOfOrderness;

      Copy(Settings s) {
        dataDir = s.dataDir;
        bindHost = s.bindHost;
        syslogPort = s.syslogPort;
        dashboardPort = s.dashboardPort;
        kafkaPort = s.kafkaPort;
        kafkaControllerPort = s.kafkaControllerPort;
        elasticsearchPort = s.elasticsearchPort;
        elasticsearchTransportPort = s.elasticsearchTransportPort;
        flinkUiPort = s.flinkUiPort;
        elasticsearchHeap = s.elasticsearchHeap;
        parallelism = s.parallelism;
        checkpointInterval = s.checkpointInterval;
        adminPassword = s.adminPassword;
        syslogTls = s.syslogTls;
        metricsPort = s.metricsPort;
        sourceZones = s.sourceZones;
        netflowPort = s.netflowPort;
        ipfixPort = s.ipfixPort;
        ipfixTcpPort = s.ipfixTcpPort;
        beatsPort = s.beatsPort;
        beatsTls = s.beatsTls;
        agencies = s.agencies;
        assets = s.assets;
        intel = s.intel;
        dashboardTlsCert = s.dashboardTlsCert;
        dashboardTlsKey = s.dashboardTlsKey;
        udpReceiveBufferBytes = s.udpReceiveBufferBytes;
        outOfOrderness = s.outOfOrderness;
        flowOutOfOrderness = s.flowOutOfOrderness;
      }

      Settings build() {
        return new Settings(
            dataDir,
            bindHost,
            syslogPort,
            dashboardPort,
            kafkaPort,
            kafkaControllerPort,
            elasticsearchPort,
            elasticsearchTransportPort,
            flinkUiPort,
            elasticsearchHeap,
            parallelism,
            checkpointInterval,
            adminPassword,
            syslogTls,
            metricsPort,
            sourceZones,
            netflowPort,
            ipfixPort,
            ipfixTcpPort,
            beatsPort,
            beatsTls,
            agencies,
            assets,
            intel,
            dashboardTlsCert,
            dashboardTlsKey,
            udpReceiveBufferBytes,
            outOfOrderness,
            flowOutOfOrderness);
      }
    }

    public static Settings defaults(Path dataDir) {
      return new Settings(
          dataDir,
          "0.0.0.0",
          5514,
          8080,
          9092,
          9093,
          9200,
          9300,
          8081,
          "1g",
          1,
          Duration.ofSeconds(10),
          null,
          null,
          9464,
          null,
          NetflowServerConfig.DEFAULT_NETFLOW_PORT,
          NetflowServerConfig.DEFAULT_IPFIX_PORT,
          NetflowServerConfig.DISABLED,
          BeatsServerConfig.DEFAULT_PORT,
          null,
          null);
    }
  }

  private final Settings settings;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private EmbeddedKafka kafka;
  private ElasticsearchProcess elasticsearch;
  private ElasticsearchClients elasticsearchClients;
  private SyslogServer syslog;
  private NetflowServer netflow;
  private BeatsServer beats;
  private DashboardServer dashboard;
  private CorrelationRunner correlation;
  private RawRecordPublisher publisher;
  private Optional<String> generatedAdminPassword = Optional.empty();
  private Thread exitHook;

  public AllInOne(Settings settings) {
    this.settings = settings;
  }

  /** Starts everything and returns this, or nothing: on failure whatever started is stopped. */
  public static AllInOne start(Settings settings) throws Exception {
    return new AllInOne(settings).start();
  }

  /**
   * Starts everything and returns this, or nothing: on failure whatever started is stopped. May be
   * {@link #close closed} from another thread meanwhile (Ctrl-C during start).
   */
  public AllInOne start() throws Exception {
    stopOnExit();
    try {
      startAll();
      return this;
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    Settings s = settings;
    PortCheck.requireFreeUdp("syslog", s.bindHost(), s.syslogPort(), "--syslog-port");
    PortCheck.requireFreeTcp("syslog", s.bindHost(), s.syslogPort(), "--syslog-port");
    if (s.netflowPort() >= 0) {
      PortCheck.requireFreeUdp("NetFlow", s.bindHost(), s.netflowPort(), "--netflow-port");
    }
    if (s.ipfixPort() >= 0) {
      PortCheck.requireFreeUdp("IPFIX", s.bindHost(), s.ipfixPort(), "--ipfix-port");
    }
    if (s.ipfixTcpPort() >= 0) {
      PortCheck.requireFreeTcp("IPFIX TCP", s.bindHost(), s.ipfixTcpPort(), "--ipfix-tcp-port");
    }
    PortCheck.requireFreeTcp("dashboard", s.bindHost(), s.dashboardPort(), "--dashboard-port");
    PortCheck.requireFreeTcp("Kafka", "127.0.0.1", s.kafkaPort(), "--kafka-port");
    PortCheck.requireFreeTcp(
        "Kafka controller", "127.0.0.1", s.kafkaControllerPort(), "--kafka-controller-port");
    PortCheck.requireFreeTcp(
        "Elasticsearch", "127.0.0.1", s.elasticsearchPort(), "--elasticsearch-port");
    PortCheck.requireFreeTcp(
        "Elasticsearch transport",
        "127.0.0.1",
        s.elasticsearchTransportPort(),
        "--elasticsearch-transport-port");
    if (s.flinkUiPort() >= 0) {
      PortCheck.requireFreeTcp("Flink web UI", "127.0.0.1", s.flinkUiPort(), "--flink-ui-port");
    }
    if (s.syslogTls() != null) {
      PortCheck.requireFreeTcp(
          "syslog TLS", s.bindHost(), s.syslogTls().port(), "--syslog-tls-port");
    }
    if (s.metricsPort() >= 0) {
      PortCheck.requireFreeTcp("metrics", "127.0.0.1", s.metricsPort(), "--metrics-port");
    }
    if (s.beatsPort() >= 0) {
      PortCheck.requireFreeTcp("Beats", s.bindHost(), s.beatsPort(), "--beats-port");
    }

    // Elasticsearch takes the longest; Kafka starts meanwhile.
    CompletableFuture<ElasticsearchProcess> esStart =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return ElasticsearchProcess.start(
                    ElasticsearchProcess.Options.defaults(s.dataDir())
                        .withPorts(s.elasticsearchPort(), s.elasticsearchTransportPort())
                        .withHeap(s.elasticsearchHeap()));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting Elasticsearch", e);
              }
            });
    try {
      kafka =
          EmbeddedKafka.start(
              EmbeddedKafka.Settings.defaults(s.dataDir())
                  .withPorts(s.kafkaPort(), s.kafkaControllerPort()));
    } catch (Exception | Error e) {
      esStart.whenComplete((es, failure) -> closeQuietly(es));
      throw e;
    }
    started.push(kafka);
    elasticsearch = join(esStart);
    started.push(elasticsearch);
    KafkaTopics.ensure(kafka.bootstrapServers(), KafkaTopics.DEFAULT_PARTITIONS);

    ElasticsearchSettings esSettings = ElasticsearchSettings.of(elasticsearch.httpUrl());
    elasticsearchClients = ElasticsearchClients.create(esSettings);
    started.push(elasticsearchClients);
    IndexTemplates.install(elasticsearchClients.client());

    // One registry for the collector's and the job's meters: one endpoint shows both.
    CollectorMetricsRegistry metrics = new CollectorMetricsRegistry();
    started.push(metrics);
    CorrelationConfig correlationConfig =
        CorrelationConfig.defaults(kafka.bootstrapServers(), esSettings)
            .withSourceZonesFile(s.sourceZones() == null ? null : s.sourceZones().toString())
            .withOrganizationsFile(s.agencies() == null ? null : s.agencies().toString())
            .withAssetsFile(s.assets() == null ? null : s.assets().toString())
            .withIntelPaths(s.intel().stream().map(Path::toString).toList())
            .withOutOfOrderness(s.outOfOrderness(), s.flowOutOfOrderness());
    correlation =
        CorrelationRunner.start(
            CorrelationJob.withKafkaAndElasticsearch(correlationConfig),
            s.dataDir().resolve("flink").resolve("checkpoints"),
            s.checkpointInterval(),
            s.parallelism(),
            s.flinkUiPort(),
            metrics.registry());
    started.push(correlation);

    if (ReportCatalog.seed(s.dataDir().resolve(REPORT_DEFINITIONS))) {
      LOG.info(
          "report definitions: shipped examples written to {}",
          s.dataDir().resolve(REPORT_DEFINITIONS));
    }
    DashboardBackends backends =
        DashboardStores.open(
            elasticsearchClients.client(),
            kafka.bootstrapServers(),
            healthSources(s, correlationConfig),
            new DashboardStores.ReportSources(
                s.dataDir().resolve(REPORT_DEFINITIONS),
                s.assets(),
                Files.isDirectory(s.dataDir().resolve(MAPPINGS))
                    ? s.dataDir().resolve(MAPPINGS)
                    : null),
            Clock.systemUTC());
    generatedAdminPassword =
        new AdminBootstrap(backends.users(), new PasswordHasher()).ensureAdmin(s.adminPassword());
    Vertx vertx = Vertx.vertx();
    started.push(
        () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    dashboard =
        DashboardServer.deploy(vertx, dashboardConfig(s), backends)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);

    // The collector comes last: once it accepts a line, everything behind it is running.
    RawRecordPublisher publisher =
        RawRecordPublisher.create(kafka.bootstrapServers(), "vigil-syslog", Map.of());
    this.publisher = publisher;
    started.push(() -> publisher.close(Duration.ofSeconds(10)));
    metrics.bindPublisher(publisher);
    SyslogServerConfig syslogConfig =
        SyslogServerConfig.defaults("vigil-allinone")
            .withBindHost(s.bindHost())
            .withPort(s.syslogPort());
    if (s.syslogTls() != null) {
      syslogConfig = syslogConfig.withTls(s.syslogTls());
    }
    if (s.udpReceiveBufferBytes() > 0) {
      syslogConfig = syslogConfig.withUdpReceiveBuffer(s.udpReceiveBufferBytes());
    }
    syslog = new SyslogServer(syslogConfig, publisher);
    syslog.start();
    started.push(syslog);
    metrics.bindSyslog(syslog);
    if (s.netflowPort() >= 0 || s.ipfixPort() >= 0 || s.ipfixTcpPort() >= 0) {
      NetflowServerConfig netflowConfig =
          NetflowServerConfig.defaults("vigil-allinone")
              .withBindHost(s.bindHost())
              .withPorts(s.netflowPort(), s.ipfixPort(), s.ipfixTcpPort());
      if (s.udpReceiveBufferBytes() > 0) {
        netflowConfig = netflowConfig.withUdpReceiveBuffer(s.udpReceiveBufferBytes());
      }
      netflow = new NetflowServer(netflowConfig, publisher);
      netflow.start();
      started.push(netflow);
      metrics.bindNetflow(netflow);
    }
    if (s.beatsPort() >= 0) {
      BeatsServerConfig beatsConfig =
          BeatsServerConfig.defaults("vigil-allinone")
              .withBindHost(s.bindHost())
              .withPort(s.beatsPort());
      if (s.beatsTls() != null) {
        beatsConfig = beatsConfig.withTls(s.beatsTls());
      }
      beats = new BeatsServer(beatsConfig, publisher);
      beats.start();
      started.push(beats);
      metrics.bindBeats(beats);
    }
    if (s.metricsPort() >= 0) {
      MetricsHttpServer metricsHttp =
          new MetricsHttpServer("127.0.0.1", s.metricsPort(), metrics.registry());
      metricsHttp.start();
      started.push(metricsHttp);
    }
  }

  /**
   * What the dashboard's health page probes: the Flink REST API and the collector's metrics only on
   * fixed ports, since the dashboard starts before a port chosen at random is known.
   */
  private static DashboardConfig dashboardConfig(Settings s) {
    DashboardConfig config =
        DashboardConfig.defaults().withHost(s.bindHost()).withPort(s.dashboardPort());
    return s.dashboardTlsCert() == null
        ? config
        : config.withTls(s.dashboardTlsCert(), s.dashboardTlsKey());
  }

  private HealthSources healthSources(Settings s, CorrelationConfig config) {
    return new HealthSources(
        s.flinkUiPort() > 0 ? URI.create("http://127.0.0.1:" + s.flinkUiPort() + "/") : null,
        kafka.bootstrapServers(),
        config.consumerGroup(),
        s.metricsPort() > 0
            ? URI.create("http://127.0.0.1:" + s.metricsPort() + MetricsHttpServer.PATH)
            : null);
  }

  private static <T> T join(CompletableFuture<T> future) throws Exception {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("Stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
    }
  }

  public Settings settings() {
    return settings;
  }

  /** The embedded Kafka node, for tests that take it away and bring it back. */
  EmbeddedKafka kafka() {
    return kafka;
  }

  /** The collector's Kafka publisher, for tests that watch its backpressure. */
  RawRecordPublisher publisher() {
    return publisher;
  }

  public String kafkaBootstrap() {
    return kafka.bootstrapServers();
  }

  public URI elasticsearchUrl() {
    return elasticsearch.httpUrl();
  }

  public String elasticsearchUser() {
    return elasticsearch.user();
  }

  public long elasticsearchPid() {
    return elasticsearch.pid();
  }

  public Path elasticsearchLog() {
    return elasticsearch.outputFile();
  }

  public int syslogPort() {
    return syslog.port();
  }

  /** The syslog TLS port, or -1 when TLS is off. */
  public int syslogTlsPort() {
    return settings.syslogTls() == null ? -1 : syslog.tlsPort();
  }

  /** The NetFlow v5/v9 UDP port, or -1 when it is off. */
  public int netflowPort() {
    return netflowPort(NetflowInput.NETFLOW_UDP);
  }

  /** The IPFIX UDP port, or -1 when it is off. */
  public int ipfixPort() {
    return netflowPort(NetflowInput.IPFIX_UDP);
  }

  /** The IPFIX TCP port, or -1 when it is off. */
  public int ipfixTcpPort() {
    return netflowPort(NetflowInput.IPFIX_TCP);
  }

  /** The Beats input's port, or -1 when it is off. */
  public int beatsPort() {
    return beats == null ? -1 : beats.port();
  }

  private int netflowPort(NetflowInput input) {
    return netflow != null && netflow.isListening(input) ? netflow.port(input) : -1;
  }

  public int dashboardPort() {
    return dashboard.actualPort();
  }

  public Optional<Path> restoredFrom() {
    return correlation.restoredFrom();
  }

  /** The admin password generated on this start, which is shown once and never stored. */
  public Optional<String> generatedAdminPassword() {
    return generatedAdminPassword;
  }

  public boolean isHealthy() {
    return elasticsearch.isAlive() && correlation.isRunning();
  }

  /**
   * Closes this system when the JVM exits before {@link #close} was called (SIGTERM, Ctrl-C, a
   * bench or test that ends without closing): Elasticsearch is a child process and would otherwise
   * outlive Vigil, holding its ports and CPU.
   */
  private synchronized void stopOnExit() {
    if (exitHook == null) {
      exitHook = new Thread(this::close, "vigil-stop-on-exit");
      Runtime.getRuntime().addShutdownHook(exitHook);
    }
  }

  /** Stops everything that started, newest first; keeps going past failures. */
  @Override
  public synchronized void close() {
    while (!started.isEmpty()) {
      closeQuietly(started.pop());
    }
    if (exitHook != null && Thread.currentThread() != exitHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(exitHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting: the hook runs, finds nothing left to stop, and ends
      }
      exitHook = null;
    }
  }
}
