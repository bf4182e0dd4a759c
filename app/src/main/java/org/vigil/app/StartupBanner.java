package org.vigil.app;

import java.nio.file.Path;
import java.util.Locale;

/** The short block {@code vigil up} prints once everything runs. */
final class StartupBanner {
  private StartupBanner() {}

  static String render(AllInOne system) {
    AllInOne.Settings s = system.settings();
    String dashboardHost = s.bindHost().equals("0.0.0.0") ? "localhost" : s.bindHost();
    StringBuilder b = new StringBuilder();
    b.append("\nVigil is running.\n");
    row(b, "syslog", "UDP and TCP " + s.bindHost() + ":" + system.syslogPort());
    if (system.syslogTlsPort() >= 0) {
      row(b, "syslog TLS", s.bindHost() + ":" + system.syslogTlsPort());
    }
    if (system.netflowPort() >= 0) {
      row(b, "NetFlow", "v5 and v9, UDP " + s.bindHost() + ":" + system.netflowPort());
    }
    if (system.ipfixPort() >= 0) {
      row(b, "IPFIX", "UDP " + s.bindHost() + ":" + system.ipfixPort());
    }
    if (system.ipfixTcpPort() >= 0) {
      row(b, "IPFIX TCP", s.bindHost() + ":" + system.ipfixTcpPort());
    }
    if (system.beatsPort() >= 0) {
      row(
          b,
          "Beats",
          (s.beatsTls() == null ? "TCP " : "TLS ") + s.bindHost() + ":" + system.beatsPort());
    }
    if (s.agencies() != null) {
      row(b, "agencies", s.agencies().toString());
    }
    if (s.assets() != null) {
      row(b, "assets", s.assets().toString());
    }
    if (!s.intel().isEmpty()) {
      row(b, "threat intel", String.join(", ", s.intel().stream().map(Path::toString).toList()));
    }
    row(
        b,
        "dashboard",
        (s.dashboardTlsCert() == null ? "http://" : "https://")
            + dashboardHost
            + ":"
            + system.dashboardPort()
            + "/");
    row(b, "Kafka", system.kafkaBootstrap());
    row(
        b,
        "Elasticsearch",
        system.elasticsearchUrl() + " (as user " + system.elasticsearchUser() + ")");
    if (s.flinkUiPort() >= 0) {
      row(b, "Flink UI", "http://127.0.0.1:" + s.flinkUiPort() + "/");
    }
    if (s.metricsPort() >= 0) {
      row(b, "metrics", "http://127.0.0.1:" + s.metricsPort() + "/metrics");
    }
    system.restoredFrom().ifPresent(p -> row(b, "resumed from", p.toString()));
    row(b, "data folder", s.dataDir().toString());
    row(
        b,
        "Java",
        Runtime.version().feature()
            + " ("
            + System.getProperty("java.vendor", "unknown vendor")
            + ", "
            + System.getProperty("java.home")
            + ")");
    if (system.generatedAdminPassword().isPresent()) {
      row(
          b,
          "log in",
          "user admin, password "
              + system.generatedAdminPassword().get()
              + "  (generated now and shown only once: note it)");
    } else if (s.adminPassword() != null) {
      row(b, "log in", "user admin, password from VIGIL_ADMIN_PASSWORD");
    } else {
      row(
          b,
          "log in",
          "user admin, with the password printed at the first start"
              + " (set VIGIL_ADMIN_PASSWORD to reset it)");
    }
    b.append("Stop with Ctrl-C.\n");
    return b.toString();
  }

  private static void row(StringBuilder b, String what, String where) {
    b.append(String.format(Locale.ROOT, "  %-14s %s%n", what, where));
  }
}
