package org.vigil.app.elasticsearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.app.PortCheck;

/**
 * The real Elasticsearch server as a child process: the all-in-one default of {@code vigil up}.
 *
 * <p>The distribution zip (the {@code integ-test-zip} from Maven Central) is unpacked once into
 * {@code <dataDir>/elasticsearch/<version>/}; data and logs sit next to it in {@code
 * <dataDir>/elasticsearch/data} and {@code .../logs}, and the server's console output goes to
 * {@code <dataDir>/logs/elasticsearch.out}. The configuration is rewritten on every start from
 * {@link Options}: one node bound to 127.0.0.1, security off.
 *
 * <p>Elasticsearch refuses to run as root. When Vigil runs as root, the server runs as the system
 * user {@value #SERVICE_USER} (created when missing) through {@code setpriv}, which execs the
 * server without a shell in between. That user must be able to reach the data folder; when a parent
 * folder is closed to it (a home folder with mode 700, say) the server's files move to {@value
 * #FALLBACK_BASE}, and a note says so.
 *
 * <p>Nothing global is registered: the caller closes the process (and installs a shutdown hook if
 * it wants one).
 */
public final class ElasticsearchProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchProcess.class);

  /** The unprivileged user the server runs as when Vigil runs as root. */
  public static final String SERVICE_USER = "vigil-es";

  /** Where the server's files go when the service user cannot reach the data folder. */
  public static final String FALLBACK_BASE = "/var/lib/vigil/elasticsearch";

  /** System property naming the distribution zip. */
  public static final String ZIP_PROPERTY = "vigil.elasticsearch.zip";

  /** The server version Vigil is built against, for the Maven repository fallback. */
  public static final String DEFAULT_VERSION = "9.5.0";

  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final Pattern RELEVANT =
      Pattern.compile(
          "ERROR|FATAL|Exception|error:|[Ff]ailed|bootstrap check|refus|denied|cannot|Could not");
  private static final String UNPACKED_MARKER = ".vigil-unpacked";

  private final Process process;
  private final URI httpUrl;
  private final String user;
  private final Path home;
  private final Path outputFile;

  /**
   * What to start.
   *
   * @param dataDir Vigil's data folder
   * @param httpPort the REST port on 127.0.0.1
   * @param transportPort the node-to-node port on 127.0.0.1
   * @param heap heap size for -Xms and -Xmx, e.g. {@code 512m}
   * @param startTimeout how long to wait for the cluster health API to answer
   * @param distributionZip the zip, or null for the default search (see {@link #findDistribution})
   * @param javaOpts extra JVM options for the server ({@code ES_JAVA_OPTS}), may be empty
   */
  public record Options(
      Path dataDir,
      int httpPort,
      int transportPort,
      String heap,
      Duration startTimeout,
      Path distributionZip,
      String javaOpts) {

    public Options {
      if (dataDir == null) {
        throw new IllegalArgumentException("a data folder is required");
      }
      dataDir = dataDir.toAbsolutePath().normalize();
      checkPort(httpPort, "HTTP");
      checkPort(transportPort, "transport");
      if (httpPort == transportPort) {
        throw new IllegalArgumentException(
            "Elasticsearch HTTP and transport ports must differ, both are " + httpPort);
      }
      if (heap == null || !heap.matches("[1-9][0-9]*[kKmMgG]")) {
        throw new IllegalArgumentException(
            "Elasticsearch heap must look like 512m or 2g, got " + heap);
      }
      if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException("start timeout must be positive: " + startTimeout);
      }
      javaOpts = javaOpts == null ? "" : javaOpts;
    }

    /** Ports 9200 and 9300, 512 MiB heap, two minutes to start. */
    public static Options defaults(Path dataDir) {
      return new Options(dataDir, 9200, 9300, "512m", Duration.ofMinutes(2), null, "");
    }

    public Options withPorts(int http, int transport) {
      return new Options(dataDir, http, transport, heap, startTimeout, distributionZip, javaOpts);
    }

    public Options withHeap(String size) {
      return new Options(
          dataDir, httpPort, transportPort, size, startTimeout, distributionZip, javaOpts);
    }

    public Options withStartTimeout(Duration timeout) {
      return new Options(
          dataDir, httpPort, transportPort, heap, timeout, distributionZip, javaOpts);
    }

    public Options withDistributionZip(Path zip) {
      return new Options(dataDir, httpPort, transportPort, heap, startTimeout, zip, javaOpts);
    }

    public Options withJavaOpts(String opts) {
      return new Options(
          dataDir, httpPort, transportPort, heap, startTimeout, distributionZip, opts);
    }

    private static void checkPort(int port, String what) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "Elasticsearch " + what + " port must be 1-65535, got " + port);
      }
    }
  }

  private ElasticsearchProcess(
      Process process, URI httpUrl, String user, Path home, Path outputFile) {
    this.process = process;
    this.httpUrl = httpUrl;
    this.user = user;
    this.home = home;
    this.outputFile = outputFile;
  }

  /**
   * Unpacks (first time only), configures and starts the server, and waits until its cluster health
   * API answers.
   *
   * @throws ElasticsearchStartException with a one-line message when a port is taken, no JDK 21+ or
   *     distribution is found, the server exits during startup or does not become ready in time
   */
  public static ElasticsearchProcess start(Options options) throws InterruptedException {
    ensurePortFree(options.httpPort(), "HTTP");
    ensurePortFree(options.transportPort(), "transport");
    JdkFinder.Jdk jdk;
    try {
      jdk = JdkFinder.find();
    } catch (IllegalStateException e) {
      throw new ElasticsearchStartException(e.getMessage(), e);
    }
    Path zip = findDistribution(options.distributionZip());
    try {
      return launch(options, jdk, zip);
    } catch (IOException e) {
      throw new ElasticsearchStartException(
          "Elasticsearch cannot start: "
              + e.getMessage()
              + " ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
  }

  private static ElasticsearchProcess launch(Options options, JdkFinder.Jdk jdk, Path zip)
      throws IOException, InterruptedException {
    Files.createDirectories(options.dataDir());
    String version = distributionVersion(zip);
    boolean root = ProcessUsers.isRoot();
    String user = root ? SERVICE_USER : null;
    Path base = options.dataDir().resolve("elasticsearch");
    if (root) {
      ProcessUsers.ensureSystemUser(SERVICE_USER);
      ProcessUsers.Ids ids = ProcessUsers.idsOf(SERVICE_USER);
      Path blocking = ProcessUsers.firstUntraversable(options.dataDir(), ids);
      if (blocking != null) {
        base = Path.of(FALLBACK_BASE);
        LOG.warn(
            "Note: user {} cannot enter {}, so Elasticsearch's files go to {} instead of {}",
            SERVICE_USER,
            blocking,
            base,
            options.dataDir().resolve("elasticsearch"));
      }
    }
    Path home = base.resolve(version);
    Path data = base.resolve("data");
    Path logs = base.resolve("logs");
    unpackOnce(zip, home);
    Files.createDirectories(data);
    Files.createDirectories(logs);
    writeConfiguration(home, options, data, logs);
    if (root) {
      ProcessUsers.chownTree(base, ProcessUsers.idsOf(SERVICE_USER));
    }
    Path outputFile = options.dataDir().resolve("logs").resolve("elasticsearch.out");
    Files.createDirectories(outputFile.getParent());

    List<String> command = new ArrayList<>();
    if (root) {
      command.addAll(
          List.of(
              "setpriv", "--reuid=" + SERVICE_USER, "--regid=" + SERVICE_USER, "--init-groups"));
    }
    command.add(home.resolve("bin").resolve("elasticsearch").toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(outputFile.toFile()));
    Map<String, String> env = builder.environment();
    env.put("ES_JAVA_HOME", jdk.home().toString());
    env.put("ES_JAVA_OPTS", options.javaOpts());
    env.put("ES_PATH_CONF", home.resolve("config").toString());
    env.remove("ES_HOME");
    LOG.info(
        "Starting Elasticsearch {} on 127.0.0.1:{} as user {} (Java {} at {}); files in {}, output"
            + " in {}",
        version,
        options.httpPort(),
        root
            ? SERVICE_USER + " (Vigil runs as root, which Elasticsearch refuses)"
            : ProcessUsers.currentUserName(),
        jdk.featureVersion(),
        jdk.home(),
        base,
        outputFile);
    Process process = builder.start();
    URI url = URI.create("http://127.0.0.1:" + options.httpPort());
    ElasticsearchProcess es =
        new ElasticsearchProcess(
            process, url, root ? SERVICE_USER : ProcessUsers.currentUserName(), home, outputFile);
    try {
      es.awaitReady(options.startTimeout());
    } catch (RuntimeException | InterruptedException e) {
      es.close();
      throw e;
    }
    LOG.info("Elasticsearch is ready at {} (pid {})", url, process.pid());
    return es;
  }

  /** The REST endpoint, {@code http://127.0.0.1:<port>}. */
  public URI httpUrl() {
    return httpUrl;
  }

  /** The user the server runs as: {@value #SERVICE_USER} when Vigil runs as root. */
  public String user() {
    return user;
  }

  /** The unpacked distribution. */
  public Path home() {
    return home;
  }

  /** The server's console output. */
  public Path outputFile() {
    return outputFile;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  private void awaitReady(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest health =
        HttpRequest.newBuilder(httpUrl.resolve("/_cluster/health"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new ElasticsearchStartException(
            "Elasticsearch exited with code "
                + process.exitValue()
                + " during startup: "
                + relevantOutput()
                + " (full output: "
                + outputFile
                + ")");
      }
      try {
        HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        if (response.statusCode() == 200
            && (body.contains("\"status\":\"green\"") || body.contains("\"status\":\"yellow\""))) {
          return;
        }
      } catch (IOException notYetListening) {
        // keep polling until the deadline
      }
      if (System.nanoTime() > deadline) {
        throw new ElasticsearchStartException(
            "Elasticsearch did not become ready within "
                + timeout.toSeconds()
                + " s at "
                + httpUrl
                + "; last output: "
                + relevantOutput()
                + " (full output: "
                + outputFile
                + ")");
      }
      Thread.sleep(250);
    }
  }

  /** The last few lines of output that explain a failure, joined into one line. */
  String relevantOutput() {
    List<String> lines;
    try {
      lines = Files.readAllLines(outputFile, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      return "(output not readable: " + e.getMessage() + ")";
    }
    List<String> relevant =
        lines.stream().filter(l -> RELEVANT.matcher(l).find()).collect(Collectors.toList());
    List<String> chosen =
        relevant.isEmpty()
            ? lines.stream().filter(l -> !l.isBlank()).collect(Collectors.toList())
            : relevant;
    if (chosen.isEmpty()) {
      return "(no output)";
    }
    return chosen.subList(Math.max(0, chosen.size() - 3), chosen.size()).stream()
        .map(String::strip)
        .map(l -> l.length() > 300 ? l.substring(0, 300) + "..." : l)
        .collect(Collectors.joining(" | "));
  }

  /**
   * Stops the server: SIGTERM, up to 30 s for a clean shutdown, then a kill of it and its child
   * server JVM.
   */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().collect(Collectors.toList());
    if (process.isAlive()) {
      process.destroy();
    }
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Elasticsearch did not stop within {} s; killing it", STOP_GRACE.toSeconds());
        process.destroyForcibly();
      }
      for (ProcessHandle child : children) {
        long left = Math.max(0, deadline - System.nanoTime());
        try {
          child.onExit().get(left, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          child.destroyForcibly();
        } catch (java.util.concurrent.ExecutionException e) {
          child.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
      Thread.currentThread().interrupt();
    }
  }

  static void ensurePortFree(int port, String what) {
    PortCheck.tcpBindFailure(InetAddress.getLoopbackAddress().getHostAddress(), port)
        .ifPresent(
            e -> {
              if (e instanceof BindException) {
                throw new ElasticsearchStartException(
                    "Elasticsearch "
                        + what
                        + " port "
                        + port
                        + " on 127.0.0.1 is already in use (another Elasticsearch or Vigil?): stop"
                        + " what listens there or choose another "
                        + what
                        + " port");
              }
              throw new ElasticsearchStartException(
                  "cannot check Elasticsearch " + what + " port " + port + ": " + e.getMessage(),
                  e);
            });
  }

  /**
   * The distribution zip: the given path; else the system property {@value #ZIP_PROPERTY}; else
   * {@code app/target/elasticsearch/elasticsearch.zip} in the working folder or a parent of it (a
   * source checkout); else the Maven repository copy of {@code
   * org.elasticsearch.distribution.integ-test-zip:elasticsearch:9.5.0:zip}.
   */
  static Path findDistribution(Path given) {
    List<Path> candidates = new ArrayList<>();
    if (given != null) {
      candidates.add(given);
    } else {
      String property = System.getProperty(ZIP_PROPERTY);
      if (property != null && !property.isBlank()) {
        candidates.add(Path.of(property));
      }
      Path dir = Path.of("").toAbsolutePath();
      for (; dir != null; dir = dir.getParent()) {
        candidates.add(dir.resolve("app/target/elasticsearch/elasticsearch.zip"));
      }
      candidates.add(
          Path.of(
              System.getProperty("user.home"),
              ".m2/repository/org/elasticsearch/distribution/integ-test-zip/elasticsearch",
              DEFAULT_VERSION,
              "elasticsearch-" + DEFAULT_VERSION + ".zip"));
    }
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    throw new ElasticsearchStartException(
        "Elasticsearch distribution zip not found (looked at "
            + (given != null
                ? given.toString()
                : candidates.get(0) + " ... " + candidates.get(candidates.size() - 1))
            + "): build with ./mvnw -pl app generate-resources, or pass -D"
            + ZIP_PROPERTY
            + "=/path/to/elasticsearch.zip");
  }

  /** {@code 9.5.0} from the zip's single top folder {@code elasticsearch-9.5.0/}. */
  static String distributionVersion(Path zip) throws IOException {
    try (FileSystem fs = FileSystems.newFileSystem(zip)) {
      return topFolder(fs)
          .getFileName()
          .toString()
          .replaceFirst("^elasticsearch-", "")
          .replace("/", "");
    }
  }

  private static Path topFolder(FileSystem fs) throws IOException {
    try (Stream<Path> children = Files.list(fs.getPath("/"))) {
      List<Path> dirs = children.filter(Files::isDirectory).collect(Collectors.toList());
      if (dirs.size() != 1 || !dirs.get(0).getFileName().toString().startsWith("elasticsearch-")) {
        throw new IOException("not an Elasticsearch distribution zip: top folders " + dirs);
      }
      return dirs.get(0);
    }
  }

  /**
   * Unpacks the zip into {@code home} unless that was done before. Files keep their Unix
   * permissions (the scripts in bin/ must stay executable). Unpacking goes to a sibling folder that
   * is renamed at the end, so an interrupted unpack is never mistaken for a complete one.
   */
  static void unpackOnce(Path zip, Path home) throws IOException {
    if (Files.exists(home.resolve(UNPACKED_MARKER))) {
      return;
    }
    Files.createDirectories(home.getParent());
    Path staging =
        home.resolveSibling(home.getFileName() + ".unpacking-" + ProcessHandle.current().pid());
    deleteTree(staging);
    try (FileSystem fs =
        FileSystems.newFileSystem(zip, Map.of("enablePosixFileAttributes", "true"))) {
      Path top = topFolder(fs);
      try (Stream<Path> entries = Files.walk(top)) {
        for (Path source : (Iterable<Path>) entries::iterator) {
          Path target = staging.resolve(top.relativize(source).toString());
          if (Files.isDirectory(source)) {
            Files.createDirectories(target);
          } else {
            Files.createDirectories(target.getParent());
            Files.copy(source, target);
          }
          Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(source);
          permissions.add(PosixFilePermission.OWNER_READ);
          if (Files.isDirectory(source)) {
            permissions.add(PosixFilePermission.OWNER_WRITE);
            permissions.add(PosixFilePermission.OWNER_EXECUTE);
          }
          Files.setPosixFilePermissions(target, permissions);
        }
      }
    }
    Files.writeString(staging.resolve(UNPACKED_MARKER), zip + "\n");
    deleteTree(home); // a half-written folder from an older Vigil without the marker
    Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }

  static void writeConfiguration(Path home, Options options, Path data, Path logs)
      throws IOException {
    StringBuilder yml = new StringBuilder();
    yml.append("# Written by Vigil on every start: change Vigil's options, not this file.\n");
    yml.append("cluster.name: vigil\n");
    yml.append("node.name: vigil-es\n");
    yml.append("discovery.type: single-node\n");
    yml.append("network.host: 127.0.0.1\n");
    yml.append("http.port: ").append(options.httpPort()).append('\n');
    yml.append("transport.port: ").append(options.transportPort()).append('\n');
    yml.append("path.data: ").append(yamlString(data.toString())).append('\n');
    yml.append("path.logs: ").append(yamlString(logs.toString())).append('\n');
    // A developer's nearly full disk must not turn every index read-only.
    yml.append("cluster.routing.allocation.disk.threshold_enabled: false\n");
    // Retention deletes indices by name; never allow a wildcard delete of everything.
    yml.append("action.destructive_requires_name: true\n");
    if (Files.isDirectory(home.resolve("modules").resolve("x-pack-security"))) {
      // Present in the distribution but off for the loopback-only all-in-one default;
      // a setting for an absent module would stop the server from starting.
      yml.append("xpack.security.enabled: false\n");
    }
    Path config = home.resolve("config");
    Files.writeString(config.resolve("elasticsearch.yml"), yml.toString());
    Path jvmOptions = config.resolve("jvm.options.d");
    Files.createDirectories(jvmOptions);
    Files.writeString(
        jvmOptions.resolve("vigil-heap.options"),
        "-Xms" + options.heap() + "\n-Xmx" + options.heap() + "\n");
  }

  private static String yamlString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
