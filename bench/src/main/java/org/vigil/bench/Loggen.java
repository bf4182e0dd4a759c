package org.vigil.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * syslog-ng's load generator, {@code loggen}, run as a child process: where to find it, the command
 * line for a load, and what it reports when done.
 *
 * <p>Debian's {@code syslog-ng-core} (which ships it) conflicts with rsyslog, so {@code
 * bin/fetch-loggen} unpacks the package into a private folder instead of installing it; a loggen
 * from there needs {@code SYSLOGNG_PREFIX} and {@code LD_LIBRARY_PATH} pointing into that folder to
 * find its plugins, which {@link #environment()} sets.
 *
 * <p>loggen exits 0 even when it cannot connect; only its output tells, so {@link #run} reads it
 * and fails when loggen reported an error and sent nothing.
 */
public final class Loggen {
  /** The environment variable naming the loggen binary. */
  public static final String ENV = "VIGIL_LOGGEN";

  /** Where {@code bin/fetch-loggen} unpacks loggen, relative to the user's home. */
  public static final Path DEFAULT_RELATIVE = Path.of(".cache", "vigil", "loggen", "usr", "bin");

  /** The one line that says how to get loggen. */
  public static final String HOW_TO_INSTALL =
      "run bin/fetch-loggen (unpacks Debian's syslog-ng-core into ~/.cache/vigil/loggen without"
          + " installing it), or pass --loggen PATH or set "
          + ENV;

  /** A rate high enough that loggen sends as fast as the receiver takes it. */
  public static final long UNLIMITED_RATE = 100_000_000L;

  /**
   * The time limit given with a message count: a day, so the count decides when loggen stops;
   * {@link #run}'s timeout still bounds it.
   */
  public static final int COUNT_INTERVAL_SECONDS = 86_400;

  private static final Pattern SUMMARY =
      Pattern.compile(
          "average rate = ([0-9.]+) msg/sec, count=([0-9]+), time=([0-9.eE+-]+)",
          Pattern.MULTILINE);
  private static final Pattern TOTAL =
      Pattern.compile("Total runtime = ([0-9.eE+-]+), count = ([0-9]+)");

  private final Path binary;

  public Loggen(Path binary) {
    this.binary = Objects.requireNonNull(binary, "binary");
  }

  public Path binary() {
    return binary;
  }

  /**
   * Finds loggen: the path given on the command line, else {@code $VIGIL_LOGGEN}, else {@code
   * ~/.cache/vigil/loggen/usr/bin/loggen}.
   *
   * @param option the {@code --loggen} value, or null
   * @param env the process environment
   * @param home the user's home folder
   * @throws IllegalStateException saying how to get loggen when it is not at the chosen path
   */
  public static Loggen locate(String option, Map<String, String> env, Path home) {
    Path path;
    String origin;
    if (option != null && !option.isBlank()) {
      path = Path.of(option);
      origin = "--loggen";
    } else if (env.get(ENV) != null && !env.get(ENV).isBlank()) {
      path = Path.of(env.get(ENV));
      origin = ENV;
    } else {
      path = home.resolve(DEFAULT_RELATIVE).resolve("loggen");
      origin = "the default location";
    }
    if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
      throw new IllegalStateException(
          "loggen not found at " + path + " (" + origin + "): " + HOW_TO_INSTALL);
    }
    return new Loggen(path);
  }

  /**
   * What to send.
   *
   * @param udp datagrams ({@code -D}) instead of a stream ({@code -S})
   * @param host the receiver
   * @param port the receiver's port
   * @param count messages to send in total, or 0 to send for {@code seconds}; a multiple of {@code
   *     connections}, as loggen sends the same number on each
   * @param ratePerConnection messages per second per connection ({@link #UNLIMITED_RATE} for as
   *     fast as possible)
   * @param seconds how long to send when {@code count} is 0
   * @param connections parallel connections (streams only; loggen's {@code --active-connections})
   * @param file lines to send as they are ({@code -R file -d}, looped with {@code -l}), or null for
   *     loggen's own generated messages
   * @param size the size of generated messages in bytes, or 0 for loggen's default (256)
   */
  public record Load(
      boolean udp,
      String host,
      int port,
      long count,
      long ratePerConnection,
      int seconds,
      int connections,
      Path file,
      int size) {
    public Load {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("loggen needs a target host");
      }
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
      }
      if (count < 0) {
        throw new IllegalArgumentException("message count must not be negative: " + count);
      }
      if (count == 0 && seconds < 1) {
        throw new IllegalArgumentException("give a message count or a duration of 1 s or more");
      }
      if (ratePerConnection < 1) {
        throw new IllegalArgumentException("rate must be at least 1 msg/s: " + ratePerConnection);
      }
      if (connections < 1) {
        throw new IllegalArgumentException("connections must be at least 1: " + connections);
      }
      if (count % connections != 0) {
        throw new IllegalArgumentException(
            "loggen sends the same number of messages on each connection: "
                + count
                + " is not a multiple of "
                + connections
                + " connections");
      }
      if (udp && connections != 1) {
        throw new IllegalArgumentException("UDP load uses one socket, not " + connections);
      }
      if (size < 0 || size > 65_000) {
        throw new IllegalArgumentException("message size must be 0-65000 bytes: " + size);
      }
    }

    /** As many generated messages as the receiver takes, over TCP. */
    public static Load tcp(String host, int port, long count) {
      return new Load(false, host, port, count, UNLIMITED_RATE, 0, 1, null, 0);
    }

    /** Generated messages at a fixed rate for a fixed time, over UDP. */
    public static Load udp(String host, int port, long rate, int seconds) {
      return new Load(true, host, port, 0, rate, seconds, 1, null, 0);
    }

    public Load withConnections(int n) {
      return new Load(udp, host, port, count, ratePerConnection, seconds, n, file, size);
    }

    public Load withFile(Path lines) {
      return new Load(udp, host, port, count, ratePerConnection, seconds, connections, lines, 0);
    }

    public Load withSize(int bytes) {
      return new Load(udp, host, port, count, ratePerConnection, seconds, connections, file, bytes);
    }
  }

  /**
   * What loggen printed at the end.
   *
   * @param count messages sent
   * @param seconds how long sending took, by loggen's clock
   * @param rate messages per second, by loggen's figures
   */
  public record Summary(long count, double seconds, double rate) {}

  /** The command line for a load, binary first. */
  public List<String> command(Load load) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.add("--inet");
    cmd.add(load.udp() ? "--dgram" : "--stream");
    cmd.add("--rate=" + load.ratePerConnection());
    if (load.count() > 0) {
      // loggen's --number counts per connection.
      cmd.add("--number=" + load.count() / load.connections());
      // loggen stops after --interval (default 10 s) even short of --number.
      cmd.add("--interval=" + COUNT_INTERVAL_SECONDS);
    } else {
      cmd.add("--interval=" + load.seconds());
    }
    if (load.connections() > 1) {
      cmd.add("--active-connections=" + load.connections());
    }
    if (load.file() != null) {
      cmd.add("--read-file=" + load.file());
      cmd.add("--dont-parse");
      cmd.add("--loop-reading");
    } else if (load.size() > 0) {
      cmd.add("--size=" + load.size());
    }
    cmd.add(load.host());
    cmd.add(String.valueOf(load.port()));
    return cmd;
  }

  /**
   * The variables an unpacked loggen needs to find its plugins and libraries; empty for one
   * installed in the system (no {@code lib/syslog-ng} beside it).
   */
  public Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    Path bin = binary.toAbsolutePath().getParent();
    Path prefix = bin == null ? null : bin.getParent();
    if (prefix != null && Files.isDirectory(prefix.resolve("lib").resolve("syslog-ng"))) {
      env.put("SYSLOGNG_PREFIX", prefix.toString());
      env.put("LD_LIBRARY_PATH", prefix.resolve("lib").resolve("syslog-ng").toString());
    }
    return env;
  }

  /** Reads the closing {@code average rate = ...} line (or the bare total when nothing went). */
  public static Optional<Summary> parseSummary(String output) {
    Matcher m = SUMMARY.matcher(output);
    Summary last = null;
    while (m.find()) {
      last =
          new Summary(
              Long.parseLong(m.group(2)),
              Double.parseDouble(m.group(3)),
              Double.parseDouble(m.group(1)));
    }
    if (last != null) {
      return Optional.of(last);
    }
    Matcher total = TOTAL.matcher(output);
    if (total.find()) {
      return Optional.of(new Summary(Long.parseLong(total.group(2)), 0, 0));
    }
    return Optional.empty();
  }

  /** loggen's {@code error [...] message} lines, without the source location. */
  public static List<String> errors(String output) {
    List<String> errors = new ArrayList<>();
    for (String line : output.split("\\R")) {
      if (line.startsWith("error ")) {
        int close = line.indexOf("] ");
        errors.add(close > 0 ? line.substring(close + 2).strip() : line.strip());
      }
    }
    return errors;
  }

  /**
   * Runs a load to the end and returns loggen's summary.
   *
   * @param timeout how long loggen may run; it is killed after that
   * @throws IOException when loggen cannot be started, fails, times out or sent nothing
   */
  public Summary run(Load load, Duration timeout) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command(load)).redirectErrorStream(true);
    builder.environment().putAll(environment());
    Path output = Files.createTempFile("vigil-loggen-", ".out");
    try {
      builder.redirectOutput(output.toFile());
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new IOException("loggen did not finish within " + timeout.toSeconds() + " s");
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      return interpret(process.exitValue(), text);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** Turns loggen's exit code and output into a summary, or the error it reported. */
  static Summary interpret(int exitCode, String text) throws IOException {
    Optional<Summary> summary = parseSummary(text);
    List<String> errors = errors(text);
    boolean sentNothing = summary.isEmpty() || summary.get().count() == 0;
    if (exitCode != 0 || sentNothing) {
      String reason =
          errors.isEmpty()
              ? (exitCode != 0 ? "exit code " + exitCode : "it sent nothing")
              : String.join("; ", errors);
      throw new IOException(
          String.format(Locale.ROOT, "loggen failed: %s", reason.replaceAll("\\s+", " ")));
    }
    return summary.get();
  }
}
