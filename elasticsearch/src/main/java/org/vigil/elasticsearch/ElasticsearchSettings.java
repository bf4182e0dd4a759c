package org.vigil.elasticsearch;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How to reach Elasticsearch: one or more node URLs, optional credentials (user and password, or an
 * API key) and an optional CA certificate for TLS to a real cluster.
 *
 * <p>Serializable so that Flink sinks can carry it to their task managers; {@link #toString()}
 * never shows a secret, so the settings can be logged as a whole.
 *
 * @param urls node URLs, {@code http} or {@code https}
 * @param username user for basic authentication, or null
 * @param password password for basic authentication, or null
 * @param apiKey an encoded API key ({@code base64(id:key)}, as Elasticsearch returns it), or null
 * @param caCertificatePath PEM file of the CA that signed the cluster's HTTP certificate, or null
 *     to trust the JVM's default trust store
 * @param requestTimeout how long one request may take before it fails
 */
public record ElasticsearchSettings(
    List<URI> urls,
    String username,
    String password,
    String apiKey,
    String caCertificatePath,
    Duration requestTimeout)
    implements Serializable {

  public static final URI DEFAULT_URL = URI.create("http://127.0.0.1:9200");
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  public ElasticsearchSettings {
    urls = urls == null || urls.isEmpty() ? List.of(DEFAULT_URL) : List.copyOf(urls);
    for (URI url : urls) {
      String scheme = url.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException(
            "Elasticsearch URL must start with http:// or https://: " + url);
      }
      if (url.getHost() == null) {
        throw new IllegalArgumentException("Elasticsearch URL has no host: " + url);
      }
    }
    username = blankToNull(username);
    password = blankToNull(password);
    apiKey = blankToNull(apiKey);
    caCertificatePath = blankToNull(caCertificatePath);
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException(
          "Elasticsearch basic authentication needs both a username and a password");
    }
    if (username != null && apiKey != null) {
      throw new IllegalArgumentException(
          "choose either a username and password or an API key for Elasticsearch, not both");
    }
    requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "Elasticsearch request timeout must be positive: " + requestTimeout);
    }
  }

  /** The all-in-one default: http://127.0.0.1:9200, no authentication. */
  public static ElasticsearchSettings defaults() {
    return new ElasticsearchSettings(List.of(DEFAULT_URL), null, null, null, null, null);
  }

  /** One node, no authentication. */
  public static ElasticsearchSettings of(URI url) {
    return new ElasticsearchSettings(List.of(url), null, null, null, null, null);
  }

  public ElasticsearchSettings withUrls(List<URI> newUrls) {
    return new ElasticsearchSettings(
        newUrls, username, password, apiKey, caCertificatePath, requestTimeout);
  }

  public ElasticsearchSettings withBasicAuth(String user, String pass) {
    return new ElasticsearchSettings(urls, user, pass, null, caCertificatePath, requestTimeout);
  }

  public ElasticsearchSettings withApiKey(String key) {
    return new ElasticsearchSettings(urls, null, null, key, caCertificatePath, requestTimeout);
  }

  public ElasticsearchSettings withCaCertificate(String pemPath) {
    return new ElasticsearchSettings(urls, username, password, apiKey, pemPath, requestTimeout);
  }

  public ElasticsearchSettings withRequestTimeout(Duration timeout) {
    return new ElasticsearchSettings(urls, username, password, apiKey, caCertificatePath, timeout);
  }

  @Override
  public String toString() {
    return "ElasticsearchSettings{urls="
        + urls
        + ", auth="
        + (apiKey != null ? "api-key" : username != null ? "basic(" + username + ")" : "none")
        + ", password="
        + (password == null ? "none" : "<redacted>")
        + ", apiKey="
        + (apiKey == null ? "none" : "<redacted>")
        + ", caCertificate="
        + (caCertificatePath == null ? "default trust store" : caCertificatePath)
        + ", requestTimeout="
        + requestTimeout
        + "}";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
