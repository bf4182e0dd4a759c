package org.vigil.collectors.beats;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.vigil.collectors.syslog.SyslogTlsConfig;

/**
 * TLS on the Beats port, as Logstash's Beats input does it ({@code ssl_enabled}): the one port
 * speaks TLS only. Files are PEM and are read again whenever they change.
 *
 * @param certificateChainPem the server certificate, followed by any intermediate certificates
 * @param privateKeyPem its private key, unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----})
 * @param clientCaBundlePem authorities whose client certificates are accepted; null asks clients
 *     for none (Filebeat's {@code ssl.certificate} is then not needed)
 * @param requireClientCertificate refuse clients without a certificate signed by the bundle; when
 *     false, one is asked for but a client without one is let in
 * @param reloadInterval how often the files' modification times are checked
 */
public record BeatsTlsConfig(
    Path certificateChainPem,
    Path privateKeyPem,
    Path clientCaBundlePem,
    boolean requireClientCertificate,
    Duration reloadInterval) {

  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(60);

  public BeatsTlsConfig {
    Objects.requireNonNull(certificateChainPem, "certificateChainPem");
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    Objects.requireNonNull(reloadInterval, "reloadInterval");
    if (reloadInterval.isNegative() || reloadInterval.isZero()) {
      throw new IllegalArgumentException("reloadInterval must be positive: " + reloadInterval);
    }
    if (requireClientCertificate && clientCaBundlePem == null) {
      throw new IllegalArgumentException(
          "requiring beats TLS client certificates needs the CA bundle that signs them: set"
              + " --beats-tls-client-ca");
    }
  }

  /** Server authentication only, files checked every minute. */
  public static BeatsTlsConfig of(Path certificateChainPem, Path privateKeyPem) {
    return new BeatsTlsConfig(
        certificateChainPem, privateKeyPem, null, false, DEFAULT_RELOAD_INTERVAL);
  }

  /**
   * @param caBundlePem authorities whose client certificates are accepted
   * @param require refuse clients without such a certificate, rather than only asking for one
   */
  public BeatsTlsConfig withClientCa(Path caBundlePem, boolean require) {
    return new BeatsTlsConfig(
        certificateChainPem,
        privateKeyPem,
        Objects.requireNonNull(caBundlePem, "caBundlePem"),
        require,
        reloadInterval);
  }

  public BeatsTlsConfig withReloadInterval(Duration interval) {
    return new BeatsTlsConfig(
        certificateChainPem, privateKeyPem, clientCaBundlePem, requireClientCertificate, interval);
  }

  /** The same files in the form the shared TLS context loader reads; its port is not used. */
  SyslogTlsConfig contextConfig() {
    return new SyslogTlsConfig(
        certificateChainPem,
        privateKeyPem,
        clientCaBundlePem,
        requireClientCertificate,
        0,
        reloadInterval);
  }
}
