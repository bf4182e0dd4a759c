package org.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RsyslogPeerConfigTest {
  private final RsyslogPeerConfig config =
      new RsyslogPeerConfig(
          40123,
          "127.0.0.1",
          9201,
          "rsyslog-bench-ab12",
          Path.of("/tmp/b/work"),
          Path.of("/tmp/b/errors.json"));

  @Test
  void listensForTcpOnLoopbackOnlyWithItsOwnWorkFolder() {
    assertThat(config.render())
        .contains("global(workDirectory=\"/tmp/b/work\"")
        .contains(
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"40123\" ruleset=\"vigilBench\")")
        .doesNotContain("imuxsock")
        .doesNotContain("imjournal")
        .doesNotContain("$IncludeConfig");
  }

  @Test
  void writesToItsOwnIndexInBulkModeWithoutDroppingWhenBusy() {
    assertThat(config.render())
        .contains("type=\"omelasticsearch\"")
        .contains("server=\"127.0.0.1\" serverport=\"9201\"")
        .contains("searchIndex=\"rsyslog-bench-ab12\"")
        .contains("bulkmode=\"on\"")
        .contains("action.resumeRetryCount=\"-1\"")
        .contains("queue.dequeueBatchSize=\"" + RsyslogPeerConfig.BATCH + "\"")
        .contains("queue.timeoutEnqueue=\"" + RsyslogPeerConfig.ENQUEUE_TIMEOUT_MILLIS + "\"")
        .contains("errorFile=\"/tmp/b/errors.json\"");
  }

  @Test
  void indexesTheFieldsAnAnalystSearches() {
    assertThat(config.render())
        .contains("option.jsonf=\"on\"")
        .contains("outname=\"@timestamp\"")
        .contains("outname=\"host.name\"")
        .contains("outname=\"message\"");
  }

  @Test
  void refusesAnIndexNameElasticsearchWouldRefuse() {
    assertThatThrownBy(
            () ->
                new RsyslogPeerConfig(
                    40123, "127.0.0.1", 9201, "Bench", Path.of("w"), Path.of("e")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lower-case");
  }
}
