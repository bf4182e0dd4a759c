package org.vigil.collectors.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKI made with the {@code openssl} command, as an operator would make one: P-256 keys
 * written as PKCS#8 PEM, a CA, and certificates it signs.
 */
public final class TlsTestPki {
  static final Path OPENSSL = Path.of("/usr/bin/openssl");
  private static final char[] PASSWORD = "changeit".toCharArray();

  private final Path dir;

  public TlsTestPki(Path dir) {
    this.dir = dir;
  }

  public static boolean opensslAvailable() {
    return Files.isExecutable(OPENSSL);
  }

  /** A self-signed CA; its files are {@code name.key} and {@code name.crt}. */
  public void createCa(String name) {
    run(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        key(name).toString(),
        "-out",
        crt(name).toString(),
        "-days",
        "2",
        "-subj",
        "/CN=" + name);
  }

  /**
   * A certificate signed by {@code ca}, with SANs 127.0.0.1 and localhost for a server; its files
   * are {@code name.key} and {@code name.crt}.
   */
  public void issue(String name, String ca, long serial, boolean server) {
    Path csr = dir.resolve(name + ".csr");
    Path extensions = dir.resolve(name + ".ext");
    run(
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        key(name).toString(),
        "-out",
        csr.toString(),
        "-subj",
        "/CN=" + (server ? "localhost" : name));
    write(
        extensions,
        server
            ? "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
            : "extendedKeyUsage=clientAuth\n");
    run(
        "x509",
        "-req",
        "-in",
        csr.toString(),
        "-CA",
        crt(ca).toString(),
        "-CAkey",
        key(ca).toString(),
        "-set_serial",
        Long.toString(serial),
        "-days",
        "2",
        "-extfile",
        extensions.toString(),
        "-out",
        crt(name).toString());
  }

  public Path key(String name) {
    return dir.resolve(name + ".key");
  }

  public Path crt(String name) {
    return dir.resolve(name + ".crt");
  }

  static BigInteger serialOf(Path crt) throws Exception {
    try (InputStream in = Files.newInputStream(crt)) {
      return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in))
          .getSerialNumber();
    }
  }

  /**
   * A client context trusting {@code ca}, presenting {@code clientName}'s certificate if not null.
   */
  public SSLContext clientContext(String ca, String clientName) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(crt(ca))) {
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    KeyManagerFactory keyManagers = null;
    if (clientName != null) {
      Path p12 = dir.resolve(clientName + ".p12");
      run(
          "pkcs12",
          "-export",
          "-inkey",
          key(clientName).toString(),
          "-in",
          crt(clientName).toString(),
          "-out",
          p12.toString(),
          "-passout",
          "pass:" + new String(PASSWORD));
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(p12)) {
        keys.load(in, PASSWORD);
      }
      keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, PASSWORD);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        keyManagers == null ? null : keyManagers.getKeyManagers(),
        trustManagers.getTrustManagers(),
        null);
    return context;
  }

  void run(String... args) {
    List<String> command = new ArrayList<>(List.of(OPENSSL.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run openssl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running openssl", e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
