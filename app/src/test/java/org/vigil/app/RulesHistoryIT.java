package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.core.SearchResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.app.bench.FreePorts;
import org.vigil.app.kafka.EmbeddedKafka;
import org.vigil.app.kafka.KafkaTopics;
import org.vigil.dashboards.ElasticsearchAuditTrail;
import org.vigil.rules.engine.RulePack;
import org.vigil.rules.engine.RuleRelease;
import org.vigil.rules.release.RuleReleasePublisher;
import picocli.CommandLine;

/**
 * Deploy, history and rollback against the real embedded Kafka: every deploy is a version with who
 * and when, and a rollback republishes an earlier version's files as a new version.
 */
class RulesHistoryIT {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cl = Vigil.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static String shippedAuthRules() throws IOException {
    try (InputStream in =
        RulesHistoryIT.class.getClassLoader().getResourceAsStream("rules/packs/auth.drl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void everyDeployIsAVersionAndRollbackRepublishesAnEarlierOne() throws Exception {
    EmbeddedKafka.Settings settings =
        EmbeddedKafka.Settings.defaults(dir.resolve("data"))
            .withPorts(FreePorts.tcp(), FreePorts.tcp());
    try (EmbeddedKafka kafka = EmbeddedKafka.start(settings);
        ScratchElasticsearch es = ScratchElasticsearch.start("vigil-rules-history-it")) {
      String bootstrap = kafka.bootstrapServers();
      String audit = es.url().toString();
      KafkaTopics.ensure(bootstrap, 1);
      Path v1 = Files.writeString(dir.resolve("auth.drl"), shippedAuthRules());
      Path v2dir = Files.createDirectories(dir.resolve("v2"));
      Path v2 =
          Files.writeString(
              v2dir.resolve("auth.drl"), shippedAuthRules().replace("size >= 5", "size >= 6"));

      int rules = RulePack.compile("vigil", Map.of("auth.drl", shippedAuthRules())).rules().size();
      assertThat(run("rules", "history", "--kafka", bootstrap)).isEqualTo(Vigil.EXIT_OK);
      assertThat(out.toString()).contains("has no deployed version");

      assertThat(
              run(
                  "rules",
                  "deploy",
                  v1.toString(),
                  "--kafka",
                  bootstrap,
                  "--elasticsearch",
                  audit,
                  "--user",
                  "alice"))
          .as(err.toString())
          .isEqualTo(Vigil.EXIT_OK);
      assertThat(
              run(
                  "rules",
                  "deploy",
                  v2.toString(),
                  "--kafka",
                  bootstrap,
                  "--elasticsearch",
                  audit,
                  "--user",
                  "bob"))
          .isEqualTo(Vigil.EXIT_OK);
      assertThat(out.toString())
          .contains("deployed ruleset vigil version 2 (" + rules + " rules) by bob");

      assertThat(
              run(
                  "rules",
                  "rollback",
                  "1",
                  "--kafka",
                  bootstrap,
                  "--elasticsearch",
                  audit,
                  "--user",
                  "carol"))
          .as(err.toString())
          .isEqualTo(Vigil.EXIT_OK);
      assertThat(out.toString())
          .contains(
              "deployed ruleset vigil version 3 ("
                  + rules
                  + " rules) by carol: rollback to version 1");

      assertThat(run("rules", "history", "--kafka", bootstrap)).isEqualTo(Vigil.EXIT_OK);
      assertThat(out.toString())
          .containsPattern("(?m)^\\s+1  alice .* " + rules + "  sha256:")
          .containsPattern("(?m)^\\s+2  bob ")
          .containsPattern("(?m)^\\s+3\\*  carol .*rollback to version 1$");

      List<RuleRelease> history =
          new RuleReleasePublisher(bootstrap, Duration.ofSeconds(10)).history("vigil");
      assertThat(history).extracting(RuleRelease::version).containsExactly(1, 2, 3);
      assertThat(history.get(2).files()).isEqualTo(history.get(0).files());
      assertThat(history.get(2).contentHash()).isEqualTo(history.get(0).contentHash());
      assertThat(history.get(1).contentHash()).isNotEqualTo(history.get(0).contentHash());

      assertThat(run("rules", "rollback", "7", "--kafka", bootstrap)).isEqualTo(Vigil.EXIT_USAGE);
      assertThat(err.toString()).contains("has no version 7 (versions: [1, 2, 3]");

      // Every release is in the audit trail, who and which version.
      es.client().indices().refresh(r -> r.index(ElasticsearchAuditTrail.INDEX));
      SearchResponse<AuditSource> deploys =
          es.client()
              .search(
                  q ->
                      q.index(ElasticsearchAuditTrail.INDEX)
                          .query(t -> t.term(f -> f.field("action").value("rules.deploy")))
                          .sort(o -> o.field(f -> f.field("seq"))),
                  AuditSource.class);
      assertThat(deploys.hits().hits())
          .extracting(h -> h.source().get("actor") + " " + h.source().get("target"))
          .containsExactly("alice vigil@1", "bob vigil@2", "carol vigil@3");

      // No audit trail, no deploy.
      assertThat(
              run(
                  "rules",
                  "deploy",
                  v1.toString(),
                  "--kafka",
                  bootstrap,
                  "--elasticsearch",
                  "http://127.0.0.1:" + FreePorts.tcp()))
          .isEqualTo(Vigil.EXIT_ERROR);
      assertThat(err.toString()).contains("nothing deployed").contains("--elasticsearch");
      assertThat(new RuleReleasePublisher(bootstrap, Duration.ofSeconds(10)).history("vigil"))
          .hasSize(3);
    }
  }

  /** An audit record's {@code _source}: a typed map so the client's JSON mapper can build it. */
  static final class AuditSource extends java.util.LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;
  }
}
