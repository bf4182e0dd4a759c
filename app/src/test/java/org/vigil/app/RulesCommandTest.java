package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil rules deploy} where no Kafka is needed: what it refuses before publishing. */
class RulesCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path dir;

  private int run(String... args) {
    CommandLine cl = Vigil.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static String shippedAuthRules() throws IOException {
    try (InputStream in =
        RulesCommandTest.class.getClassLoader().getResourceAsStream("rules/packs/auth.drl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A port nothing listens on: bound and closed again. */
  private static String deadKafka() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Test
  void refusesRulesThatDoNotCompileWithEveryErrorAndPublishesNothing() throws Exception {
    Files.writeString(dir.resolve("a.drl"), shippedAuthRules().replace("size >= 5", "size >= "));
    Files.writeString(dir.resolve("b.drl"), "rule \"half\" when then end end");
    Files.writeString(dir.resolve("notes.txt"), "not a rule file");

    long start = System.nanoTime();
    int exit = run("rules", "deploy", dir.toString(), "--kafka", deadKafka());

    assertThat(exit).isEqualTo(Vigil.EXIT_ERROR);
    assertThat(err.toString())
        .contains("ruleset vigil not deployed")
        .containsPattern("a\\.drl:\\d+")
        .containsPattern("b\\.drl:\\d+")
        .doesNotContain("notes.txt")
        .doesNotContain("--kafka");
    assertThat(out.toString()).isEmpty();
    // Refused before any Kafka call, so without waiting for the unreachable broker.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
  }

  @Test
  void aWrongKafkaAddressFailsWithOneLineNamingTheOption() throws Exception {
    Files.writeString(dir.resolve("auth.drl"), shippedAuthRules());

    int exit = run("rules", "deploy", dir.resolve("auth.drl").toString(), "--kafka", deadKafka());

    assertThat(exit).isEqualTo(Vigil.EXIT_ERROR);
    assertThat(err.toString().strip())
        .startsWith("vigil: ")
        .contains("--kafka")
        .doesNotContain("\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aFolderWithoutRuleFilesIsAUsageError() {
    assertThat(run("rules", "deploy", dir.toString())).isEqualTo(Vigil.EXIT_USAGE);
    assertThat(err.toString()).contains("holds no .drl file");
  }

  @Test
  void aBadRulesetIdIsAUsageError() throws Exception {
    Files.writeString(dir.resolve("auth.drl"), shippedAuthRules());

    assertThat(run("rules", "deploy", dir.toString(), "--ruleset", "Not Valid"))
        .isEqualTo(Vigil.EXIT_USAGE);
    assertThat(err.toString()).contains("ruleset id 'Not Valid'");
  }
}
