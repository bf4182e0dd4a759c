package org.vigil.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportUtils;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.transport.rest5_client.low_level.Rest5ClientBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;

/**
 * The blocking and the asynchronous Elasticsearch client over one shared Rest5Client transport (one
 * connection pool). Close it to release the pool and its I/O threads.
 */
public final class ElasticsearchClients implements AutoCloseable {
  private final ElasticsearchSettings settings;
  private final Rest5ClientTransport transport;
  private final ElasticsearchClient client;
  private final ElasticsearchAsyncClient asyncClient;

  private ElasticsearchClients(ElasticsearchSettings settings, Rest5ClientTransport transport) {
    this.settings = settings;
    this.transport = transport;
    this.client = new ElasticsearchClient(transport);
    this.asyncClient = new ElasticsearchAsyncClient(transport);
  }

  /**
   * Builds the clients. Nothing is sent yet: a cluster that is down shows up on the first request.
   *
   * @throws IllegalArgumentException when the CA certificate cannot be read
   */
  public static ElasticsearchClients create(ElasticsearchSettings settings) {
    Rest5ClientBuilder builder = Rest5Client.builder(settings.urls());
    List<Header> headers = new ArrayList<>();
    if (settings.apiKey() != null) {
      headers.add(new BasicHeader(HttpHeaders.AUTHORIZATION, "ApiKey " + settings.apiKey()));
    } else if (settings.username() != null) {
      String pair = settings.username() + ":" + settings.password();
      headers.add(
          new BasicHeader(
              HttpHeaders.AUTHORIZATION,
              "Basic "
                  + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
    }
    if (!headers.isEmpty()) {
      builder.setDefaultHeaders(headers.toArray(Header[]::new));
    }
    if (settings.caCertificatePath() != null) {
      builder.setSSLContext(sslContext(settings.caCertificatePath()));
    }
    Timeout timeout = Timeout.of(settings.requestTimeout());
    builder.setRequestConfigCallback(
        config -> config.setResponseTimeout(timeout).setConnectionRequestTimeout(timeout));
    builder.setConnectionConfigCallback(
        config -> config.setConnectTimeout(timeout).setSocketTimeout(timeout));
    Rest5Client restClient = builder.build();
    return new ElasticsearchClients(
        settings, new Rest5ClientTransport(restClient, new JacksonJsonpMapper()));
  }

  private static SSLContext sslContext(String pemPath) {
    File pem = new File(pemPath);
    if (!pem.canRead()) {
      throw new IllegalArgumentException("cannot read the Elasticsearch CA certificate " + pemPath);
    }
    try {
      return TransportUtils.sslContextFromHttpCaCrt(pem);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "not a usable PEM CA certificate: " + pemPath + " (" + e.getMessage() + ")", e);
    }
  }

  public ElasticsearchClient client() {
    return client;
  }

  public ElasticsearchAsyncClient asyncClient() {
    return asyncClient;
  }

  public ElasticsearchSettings settings() {
    return settings;
  }

  /**
   * True when the cluster answers its health API with yellow or green. The health API is the probe
   * because the minimal 9.5 distribution answers 405 to {@code ping()} and {@code info()}.
   */
  public boolean isReady() {
    try {
      HealthStatus status = client.cluster().health().status();
      return status == HealthStatus.Green || status == HealthStatus.Yellow;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Waits until {@link #isReady()}, polling every 250 ms.
   *
   * @throws IllegalStateException when the cluster is not ready within the timeout
   */
  public void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!isReady()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Elasticsearch at " + settings.urls() + " is not ready after " + timeout);
      }
      Thread.sleep(250);
    }
  }

  @Override
  public void close() throws IOException {
    transport.close();
  }

  @Override
  public String toString() {
    return "ElasticsearchClients{" + settings + "}";
  }
}
