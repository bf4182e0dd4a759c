package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.dashboards.DashboardServerTest.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ComponentHealthApiTest {

  private static HealthProbe probe(String name, ThrowingProbe body) {
    return new HealthProbe() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ComponentHealth probe() throws Exception {
        return body.run();
      }

      @Override
      public String unreachable() {
        return "check that " + name + " runs";
      }
    };
  }

  private interface ThrowingProbe {
    ComponentHealth run() throws Exception;
  }

  @Test
  void deadAndHangingComponentsAreRedWithoutHoldingUpThePage(Vertx vertx) throws Exception {
    InMemoryUserStore users = new InMemoryUserStore();
    users.save(
        new User(
            "ana", new PasswordHasher().hash("pw-for-tests"), Set.of(Role.ANALYST), List.of()));
    List<HealthProbe> probes =
        List.of(
            probe("collectors", () -> ComponentHealth.green("collectors", "syslog_udp 5.0/s")),
            probe(
                "kafka",
                () -> {
                  throw new java.net.ConnectException("Connection refused");
                }),
            probe(
                "flink",
                () -> {
                  Thread.sleep(5_000);
                  return ComponentHealth.green("flink", "late");
                }),
            probe(
                "elasticsearch",
                () ->
                    new ComponentHealth(
                        "elasticsearch", HealthStatus.YELLOW, "1 unassigned", "add a node")));
    DashboardServer server =
        await(
            DashboardServer.deploy(
                vertx,
                DashboardConfig.defaults().withHost("127.0.0.1").withPort(0),
                TestBackends.of(users).healthProbes(probes).build()));
    long start = System.nanoTime();
    HttpResponse<Buffer> response =
        await(
            WebClient.create(vertx)
                .get(server.actualPort(), "127.0.0.1", "/api/v1/health/components")
                .basicAuthentication("ana", "pw-for-tests")
                .send());
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(millis).isLessThan(10_000);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("red");
    JsonArray components = body.getJsonArray("components");
    assertThat(components.stream().map(c -> ((JsonObject) c).getString("name")))
        .containsExactly("collectors", "kafka", "flink", "elasticsearch");
    assertThat(components.getJsonObject(0).getString("status")).isEqualTo("green");
    assertThat(components.getJsonObject(0).getValue("check")).isNull();
    JsonObject kafka = components.getJsonObject(1);
    assertThat(kafka.getString("status")).isEqualTo("red");
    assertThat(kafka.getString("detail")).contains("Connection refused");
    assertThat(kafka.getString("check")).isEqualTo("check that kafka runs");
    JsonObject flink = components.getJsonObject(2);
    assertThat(flink.getString("status")).isEqualTo("red");
    assertThat(flink.getString("detail")).contains("no answer within 2000 ms");
    assertThat(components.getJsonObject(3).getString("check")).isEqualTo("add a node");
  }
}
