package org.vigil.collectors.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsHttpServerTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private MetricsHttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    registry.close();
  }

  private MetricsHttpServer start() {
    server = new MetricsHttpServer("127.0.0.1", 0, registry);
    server.start();
    return server;
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return client.send(
        request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  @Test
  void servesTheRegistryInThePrometheusTextFormat() throws Exception {
    Counter.builder("vigil.test.things").tag("input", "syslog_udp").register(registry).increment(3);
    start();

    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/metrics")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body())
        .contains("# TYPE vigil_test_things_total counter")
        .contains("vigil_test_things_total{input=\"syslog_udp\"} 3.0");
  }

  @Test
  void answersEveryScrapeOnOneKeptAliveConnection() throws Exception {
    Counter counter = Counter.builder("vigil.test.scrapes").register(registry);
    start();
    HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    for (int i = 1; i <= 3; i++) {
      counter.increment();
      HttpResponse<String> response =
          http11.send(
              HttpRequest.newBuilder(uri("/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).contains("vigil_test_scrapes_total " + i + ".0");
    }
  }

  @Test
  void ignoresTheQueryStringOfAScrape() throws Exception {
    start();

    HttpResponse<String> response =
        send(HttpRequest.newBuilder(uri("/metrics?name[]=vigil_collector_received_total")));

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void answersNotFoundForAnyOtherPath() throws Exception {
    start();

    assertThat(send(HttpRequest.newBuilder(uri("/"))).statusCode()).isEqualTo(404);
    assertThat(send(HttpRequest.newBuilder(uri("/metrics/x"))).statusCode()).isEqualTo(404);
  }

  @Test
  void refusesOtherMethodsAndSaysWhichIsAllowed() throws Exception {
    start();

    HttpResponse<String> post =
        send(
            HttpRequest.newBuilder(uri("/metrics")).POST(HttpRequest.BodyPublishers.ofString("x")));
    HttpResponse<String> delete = send(HttpRequest.newBuilder(uri("/metrics")).DELETE());

    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET");
    assertThat(delete.statusCode()).isEqualTo(405);
  }

  @Test
  void answersBadRequestToGarbageAndCloses() throws Exception {
    start();
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write("\u0001\u0002 not http at all\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);

      assertThat(answer).startsWith("HTTP/1.1 400");
    }
    assertThat(send(HttpRequest.newBuilder(uri("/metrics"))).statusCode()).isEqualTo(200);
  }

  @Test
  void namesThePortAndTheOptionWhenThePortIsTaken() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      int port = taken.getLocalPort();
      server = new MetricsHttpServer("127.0.0.1", port, registry);

      assertThatThrownBy(server::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "metrics port "
                  + port
                  + " is already in use: stop the process holding it or choose another port with"
                  + " --metrics-port");
    }
  }

  @Test
  void freesThePortOnClose() throws IOException {
    int port = start().port();
    server.close();

    try (ServerSocket again = new ServerSocket()) {
      again.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void refusesAnUnknownBindHostInOneLine() {
    server = new MetricsHttpServer("no-such-host.invalid", 0, registry);

    assertThatThrownBy(server::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("metrics bind host no-such-host.invalid is not a known address")
        .hasMessageNotContaining("\n");
  }

  @Test
  void refusesAPortOutOfRange() {
    assertThatThrownBy(() -> new MetricsHttpServer("127.0.0.1", 65536, registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65536");
  }
}
