package org.vigil.dashboards;

import java.time.Duration;

/**
 * How the dashboard listens.
 *
 * @param host the address to bind; {@code 0.0.0.0} for every interface
 * @param port the HTTP port; 0 picks a free one (tests)
 * @param sessionTimeout idle time after which a browser session ends
 * @param credentialCacheTtl how long a verified HTTP Basic credential is trusted without hashing it
 *     again; a changed password or role takes up to this long to affect a script
 * @param secureCookies mark the session cookie {@code Secure}; set it when TLS is in front
 */
public record DashboardConfig(
    String host,
    int port,
    Duration sessionTimeout,
    Duration credentialCacheTtl,
    boolean secureCookies) {

  public static final int DEFAULT_PORT = 8080;

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
  }

  /** Port 8080 on every interface, 30-minute sessions, 60-second credential cache. */
  public static DashboardConfig defaults() {
    return new DashboardConfig(
        "0.0.0.0", DEFAULT_PORT, Duration.ofMinutes(30), Duration.ofSeconds(60), false);
  }

  public DashboardConfig withHost(String newHost) {
    return new DashboardConfig(newHost, port, sessionTimeout, credentialCacheTtl, secureCookies);
  }

  public DashboardConfig withPort(int newPort) {
    return new DashboardConfig(host, newPort, sessionTimeout, credentialCacheTtl, secureCookies);
  }
}
