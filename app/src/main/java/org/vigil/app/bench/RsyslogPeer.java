package org.vigil.app.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.vigil.bench.RsyslogPeerConfig;

/**
 * A private rsyslogd, run as a child process with {@link RsyslogPeerConfig}: the yardstick that
 * {@code vigil bench syslog --peer rsyslog} compares Vigil with. It has its own configuration, work
 * folder and pid file under the benchmark's data folder and listens on 127.0.0.1 only, so the
 * machine's own rsyslog is never touched.
 */
final class RsyslogPeer implements AutoCloseable {
  static final String HOW_TO_INSTALL =
      "install rsyslog with its Elasticsearch output: apt-get install rsyslog rsyslog-elasticsearch";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final Path output;
  private final int port;

  private RsyslogPeer(Process process, Path output, int port) {
    this.process = process;
    this.output = output;
    this.port = port;
  }

  /** rsyslogd from the PATH or the usual sbin folders. */
  static Path locate() {
    for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, "rsyslogd");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("rsyslogd not found: " + HOW_TO_INSTALL);
  }

  /**
   * Writes the configuration under {@code dir}, checks it with rsyslogd's own validation run,
   * starts rsyslogd in the foreground and waits until its TCP port accepts connections.
   *
   * @throws IllegalStateException when rsyslogd or its omelasticsearch module is missing, the
   *     configuration is refused, or it does not listen in time
   */
  static RsyslogPeer start(Path dir, String elasticsearchHost, int elasticsearchPort, String index)
      throws IOException, InterruptedException {
    Path rsyslogd = locate();
    Path work = dir.resolve("work");
    Files.createDirectories(work);
    int port = FreePorts.tcp();
    RsyslogPeerConfig config =
        new RsyslogPeerConfig(
            port,
            elasticsearchHost,
            elasticsearchPort,
            index,
            work,
            dir.resolve("elasticsearch-errors.json"));
    Path conf = dir.resolve("rsyslog.conf");
    Files.writeString(conf, config.render(), StandardCharsets.UTF_8);
    validate(rsyslogd, conf, dir.resolve("validate.out"));

    Path output = dir.resolve("rsyslogd.out");
    Process process =
        new ProcessBuilder(
                rsyslogd.toString(),
                "-n",
                "-f",
                conf.toString(),
                "-i",
                dir.resolve("rsyslogd.pid").toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    RsyslogPeer peer = new RsyslogPeer(process, output, port);
    try {
      peer.awaitListening();
    } catch (IOException | RuntimeException | InterruptedException e) {
      peer.close();
      throw e;
    }
    return peer;
  }

  private static void validate(Path rsyslogd, Path conf, Path out)
      throws IOException, InterruptedException {
    Process check =
        new ProcessBuilder(rsyslogd.toString(), "-N1", "-f", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!check.waitFor(30, TimeUnit.SECONDS)) {
      check.destroyForcibly();
      throw new IllegalStateException("rsyslogd -N1 did not finish checking " + conf);
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    if (check.exitValue() != 0) {
      if (text.toLowerCase(Locale.ROOT).contains("omelasticsearch")) {
        throw new IllegalStateException(
            "rsyslog's omelasticsearch module is missing or broken: " + HOW_TO_INSTALL);
      }
      throw new IllegalStateException(
          "rsyslogd refused the bench configuration "
              + conf
              + ": "
              + firstLines(text, 3).replaceAll("\\s+", " "));
    }
  }

  private void awaitListening() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "rsyslogd exited with code "
                + process.exitValue()
                + " at start: "
                + firstLines(Files.readString(output, StandardCharsets.UTF_8), 3)
                    .replaceAll("\\s+", " "));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(
        "rsyslogd did not listen on 127.0.0.1:"
            + port
            + " within "
            + START_TIMEOUT.toSeconds()
            + " s");
  }

  private static String firstLines(String text, int n) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).limit(n).toList();
    return lines.isEmpty() ? "(no output)" : String.join(" | ", lines);
  }

  int port() {
    return port;
  }

  /** rsyslogd's process id, to count its CPU. */
  long pid() {
    return process.pid();
  }

  /** What rsyslogd printed; omelasticsearch's failures show here. */
  Path output() {
    return output;
  }

  /** Stops rsyslogd: SIGTERM, then SIGKILL after 10 s. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
