package org.vigil.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportUtils;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.ResponseException;
import co.elastic.clients.transport.rest5_client.low_level.ResponseListener;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.transport.rest5_client.low_level.Rest5ClientBuilder;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;

/**
 * The blocking and the asynchronous Elasticsearch client over one shared Rest5Client transport (one
 * connection pool). Close it to release the pool and its I/O threads.
 */
public final class ElasticsearchClients implements AutoCloseable {
  /**
   * What a bulk writer reads of a bulk response: per item only its status and error, plus the
   * fields the client requires. A full item (id, version, result, shards, sequence numbers) is
   * several times larger; parsing it was a quarter of the client's I/O-thread time, and
   * Elasticsearch spent CPU writing it, for every document.
   */
  public static final String BULK_RESPONSE_FILTER =
      "errors,took,items.*._index,items.*.status,items.*.error";

  private static final ContentType NDJSON = ContentType.create("application/x-ndjson");

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

  /**
   * Sends a bulk request as one body with its length (see {@link BulkBody} for why), asking only
   * for {@link #BULK_RESPONSE_FILTER} of the response, which is all a writer needs to tell done,
   * retry and rejected apart. An HTTP error status for the whole request fails the future with an
   * {@link HttpStatusException}; a network failure with the client's {@link IOException}.
   *
   * @param refresh whether the documents are searchable when the future completes
   */
  public CompletableFuture<BulkResponse> bulk(BulkBody body, boolean refresh) {
    Request request = new Request("POST", "/_bulk");
    request.addParameter("filter_path", BULK_RESPONSE_FILTER);
    if (refresh) {
      request.addParameter("refresh", "true");
    }
    request.setEntity(new ByteArrayEntity(body.array(), 0, body.length(), NDJSON));
    CompletableFuture<BulkResponse> result = new CompletableFuture<>();
    transport
        .restClient()
        .performRequestAsync(
            request,
            new ResponseListener() {
              @Override
              public void onSuccess(Response response) {
                int status = response.getStatusCode();
                if (status >= 300) {
                  result.completeExceptionally(refused(status, response));
                  return;
                }
                try (InputStream in = response.getEntity().getContent()) {
                  JsonpMapper mapper = transport.jsonpMapper();
                  result.complete(
                      BulkResponse._DESERIALIZER.deserialize(
                          mapper.jsonProvider().createParser(in), mapper));
                } catch (IOException | RuntimeException e) {
                  result.completeExceptionally(e);
                }
              }

              @Override
              public void onFailure(Exception e) {
                result.completeExceptionally(
                    e instanceof ResponseException r
                        ? refused(r.getResponse().getStatusCode(), r.getResponse())
                        : e);
              }
            });
    return result;
  }

  /** The status and the start of Elasticsearch's reason, which names what it refused. */
  private static HttpStatusException refused(int status, Response response) {
    String body = "";
    try {
      if (response.getEntity() != null) {
        body = EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
      }
    } catch (IOException | ParseException | RuntimeException e) {
      body = "(body unreadable: " + e + ")";
    }
    if (body.length() > 500) {
      body = body.substring(0, 500) + "...";
    }
    return new HttpStatusException(
        status, "Elasticsearch refused the bulk request with HTTP " + status + ": " + body);
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
