package org.vigil.collectors.syslog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the syslog-over-TLS listener (RFC 5425) of a {@link SyslogServer}.
 *
 * <p>Files are PEM, as certificate authorities and cert-manager hand them out. They are read again
 * whenever they change, so a renewed certificate is picked up without a restart.
 *
 * @param certificateChainPem the server certificate, followed by any intermediate certificates
 * @param privateKeyPem the certificate's private key, unencrypted PKCS#8 ({@code -----BEGIN PRIVATE
 *     KEY-----}), RSA or EC
 * @param clientCaBundlePem certificate authorities whose client certificates are accepted; null
 *     asks senders for no certificate (RFC 5425 §4.2.1 authenticates only the server then)
 * @param requireClientCertificate refuse senders without a certificate signed by the bundle; when
 *     false, a certificate is asked for but a sender without one is let in
 * @param port TCP port of the TLS listener; 0 picks a free one (see {@link SyslogServer#tlsPort()})
 * @param reloadInterval how often the files' modification times are checked
 */
public record SyslogTlsConfig(
    Path certificateChainPem,
    Path privateKeyPem,
    Path clientCaBundlePem,
    boolean requireClientCertificate,
    int port,
    Duration reloadInterval) {

  /** RFC 5425 §4.1: the port assigned to syslog over TLS. */
  public static final int DEFAULT_PORT = 6514;

  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(60);

  public SyslogTlsConfig {
    Objects.requireNonNull(certificateChainPem, "certificateChainPem");
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    Objects.requireNonNull(reloadInterval, "reloadInterval");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("syslog TLS port must be between 0 and 65535: " + port);
    }
    if (reloadInterval.isNegative() || reloadInterval.isZero()) {
      throw new IllegalArgumentException("reloadInterval must be positive: " + reloadInterval);
    }
    if (requireClientCertificate && clientCaBundlePem == null) {
      throw new IllegalArgumentException(
          "requiring syslog TLS client certificates needs the CA bundle that signs them: set"
              + " --syslog-tls-client-ca");
    }
  }

  /** Server authentication only, on port 6514, files checked every minute. */
  public static SyslogTlsConfig of(Path certificateChainPem, Path privateKeyPem) {
    return new SyslogTlsConfig(
        certificateChainPem, privateKeyPem, null, false, DEFAULT_PORT, DEFAULT_RELOAD_INTERVAL);
  }

  public SyslogTlsConfig withPort(int newPort) {
    return new SyslogTlsConfig(
        certificateChainPem,
        privateKeyPem,
        clientCaBundlePem,
        requireClientCertificate,
        newPort,
        reloadInterval);
  }

  /**
   * @param caBundlePem authorities whose client certificates are accepted
   * @param require refuse senders without such a certificate, rather than only asking for one
   */
  public SyslogTlsConfig withClientCa(Path caBundlePem, boolean require) {
    return new SyslogTlsConfig(
        certificateChainPem,
        privateKeyPem,
        Objects.requireNonNull(caBundlePem, "caBundlePem"),
        require,
        port,
        reloadInterval);
  }

  public SyslogTlsConfig withReloadInterval(Duration interval) {
    return new SyslogTlsConfig(
        certificateChainPem,
        privateKeyPem,
        clientCaBundlePem,
        requireClientCertificate,
        port,
        interval);
  }
}
