package org.vigil.collectors.syslog;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS server context of the syslog listener, rebuilt from its PEM files when they change.
 *
 * <p>New connections take {@link #current()}; a reload swaps it atomically, so connections already
 * open keep the context they shook hands with and nothing is interrupted. A reload that fails
 * leaves the old context in place: a half-copied certificate must not take the listener down.
 *
 * <p>Only the JDK provider is used (no tcnative), with TLS 1.3 and 1.2: RFC 5425 §4.2 asks for TLS
 * 1.2 at least, and older versions are broken.
 */
public final class SyslogTlsContext {
  private static final Logger LOG = LoggerFactory.getLogger(SyslogTlsContext.class);

  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final SyslogTlsConfig config;
  private final AtomicReference<Loaded> current = new AtomicReference<>();

  /** The files' state at the last attempt, good or bad, so a bad file is reported once. */
  private List<Stamp> attempted;

  private SyslogTlsContext(SyslogTlsConfig config) {
    this.config = config;
  }

  /**
   * Reads and checks the files and builds the first context.
   *
   * @throws IllegalStateException with a one-line message naming the file and what to fix
   */
  public static SyslogTlsContext load(SyslogTlsConfig config) {
    SyslogTlsContext context = new SyslogTlsContext(Objects.requireNonNull(config, "config"));
    context.reload();
    return context;
  }

  public SslContext current() {
    return current.get().sslContext();
  }

  /** The server certificate new connections are shown. */
  public X509Certificate certificate() {
    return current.get().certificate();
  }

  /**
   * Rebuilds the context from the files, whether they changed or not.
   *
   * @throws IllegalStateException with a one-line message when a file is bad; the previous context
   *     stays in use
   */
  public synchronized X509Certificate reload() {
    List<Stamp> stamps = stamps();
    attempted = stamps;
    Loaded loaded = build();
    current.set(loaded);
    warnWhenNotValidNow(loaded.certificate());
    return loaded.certificate();
  }

  /**
   * Rebuilds the context when a file's modification time or size changed since the last attempt;
   * logs, rather than throws, when the new files are bad.
   *
   * @return true when a new context is in use
   */
  public synchronized boolean reloadIfChanged() {
    if (stamps().equals(attempted)) {
      return false;
    }
    try {
      X509Certificate certificate = reload();
      LOG.info("syslog TLS certificate reloaded: {}", describe(certificate));
      return true;
    } catch (IllegalStateException e) {
      LOG.error("{}; the listener keeps the previous certificate", e.getMessage());
      return false;
    }
  }

  /**
   * Checks the certificate files every {@code interval} on a daemon thread of its own, off the
   * event loops (reading and parsing them is file I/O), until the returned executor is shut down.
   *
   * @param label who the listener is, for the thread name and the log ({@code syslog}, {@code
   *     beats})
   */
  public ScheduledExecutorService reloadEvery(Duration interval, String label) {
    ScheduledExecutorService reloader =
        Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("vigil-" + label + "-tls-reload", true));
    reloader.scheduleWithFixedDelay(
        () -> {
          try {
            reloadIfChanged();
          } catch (RuntimeException e) {
            LOG.error("checking the {} TLS certificate files failed", label, e);
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
    return reloader;
  }

  public static String describe(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName()
        + ", serial "
        + certificate.getSerialNumber().toString(16)
        + ", valid until "
        + certificate.getNotAfter().toInstant();
  }

  private Loaded build() {
    byte[] chainPem = read(config.certificateChainPem(), "certificate", "--syslog-tls-cert");
    byte[] keyPem = read(config.privateKeyPem(), "private key", "--syslog-tls-key");
    byte[] caPem =
        config.clientCaBundlePem() == null
            ? null
            : read(config.clientCaBundlePem(), "client CA bundle", "--syslog-tls-client-ca");

    X509Certificate[] chain =
        certificates(chainPem, config.certificateChainPem(), "certificate", "--syslog-tls-cert");
    PrivateKey key = privateKey(keyPem);
    checkKeyMatches(key, chain[0]);
    SslContextBuilder builder =
        SslContextBuilder.forServer(key, chain).sslProvider(SslProvider.JDK).protocols(PROTOCOLS);
    if (caPem != null) {
      builder
          .trustManager(
              certificates(
                  caPem, config.clientCaBundlePem(), "client CA bundle", "--syslog-tls-client-ca"))
          .clientAuth(config.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
    }
    try {
      return new Loaded(builder.build(), chain[0]);
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "syslog TLS context cannot be built from certificate "
              + config.certificateChainPem()
              + " and key "
              + config.privateKeyPem()
              + ": "
              + oneLine(e),
          e);
    }
  }

  /** Reads a whole file at once, so the certificate and key come from one moment. */
  private static byte[] read(Path file, String what, String option) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw unreadable(file, what, "no such file", option, e);
    } catch (AccessDeniedException e) {
      throw unreadable(file, what, "permission denied", option, e);
    } catch (IOException e) {
      throw unreadable(file, what, oneLine(e), option, e);
    }
  }

  private static IllegalStateException unreadable(
      Path file, String what, String reason, String option, Exception cause) {
    return new IllegalStateException(
        "syslog TLS " + what + " " + file + " not readable: " + reason + "; set " + option, cause);
  }

  private static X509Certificate[] certificates(byte[] pem, Path file, String what, String option) {
    X509Certificate[] certificates;
    try {
      certificates = PemFiles.certificates(pem);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw notPem(file, what, oneLine(e), option, e);
    }
    if (certificates == null || certificates.length == 0) {
      throw notPem(file, what, "no -----BEGIN CERTIFICATE----- block found", option, null);
    }
    return certificates;
  }

  private static IllegalStateException notPem(
      Path file, String what, String reason, String option, Exception cause) {
    return new IllegalStateException(
        "syslog TLS "
            + what
            + " "
            + file
            + " holds no valid PEM certificate: "
            + reason
            + "; set "
            + option
            + " to a PEM file",
        cause);
  }

  private PrivateKey privateKey(byte[] pem) {
    try {
      return PemFiles.privateKey(pem);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new IllegalStateException(
          "syslog TLS private key "
              + config.privateKeyPem()
              + " is not an unencrypted PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----): "
              + oneLine(e)
              + "; convert it with openssl pkcs8 -topk8 -nocrypt, or set --syslog-tls-key",
          e);
    }
  }

  /**
   * A key from another certificate would only fail at the first handshake, on the sender's side, so
   * it is caught here by signing with the key and verifying with the certificate.
   */
  private void checkKeyMatches(PrivateKey key, X509Certificate certificate) {
    PublicKey publicKey = certificate.getPublicKey();
    boolean matches;
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      matches = false;
    } else {
      String algorithm =
          switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
          };
      if (algorithm == null) {
        return;
      }
      try {
        byte[] probe =
            "vigil syslog TLS key check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(probe);
        matches = verifier.verify(signature);
      } catch (GeneralSecurityException e) {
        matches = false;
      }
    }
    if (!matches) {
      throw new IllegalStateException(
          "syslog TLS private key "
              + config.privateKeyPem()
              + " does not match the certificate "
              + config.certificateChainPem()
              + " ("
              + certificate.getSubjectX500Principal().getName()
              + "): set --syslog-tls-key to that certificate's key");
    }
  }

  private void warnWhenNotValidNow(X509Certificate certificate) {
    try {
      certificate.checkValidity();
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      LOG.warn(
          "syslog TLS certificate {} is not valid now ({}): senders will refuse it",
          config.certificateChainPem(),
          describe(certificate));
    }
  }

  private List<Stamp> stamps() {
    List<Path> files =
        new ArrayList<>(Arrays.asList(config.certificateChainPem(), config.privateKeyPem()));
    if (config.clientCaBundlePem() != null) {
      files.add(config.clientCaBundlePem());
    }
    List<Stamp> stamps = new ArrayList<>(files.size());
    for (Path file : files) {
      try {
        stamps.add(new Stamp(Files.getLastModifiedTime(file), Files.size(file)));
      } catch (IOException e) {
        // Missing for a moment while being replaced: compare as absent, retry when it is back.
        stamps.add(new Stamp(null, -1));
      }
    }
    return stamps;
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceAll("\\s+", " ").trim();
  }

  private record Loaded(SslContext sslContext, X509Certificate certificate) {}

  private record Stamp(FileTime modified, long size) {}

  /**
   * Netty's PEM reader, the one {@code SslContextBuilder.forServer(File, File)} uses; reached
   * through a subclass because Netty exposes it only to {@link SslContext} implementations. Parsing
   * here rather than in the builder lets the key be checked against the certificate first.
   */
  private abstract static class PemFiles extends SslContext {
    static X509Certificate[] certificates(byte[] pem) throws GeneralSecurityException {
      return toX509Certificates(new ByteArrayInputStream(pem));
    }

    static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException, IOException {
      return toPrivateKey(new ByteArrayInputStream(pem), null);
    }
  }
}
