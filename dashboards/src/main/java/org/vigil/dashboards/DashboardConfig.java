package org.vigil.dashboards;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the dashboard listens.
 *
 * @param host the address to bind; {@code 0.0.0.0} for every interface
 * @param port the HTTP port; 0 picks a free one (tests)
 * @param sessionTimeout idle time after which a browser session ends
 * @param credentialCacheTtl how long a verified HTTP Basic credential is trusted without hashing it
 *     again; a changed password or role takes up to this long to affect a script
 * @param secureCookies mark the session cookie {@code Secure}: on whenever {@code tls} is given;
 *     set it too when a TLS reverse proxy is in front
 * @param tlsCert PEM certificate chain to serve HTTPS with, or null for plain HTTP
 * @param tlsKey PEM (PKCS#8) private key of {@code tlsCert}, or null
 */
public record DashboardConfig(
    String host,
    int port,
    Duration sessionTimeout,
    Duration credentialCacheTtl,
    boolean secureCookies,
    Path tlsCert,
    Path tlsKey) {

  public static final int DEFAULT_PORT = 8080;

  /** Plain HTTP, or HTTPS with the session cookie marked {@code Secure}. */
  public DashboardConfig(
      String host,
      int port,
      Duration sessionTimeout,
      Duration credentialCacheTtl,
      boolean secureCookies) {
    this(host, port, sessionTimeout, credentialCacheTtl, secureCookies, null, null);
  }

  public DashboardConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("the dashboard needs a host to bind, e.g. 0.0.0.0");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("dashboard port must be 0..65535: " + port);
    }
    if (sessionTimeout == null || sessionTimeout.isNegative() || sessionTimeout.isZero()) {
      throw new IllegalArgumentException("session timeout must be positive: " + sessionTimeout);
    }
    if (credentialCacheTtl == null || credentialCacheTtl.isNegative()) {
      throw new IllegalArgumentException(
          "credential cache TTL must not be negative: " + credentialCacheTtl);
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException(
          "dashboard HTTPS needs both a certificate and its key (--dashboard-tls-cert and"
              + " --dashboard-tls-key)");
    }
    if (tlsCert != null) {
      for (Path file : new Path[] {tlsCert, tlsKey}) {
        if (!Files.isReadable(file)) {
          throw new IllegalArgumentException(
              "cannot read " + file + " for dashboard HTTPS: check the path and its permissions");
        }
      }
      secureCookies = true; // a cookie sent over HTTPS must never travel over plain HTTP
    }
  }

  public boolean tls() {
    return tlsCert != null;
  }

  /** These settings serving HTTPS with the PEM certificate chain and key. */
  public DashboardConfig withTls(Path cert, Path key) {
    return new DashboardConfig(
        host, port, sessionTimeout, credentialCacheTtl, secureCookies, cert, key);
  }

  /** Port 8080 on every interface, 30-minute sessions, 60-second credential cache. */
  public static DashboardConfig defaults() {
    return new DashboardConfig(
        "0.0.0.0", DEFAULT_PORT, Duration.ofMinutes(30), Duration.ofSeconds(60), false);
  }

  public DashboardConfig withHost(String newHost) {
    return new DashboardConfig(
        newHost, port, sessionTimeout, credentialCacheTtl, secureCookies, tlsCert, tlsKey);
  }

  public DashboardConfig withPort(int newPort) {
    return new DashboardConfig(
        host, newPort, sessionTimeout, credentialCacheTtl, secureCookies, tlsCert, tlsKey);
  }
}
