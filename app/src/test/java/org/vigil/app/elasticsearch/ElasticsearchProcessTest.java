package org.vigil.app.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElasticsearchProcessTest {
  @TempDir Path dir;

  @Test
  void namesATakenPortOnOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> ElasticsearchProcess.ensurePortFree(port, "HTTP"))
          .isInstanceOf(ElasticsearchStartException.class)
          .hasMessageContaining("HTTP port " + port)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }

  @Test
  void writesASingleNodeLoopbackConfigurationWithTheHeap() throws Exception {
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve("config"));
    Files.createDirectories(home.resolve("modules/x-pack-security"));
    ElasticsearchProcess.Options options =
        ElasticsearchProcess.Options.defaults(dir).withPorts(19200, 19300).withHeap("768m");
    ElasticsearchProcess.writeConfiguration(
        home, options, dir.resolve("data"), dir.resolve("logs"));
    String yml = Files.readString(home.resolve("config/elasticsearch.yml"));
    assertThat(yml)
        .contains("discovery.type: single-node")
        .contains("network.host: 127.0.0.1")
        .contains("http.port: 19200")
        .contains("transport.port: 19300")
        .contains("path.data: \"" + dir.resolve("data") + "\"")
        .contains("xpack.security.enabled: false")
        .contains("cluster.routing.allocation.disk.threshold_enabled: false");
    assertThat(Files.readString(home.resolve("config/jvm.options.d/vigil-heap.options")))
        .isEqualTo("-Xms768m\n-Xmx768m\n");
  }

  @Test
  void leavesOutSecuritySettingsWhenTheModuleIsAbsent() throws Exception {
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve("config"));
    ElasticsearchProcess.writeConfiguration(
        home, ElasticsearchProcess.Options.defaults(dir), dir.resolve("d"), dir.resolve("l"));
    assertThat(Files.readString(home.resolve("config/elasticsearch.yml"))).doesNotContain("xpack");
  }

  @Test
  void rejectsNonsenseOptions() {
    assertThatThrownBy(() -> ElasticsearchProcess.Options.defaults(dir).withHeap("lots"))
        .hasMessageContaining("512m or 2g");
    assertThatThrownBy(() -> ElasticsearchProcess.Options.defaults(dir).withPorts(9200, 9200))
        .hasMessageContaining("must differ");
    assertThatThrownBy(() -> ElasticsearchProcess.findDistribution(dir.resolve("missing.zip")))
        .isInstanceOf(ElasticsearchStartException.class)
        .hasMessageContaining("missing.zip");
  }
}
