package org.vigil.collectors.beats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.collectors.syslog.TlsTestPki;

/**
 * A real third-party Lumberjack v2 client, the npm package {@code lumberjack-client} (compressed
 * windows, TLS), installed with the machine's npm into the temp folder on first use, sending to the
 * real server. Fails, naming what to install, where node or npm is missing ({@code .ci/setup}
 * installs them).
 */
class LumberjackClientInteropTest {
  private static final String PACKAGE = "lumberjack-client@1.0.3";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path nodeModules;
  private static Path script;

  private MockProducer<byte[], byte[]> producer;
  private RawRecordPublisher publisher;
  private BeatsServer server;
  private Process client;

  @BeforeAll
  static void installClient() throws Exception {
    assertThat(onPath("node") && onPath("npm"))
        .as("node and npm are needed for this test: apt-get install nodejs npm")
        .isTrue();
    Path prefix = Path.of(System.getProperty("java.io.tmpdir"), "vigil-lumberjack-client-1.0.3");
    nodeModules = prefix.resolve("node_modules");
    if (!Files.isDirectory(nodeModules.resolve("lumberjack-client"))) {
      Files.createDirectories(prefix);
      int exit = run(List.of("npm", "install", "--silent", "--prefix", prefix.toString(), PACKAGE));
      assertThat(exit).as("npm install " + PACKAGE + " into " + prefix).isZero();
    }
    script = Files.createTempFile("lumberjack_client_send", ".js");
    try (InputStream in =
        Objects.requireNonNull(
            LumberjackClientInteropTest.class.getResourceAsStream(
                "/beats/lumberjack_client_send.js"))) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.destroyForcibly();
    }
    if (server != null) {
      server.close();
    }
    if (publisher != null) {
      publisher.close(Duration.ZERO);
    }
  }

  @Test
  void publishesAndAcknowledgesEveryEventOfTheNpmClient() throws Exception {
    start(BeatsChannelFixture.config());
    String run = "interop" + System.nanoTime();
    send(2000, run, null);
    assertEveryEventPublishedOnce(2000, run);
  }

  @Test
  void publishesEveryEventOfTheNpmClientOverTls(@TempDir Path dir) throws Exception {
    assertThat(TlsTestPki.opensslAvailable())
        .as("openssl is needed: apt-get install openssl")
        .isTrue();
    TlsTestPki pki = new TlsTestPki(dir);
    pki.createCa("ca");
    pki.issue("server", "ca", 2, true);
    start(
        BeatsChannelFixture.config()
            .withTls(BeatsTlsConfig.of(pki.crt("server"), pki.key("server"))));
    String run = "interop-tls" + System.nanoTime();
    send(500, run, pki.crt("ca"));
    assertEveryEventPublishedOnce(500, run);
  }

  private void assertEveryEventPublishedOnce(int count, String run) throws IOException {
    // The client stays connected until the end (closing with unread ACKs would reset the
    // connection and lose what the server has not read yet), so only a crash ends it early.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              if (!client.isAlive()) {
                throw new AssertionError(
                    "the npm client exited with "
                        + client.exitValue()
                        + ": "
                        + new String(client.getInputStream().readAllBytes(), UTF_8));
              }
              assertThat(server.metrics().published()).isEqualTo(count);
            });
    List<byte[]> events = BeatsChannelFixture.events(new ArrayList<>(producer.history()));
    assertThat(events).hasSize(count);
    Set<String> messages = new HashSet<>();
    for (byte[] value : events) {
      JsonNode event = JSON.readTree(value);
      assertThat(event.at("/labels/run").asText()).isEqualTo(run);
      messages.add(event.get("message").asText());
    }
    assertThat(messages).hasSize(count);
    // The client sends a window per event once connected: every window acknowledged.
    await().atMost(Duration.ofSeconds(5)).until(() -> server.metrics().acks() >= 1);
    assertThat(server.metrics().malformed()).isZero();
    assertThat(server.metrics().received()).isEqualTo(count);
  }

  private void start(BeatsServerConfig config) {
    producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    publisher = new RawRecordPublisher(producer);
    server = new BeatsServer(config.withBindHost("127.0.0.1"), publisher);
    server.start();
  }

  /** Starts the npm client sending; it keeps its connection open until the test ends it. */
  private void send(int count, String run, Path ca) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "node",
                script.toString(),
                Integer.toString(server.port()),
                Integer.toString(count),
                run));
    if (ca != null) {
      command.add(ca.toString());
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("NODE_PATH", nodeModules.toString());
    client = builder.start();
  }

  private static boolean onPath(String command) {
    try {
      return run(List.of(command, "--version")) == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static int run(List<String> command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }
}
