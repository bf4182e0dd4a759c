package org.vigil.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.vigil.collectors.beats.BeatsTlsConfig;
import org.vigil.collectors.netflow.NetflowServerConfig;
import org.vigil.collectors.syslog.SyslogTlsConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The all-in-one system's options, shared by {@code vigil up} and {@code vigil demo}. */
final class StackOptions {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where Kafka, Elasticsearch, Flink checkpoints and logs keep their data"
              + " (default: $VIGIL_DATA, else data/ in the Vigil folder).")
  Path dataDir;

  @Option(
      names = "--bind",
      paramLabel = "HOST",
      defaultValue = "0.0.0.0",
      description =
          "Address the syslog, NetFlow and IPFIX ports and the dashboard listen on (default:"
              + " ${DEFAULT-VALUE}).")
  String bindHost;

  @Option(
      names = "--syslog-port",
      paramLabel = "PORT",
      defaultValue = "5514",
      description = "UDP and TCP (default: ${DEFAULT-VALUE}).")
  int syslogPort;

  @Option(
      names = "--netflow-port",
      paramLabel = "PORT",
      defaultValue = "2055",
      description = "NetFlow v5 and v9 over UDP; -1 for none (default: ${DEFAULT-VALUE}).")
  int netflowPort;

  @Option(
      names = "--ipfix-port",
      paramLabel = "PORT",
      defaultValue = "4739",
      description = "IPFIX over UDP; -1 for none (default: ${DEFAULT-VALUE}).")
  int ipfixPort;

  @Option(
      names = "--ipfix-tcp-port",
      paramLabel = "PORT",
      defaultValue = "0",
      description =
          "IPFIX over TCP (RFC 7011 §10.4), e.g. 4739; 0 for none, as few exporters use it"
              + " (default: ${DEFAULT-VALUE}).")
  int ipfixTcpPort;

  @Option(
      names = "--dashboard-port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "(default: ${DEFAULT-VALUE})")
  int dashboardPort;

  @Option(
      names = "--kafka-port",
      paramLabel = "PORT",
      defaultValue = "9092",
      description = "(default: ${DEFAULT-VALUE})")
  int kafkaPort;

  @Option(
      names = "--kafka-controller-port",
      paramLabel = "PORT",
      defaultValue = "9093",
      description = "(default: ${DEFAULT-VALUE})")
  int kafkaControllerPort;

  @Option(
      names = "--elasticsearch-port",
      paramLabel = "PORT",
      defaultValue = "9200",
      description = "(default: ${DEFAULT-VALUE})")
  int elasticsearchPort;

  @Option(
      names = "--elasticsearch-transport-port",
      paramLabel = "PORT",
      defaultValue = "9300",
      description = "(default: ${DEFAULT-VALUE})")
  int elasticsearchTransportPort;

  @Option(
      names = "--elasticsearch-heap",
      paramLabel = "SIZE",
      defaultValue = "1g",
      description = "Elasticsearch's JVM heap (default: ${DEFAULT-VALUE}).")
  String elasticsearchHeap;

  @Option(
      names = "--flink-ui-port",
      paramLabel = "PORT",
      defaultValue = "8081",
      description = "Flink's web UI on 127.0.0.1; -1 for none (default: ${DEFAULT-VALUE}).")
  int flinkUiPort;

  @Option(
      names = "--dashboard-tls-cert",
      paramLabel = "PEM",
      description =
          "Certificate chain for the dashboard; with --dashboard-tls-key it serves HTTPS only,"
              + " and the session cookie is marked Secure.")
  Path dashboardTlsCert;

  @Option(
      names = "--dashboard-tls-key",
      paramLabel = "PEM",
      description = "Unencrypted PKCS#8 private key of that certificate.")
  Path dashboardTlsKey;

  @Option(
      names = "--syslog-tls-cert",
      paramLabel = "PEM",
      description =
          "Certificate chain for syslog over TLS (RFC 5425); with --syslog-tls-key it turns the"
              + " TLS listener on. Reloaded when the file changes.")
  Path syslogTlsCert;

  @Option(
      names = "--syslog-tls-key",
      paramLabel = "PEM",
      description = "Unencrypted PKCS#8 private key of that certificate.")
  Path syslogTlsKey;

  @Option(
      names = "--syslog-tls-client-ca",
      paramLabel = "PEM",
      description = "CA bundle: senders must present a certificate it signed.")
  Path syslogTlsClientCa;

  @Option(
      names = "--syslog-tls-client-cert-optional",
      description = "With --syslog-tls-client-ca, also accept senders without a certificate.")
  boolean syslogTlsClientCertOptional;

  @Option(
      names = "--syslog-tls-port",
      paramLabel = "PORT",
      defaultValue = "6514",
      description = "(default: ${DEFAULT-VALUE})")
  int syslogTlsPort;

  // Set here too, so that options built without a command line (0: the collectors' own default)
  // still make settings; picocli fills it when it parses.
  @Mixin UdpReceiveBufferOption udpReceiveBuffer = new UdpReceiveBufferOption();

  @Option(
      names = "--out-of-orderness",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description =
          "How far behind the newest event a log line or Beats event may arrive and still be"
              + " correlated exactly; a later one is counted as late (lateEvents) and completes"
              + " only matches of its own. Raise it for sources that send in delayed batches;"
              + " windows then hold events that much longer (default: ${DEFAULT-VALUE}).")
  long outOfOrdernessSeconds;

  @Option(
      names = "--flow-out-of-orderness",
      paramLabel = "SECONDS",
      defaultValue = "120",
      description =
          "The same for NetFlow/IPFIX flows, which exporters send only after their inactive"
              + " timeout (default: ${DEFAULT-VALUE}).")
  long flowOutOfOrdernessSeconds;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      defaultValue = "9464",
      description =
          "The collector's Prometheus metrics at http://127.0.0.1:PORT/metrics; -1 for none"
              + " (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--source-zones",
      paramLabel = "FILE",
      description =
          "Time zones of devices that send times without one (RFC 3164), by sender network:"
              + " one 'CIDR ZONE' per line, e.g. '10.20.0.0/16 Asia/Tehran'. Others use this"
              + " machine's zone.")
  Path sourceZones;

  @Option(
      names = "--agencies",
      paramLabel = "FILE",
      description =
          "The agency (organization.id) of each sender network: one 'CIDR ORGANIZATION_ID' per"
              + " line, e.g. '10.20.0.0/16 health-dept'. Analysts see the alerts of their own"
              + " agencies; the network decides, not what a sender claims.")
  Path agencies;

  @Option(
      names = "--assets",
      paramLabel = "FILE",
      description =
          "Asset inventory CSV with the header 'cidr,agency,asset,owner,criticality'"
              + " (criticality low|medium|high|critical; asset, owner, criticality may be empty)."
              + " Gives events vigil.asset.* for the most critical asset among destination.ip,"
              + " host.ip, source.ip and observer.ip, weighs alerts' risk scores, and sets"
              + " organization.id like --agencies. Reloaded when it changes.")
  Path assets;

  @Option(
      names = "--intel",
      paramLabel = "PATH",
      description =
          "Threat-intel feed file or folder of feeds; repeatable. .txt: one IP, network, domain,"
              + " URL or MD5/SHA-1/SHA-256 hash per line; .csv: header with type,value"
              + " [,valid_until]; .json: STIX 2.1 bundle. Matches set threat.enrichments.* and the"
              + " tag threat_intel_match. Reloaded when they change.")
  List<Path> intel = new ArrayList<>();

  @Option(
      names = "--beats-port",
      paramLabel = "PORT",
      defaultValue = "5044",
      description =
          "Beats (Lumberjack v2, Filebeat/Winlogbeat's Logstash output) on TCP; -1 for none"
              + " (default: ${DEFAULT-VALUE}).")
  int beatsPort;

  @Option(
      names = "--beats-tls-cert",
      paramLabel = "PEM",
      description =
          "Certificate chain for the Beats port; with --beats-tls-key the port takes TLS only."
              + " Reloaded when the file changes.")
  Path beatsTlsCert;

  @Option(
      names = "--beats-tls-key",
      paramLabel = "PEM",
      description = "Unencrypted PKCS#8 private key of that certificate.")
  Path beatsTlsKey;

  @Option(
      names = "--beats-tls-client-ca",
      paramLabel = "PEM",
      description = "CA bundle: Beats clients must present a certificate it signed.")
  Path beatsTlsClientCa;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      defaultValue = "1",
      description = "Parallelism of the correlation job (default: ${DEFAULT-VALUE}).")
  int parallelism;

  AllInOne.Settings toSettings() {
    if ((dashboardTlsCert == null) != (dashboardTlsKey == null)) {
      throw new IllegalArgumentException(
          "dashboard HTTPS needs both --dashboard-tls-cert and --dashboard-tls-key");
    }
    if (outOfOrdernessSeconds < 0 || flowOutOfOrdernessSeconds < 0) {
      throw new IllegalArgumentException(
          "--out-of-orderness and --flow-out-of-orderness are seconds, 0 or more: "
              + outOfOrdernessSeconds
              + ", "
              + flowOutOfOrdernessSeconds);
    }
    return withoutEnrichment()
        .withUdpReceiveBuffer(udpReceiveBuffer.bytes())
        .withOutOfOrderness(
            Duration.ofSeconds(outOfOrdernessSeconds),
            Duration.ofSeconds(flowOutOfOrdernessSeconds))
        .withEnrichment(
            assets == null ? null : assets.toAbsolutePath(),
            intel.stream().map(Path::toAbsolutePath).toList())
        .withDashboardTls(
            dashboardTlsCert == null ? null : dashboardTlsCert.toAbsolutePath(),
            dashboardTlsKey == null ? null : dashboardTlsKey.toAbsolutePath());
  }

  private AllInOne.Settings withoutEnrichment() {
    Path dir = dataDir;
    if (dir == null) {
      String env = System.getenv("VIGIL_DATA");
      dir = env != null && !env.isBlank() ? Path.of(env) : defaultDataDir();
    }
    return new AllInOne.Settings(
        dir.toAbsolutePath().normalize(),
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
        Duration.ofSeconds(10),
        adminPassword(),
        syslogTls(),
        metricsPort,
        sourceZones == null ? null : sourceZones.toAbsolutePath(),
        netflowPort,
        ipfixPort,
        ipfixTcpPort(),
        beatsPort,
        beatsTls(),
        agencies == null ? null : agencies.toAbsolutePath());
  }

  private BeatsTlsConfig beatsTls() {
    if (beatsTlsCert == null && beatsTlsKey == null) {
      if (beatsTlsClientCa != null) {
        throw new IllegalArgumentException(
            "--beats-tls-client-ca needs --beats-tls-cert and --beats-tls-key");
      }
      return null;
    }
    if (beatsTlsCert == null || beatsTlsKey == null) {
      throw new IllegalArgumentException(
          "Beats over TLS needs both --beats-tls-cert and --beats-tls-key");
    }
    BeatsTlsConfig tls = BeatsTlsConfig.of(beatsTlsCert, beatsTlsKey);
    return beatsTlsClientCa == null ? tls : tls.withClientCa(beatsTlsClientCa, true);
  }

  /** Off unless asked for: 0 here means none, not a free port as for the UDP listeners. */
  private int ipfixTcpPort() {
    if (ipfixTcpPort < 0 || ipfixTcpPort > 65535) {
      throw new IllegalArgumentException(
          "--ipfix-tcp-port must be between 1 and 65535, or 0 for none: " + ipfixTcpPort);
    }
    return ipfixTcpPort == 0 ? NetflowServerConfig.DISABLED : ipfixTcpPort;
  }

  private SyslogTlsConfig syslogTls() {
    if (syslogTlsCert == null && syslogTlsKey == null) {
      return null;
    }
    if (syslogTlsCert == null || syslogTlsKey == null) {
      throw new IllegalArgumentException(
          "syslog over TLS needs both --syslog-tls-cert and --syslog-tls-key");
    }
    SyslogTlsConfig tls = SyslogTlsConfig.of(syslogTlsCert, syslogTlsKey).withPort(syslogTlsPort);
    return syslogTlsClientCa == null
        ? tls
        : tls.withClientCa(syslogTlsClientCa, !syslogTlsClientCertOptional);
  }

  /** VIGIL_ADMIN_PASSWORD, where an empty value (as compose files pass on) counts as unset. */
  private static String adminPassword() {
    String password = System.getenv("VIGIL_ADMIN_PASSWORD");
    return password == null || password.isEmpty() ? null : password;
  }

  /** {@code data/} beside bin/vigil, or in the working folder when run otherwise. */
  private static Path defaultDataDir() {
    String home = System.getProperty("vigil.home");
    return home == null ? Path.of("data") : Path.of(home, "data");
  }
}
