package org.vigil.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElasticsearchSettingsTest {

  @Test
  void defaultsToLocalhost9200WithoutAuthentication() {
    ElasticsearchSettings settings = ElasticsearchSettings.defaults();
    assertThat(settings.urls()).containsExactly(URI.create("http://127.0.0.1:9200"));
    assertThat(settings.username()).isNull();
    assertThat(settings.apiKey()).isNull();
    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void toStringNeverShowsSecrets() {
    String basic = ElasticsearchSettings.defaults().withBasicAuth("vigil", "s3cr3t-pw").toString();
    assertThat(basic).contains("vigil").doesNotContain("s3cr3t-pw");
    String key =
        ElasticsearchSettings.defaults().withApiKey("VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWky").toString();
    assertThat(key).doesNotContain("VnVhQ2ZHY0JDZGJr").contains("api-key");
  }

  @Test
  void rejectsHalfBasicAuthAndMixedAuth() {
    assertThatThrownBy(() -> ElasticsearchSettings.defaults().withBasicAuth("vigil", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("username and a password");
    ElasticsearchSettings basic = ElasticsearchSettings.defaults().withBasicAuth("u", "p");
    assertThatThrownBy(
            () ->
                new ElasticsearchSettings(
                    basic.urls(), "u", "p", "key", null, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not both");
  }

  @Test
  void rejectsUrlsThatAreNotHttp() {
    assertThatThrownBy(
            () -> ElasticsearchSettings.defaults().withUrls(List.of(URI.create("ftp://es:21"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ftp://es:21");
  }

  @Test
  void rejectsAnUnreadableCaCertificate() {
    ElasticsearchSettings settings =
        ElasticsearchSettings.of(URI.create("https://127.0.0.1:1"))
            .withCaCertificate("/nonexistent/ca.pem");
    assertThatThrownBy(() -> ElasticsearchClients.create(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/nonexistent/ca.pem");
  }
}
