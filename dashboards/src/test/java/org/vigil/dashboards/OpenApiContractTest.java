package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.dashboards.DashboardServerTest.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every operation in openapi.yaml is routed by the server. */
@ExtendWith(VertxExtension.class)
class OpenApiContractTest {
  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

  @Test
  void everyOperationInTheContractIsRouted(Vertx vertx) throws Exception {
    JsonNode contract;
    try (InputStream in = getClass().getResourceAsStream("/openapi.yaml")) {
      assertThat(in).as("openapi.yaml on the classpath").isNotNull();
      contract = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    assertThat(contract.path("openapi").asText()).startsWith("3.1");

    List<String> operations = new ArrayList<>();
    contract
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (METHODS.contains(method)) {
                            operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                          }
                        }));
    assertThat(operations)
        .contains("GET /api/v1/health", "POST /api/v1/session", "GET /api/v1/alerts");

    DashboardServer server =
        await(
            DashboardServer.deploy(
                vertx,
                DashboardConfig.defaults().withHost("127.0.0.1").withPort(0),
                TestBackends.of(new InMemoryUserStore()).alerts(new InMemoryAlertStore()).build()));
    WebClient client = WebClient.create(vertx);
    for (String operation : operations) {
      String[] parts = operation.split(" ");
      HttpResponse<Buffer> response =
          await(
              client
                  .request(HttpMethod.valueOf(parts[0]), server.actualPort(), "127.0.0.1", parts[1])
                  .send());
      assertThat(response.statusCode()).as(operation).isNotIn(404, 405);
    }
  }
}
