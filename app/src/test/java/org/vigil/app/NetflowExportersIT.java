package org.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vigil.app.bench.FreePorts;

/**
 * Issue 4: real exporters, installed from Debian packages by {@code .ci/setup}, read a pcap of
 * known conversations and export its flows to the running stack; the flows in Elasticsearch must be
 * exactly those of the pcap. softflowd exports NetFlow v5, v9 and IPFIX over UDP and TCP, pmacct's
 * nfprobe NetFlow v9 and IPFIX: two independent flow meters and every wire format the collector
 * takes.
 *
 * <p>{@code netflow/flows-pcap.py} (Debian's python3-scapy) writes each run's pcap with its own
 * address prefixes and, beside it, the unidirectional flows the exporters count: one per direction,
 * bytes as the sum of IP total lengths. A missing tool fails the test naming its package rather
 * than skipping it, so a machine without them cannot pass unnoticed.
 */
class NetflowExportersIT {
  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final Duration EXPORTER_TIMEOUT = Duration.ofSeconds(60);
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Per test JVM, so the runs' prefixes do not meet flows left in a kept Elasticsearch. */
  private static final int SITE = ThreadLocalRandom.current().nextInt(100, 200);

  static {
    // A new daily index answers 503 for a moment while its shard starts: ask again.
    Awaitility.ignoreExceptionsByDefault();
    Awaitility.setDefaultPollInterval(Duration.ofMillis(500));
  }

  /** Deleted once every test passed; kept, with its logs, when one failed. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dataDir;

  private static AllInOne system;
  private static ElasticsearchQueries es;

  /** What exports, in which format, over which transport. */
  enum Exporter {
    SOFTFLOWD_V5(Tool.SOFTFLOWD, "5", false, false),
    SOFTFLOWD_V9(Tool.SOFTFLOWD, "9", true, false),
    SOFTFLOWD_IPFIX_UDP(Tool.SOFTFLOWD, "10", true, false),
    SOFTFLOWD_IPFIX_TCP(Tool.SOFTFLOWD, "10", true, true),
    PMACCT_NFPROBE_V9(Tool.PMACCTD, "9", true, false),
    PMACCT_NFPROBE_IPFIX(Tool.PMACCTD, "10", true, false);

    final Tool tool;
    final String version;

    /** NetFlow v5 has no IPv6 addresses: its pcap has none. */
    final boolean ipv6;

    final boolean tcp;

    Exporter(Tool tool, String version, boolean ipv6, boolean tcp) {
      this.tool = tool;
      this.version = version;
      this.ipv6 = ipv6;
      this.tcp = tcp;
    }

    /** The collector port this export goes to. */
    int port() {
      if (tcp) {
        return system.ipfixTcpPort();
      }
      return version.equals("10") ? system.ipfixPort() : system.netflowPort();
    }

    String ipv4Prefix() {
      return "10." + SITE + "." + (ordinal() + 1) + ".0/24";
    }

    String ipv6Prefix() {
      return "fd00:" + SITE + ":" + (ordinal() + 1) + "::/64";
    }
  }

  /** An exporter program and the Debian package that has it. */
  enum Tool {
    SOFTFLOWD("softflowd", "softflowd"),
    PMACCTD("pmacctd", "pmacct");

    final String program;
    final String debianPackage;

    Tool(String program, String debianPackage) {
      this.program = program;
      this.debianPackage = debianPackage;
    }

    /** Where the program is: daemons live in sbin, which a non-root PATH often leaves out. */
    Path require() {
      List<String> dirs = new ArrayList<>();
      String path = System.getenv("PATH");
      if (path != null) {
        dirs.addAll(List.of(path.split(File.pathSeparator)));
      }
      dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin"));
      Optional<Path> found =
          dirs.stream()
              .filter(d -> !d.isEmpty())
              .map(d -> Path.of(d, program))
              .filter(Files::isExecutable)
              .findFirst();
      assertThat(found)
          .as(
              "%s is missing: these tests need the real exporter (on Debian 12: apt-get install"
                  + " %s, or run .ci/setup)",
              program, debianPackage)
          .isPresent();
      return found.get();
    }
  }

  /**
   * How far a flow's start and end may be from its first and last packet: some formats carry
   * seconds only, and the bidirectional trackers give both directions the times of the whole
   * conversation.
   */
  private static final Duration TIME_TOLERANCE = Duration.ofMillis(1500);

  /** A unidirectional flow as Elasticsearch holds it; ports are null for ICMP. */
  record Flow(
      String sourceIp,
      String destinationIp,
      String transport,
      Long sourcePort,
      Long destinationPort,
      long packets,
      long bytes) {}

  /** When a flow started and ended, from the pcap or from event.start and event.end. */
  record Times(Instant start, Instant end) {}

  @BeforeAll
  static void start() throws Exception {
    // Elasticsearch runs as another user when the tests run as root: it must reach this folder.
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    AllInOne.Settings settings =
        new AllInOne.Settings(
                dataDir,
                "127.0.0.1",
                FreePorts.tcp(),
                FreePorts.tcp(),
                FreePorts.tcp(),
                FreePorts.tcp(),
                FreePorts.tcp(),
                FreePorts.tcp(),
                -1,
                "512m",
                1,
                Duration.ofSeconds(2),
                "It-Admin-Pass-1",
                null,
                -1,
                null,
                FreePorts.tcp(),
                FreePorts.tcp())
            .withIpfixTcpPort(FreePorts.tcp());
    system = AllInOne.start(settings);
    es = new ElasticsearchQueries(system.elasticsearchUrl().toString());
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Exporter.class)
  void indexesExactlyTheFlowsOfThePcapTheExporterRead(Exporter exporter) throws Exception {
    Path program = exporter.tool.require();
    Path run = Files.createDirectories(dataDir.resolve("exporters").resolve(name(exporter)));
    Path pcap = run.resolve("flows.pcap");
    Path expectedFile = run.resolve("flows.json");
    generatePcap(exporter, pcap, expectedFile);
    Map<Flow, Times> expectedTimes = expectedFlows(expectedFile);
    List<Flow> expected = List.copyOf(expectedTimes.keySet());
    assertThat(expected).as("flows the generator wrote").hasSizeGreaterThan(8);

    List<String> command =
        exporter.tool == Tool.SOFTFLOWD
            ? softflowd(program, exporter, pcap, run)
            : pmacctd(program, exporter, pcap, run);
    Path log = run.resolve("exporter.log");
    // pmacctd's core exits 1 when its nfprobe plugin finishes first ("connection lost to
    // 'default_nfprobe-nfprobe'"), a race at the end of a pcap, after the flows are sent: for it,
    // the flows below are the verdict, with its log beside them.
    runToEnd(command, log, exporter.tool == Tool.SOFTFLOWD);

    String query = flowsOf(exporter);
    await()
        .atMost(WITHIN)
        .untilAsserted(
            () ->
                assertThat(indexedFlows(query))
                    .as("flows of %s; its log: %s", exporter, readLog(log))
                    .hasSizeGreaterThanOrEqualTo(expected.size()));
    // Late duplicates or stray records would come within moments: look once more after them.
    TimeUnit.SECONDS.sleep(3);
    assertThat(indexedFlows(query)).containsExactlyInAnyOrderElementsOf(expected);
    Map<Flow, Times> indexed = indexedFlowTimes(query);
    indexed.forEach(
        (flow, times) -> {
          Times sent = expectedTimes.get(flow);
          assertThat(times.start())
              .as("event.start of %s", flow)
              .isCloseTo(sent.start(), within(TIME_TOLERANCE.toMillis(), ChronoUnit.MILLIS));
          assertThat(times.end())
              .as("event.end of %s", flow)
              .isCloseTo(sent.end(), within(TIME_TOLERANCE.toMillis(), ChronoUnit.MILLIS));
        });
  }

  private static List<String> softflowd(Path program, Exporter exporter, Path pcap, Path run) {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            program.toString(),
            "-r",
            pcap.toString(),
            "-n",
            "127.0.0.1:" + exporter.port(),
            "-v",
            exporter.version,
            "-d",
            // No control socket: with one, softflowd 1.1.0 waits in accept() before reading a pcap.
            "-c",
            "none",
            "-p",
            run.resolve("softflowd.pid").toString()));
    if (exporter.ipv6) {
      command.add("-6");
    }
    if (exporter.tcp) {
      command.addAll(List.of("-P", "tcp"));
    }
    return command;
  }

  /**
   * pmacctd reads the pcap, hands the packets to its nfprobe plugin and exits, the plugin exporting
   * every flow as it shuts down. The plugin's default buffers are kept: small ones made pmacct
   * 1.7.7 count some IPv6 packets twice.
   */
  private static List<String> pmacctd(Path program, Exporter exporter, Path pcap, Path run)
      throws IOException {
    Path config = run.resolve("pmacctd.conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "daemonize: false",
            "pcap_savefile: " + pcap,
            "plugins: nfprobe",
            "nfprobe_receiver: 127.0.0.1:" + exporter.port(),
            "nfprobe_version: " + exporter.version,
            ""),
        UTF_8);
    return List.of(program.toString(), "-f", config.toString());
  }

  private static void generatePcap(Exporter exporter, Path pcap, Path expected) throws Exception {
    assertThat(Files.isExecutable(PYTHON))
        .as(
            "%s is missing: the pcap generator needs Debian's python3 (apt-get install python3)",
            PYTHON)
        .isTrue();
    List<String> command =
        new ArrayList<>(
            List.of(
                PYTHON.toString(),
                generator().toString(),
                "--pcap",
                pcap.toString(),
                "--expected",
                expected.toString(),
                "--start",
                // A second ago: every flow time is plausible and lands in today's index.
                String.format(
                    Locale.ROOT, "%.3f", Instant.now().minusSeconds(1).toEpochMilli() / 1000.0),
                "--ipv4-prefix",
                exporter.ipv4Prefix()));
    if (exporter.ipv6) {
      command.addAll(List.of("--ipv6-prefix", exporter.ipv6Prefix()));
    }
    Path log = pcap.resolveSibling("generator.log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("flows-pcap.py finished").isTrue();
    String output = Files.readString(log, UTF_8);
    assertThat(output)
        .as(
            "flows-pcap.py needs scapy for Debian's python3 (apt-get install python3-scapy, or run"
                + " .ci/setup)")
        .doesNotContain("No module named 'scapy'");
    assertThat(p.exitValue()).as("flows-pcap.py: %s", output).isZero();
  }

  private static Path generator() throws URISyntaxException {
    return Path.of(NetflowExportersIT.class.getResource("/netflow/flows-pcap.py").toURI());
  }

  private static void runToEnd(List<String> command, Path log, boolean requireExitZero)
      throws Exception {
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      boolean finished = p.waitFor(EXPORTER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(finished)
          .as("%s finished within %s: %s", command.get(0), EXPORTER_TIMEOUT, readLog(log))
          .isTrue();
      if (requireExitZero) {
        assertThat(p.exitValue()).as("%s: %s", command, readLog(log)).isZero();
      }
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static String readLog(Path log) {
    try {
      return Files.readString(log, UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static Map<Flow, Times> expectedFlows(Path file) throws IOException {
    Map<Flow, Times> flows = new LinkedHashMap<>();
    for (JsonNode f : JSON.readTree(file.toFile()).path("flows")) {
      int protocol = f.path("protocol").asInt();
      flows.put(
          new Flow(
              canonical(f.path("sourceIp").asText()),
              canonical(f.path("destinationIp").asText()),
              switch (protocol) {
                case 1 -> "icmp";
                case 6 -> "tcp";
                case 17 -> "udp";
                case 58 -> "ipv6-icmp";
                default -> throw new IllegalStateException("unexpected protocol " + protocol);
              },
              optionalLong(f.path("sourcePort")),
              optionalLong(f.path("destinationPort")),
              f.path("packets").asLong(),
              f.path("bytes").asLong()),
          new Times(epochSeconds(f.path("first")), epochSeconds(f.path("last"))));
    }
    return flows;
  }

  private static Instant epochSeconds(JsonNode seconds) {
    return Instant.ofEpochMilli(Math.round(seconds.asDouble() * 1000));
  }

  /** Every flow document whose source is in the exporter's prefixes. */
  private static String flowsOf(Exporter exporter) {
    StringBuilder sources = new StringBuilder();
    sources.append("{\"term\":{\"source.ip\":\"").append(exporter.ipv4Prefix()).append("\"}}");
    if (exporter.ipv6) {
      sources.append(",{\"term\":{\"source.ip\":\"").append(exporter.ipv6Prefix()).append("\"}}");
    }
    return "{\"size\":500,\"query\":{\"bool\":{"
        + "\"filter\":[{\"term\":{\"event.dataset\":\"netflow.flow\"}}],"
        + "\"should\":["
        + sources
        + "],\"minimum_should_match\":1}}}";
  }

  private static List<Flow> indexedFlows(String query) throws Exception {
    List<Flow> flows = new ArrayList<>();
    for (JsonNode hit : es.search("vigil-events-*", query).path("hits").path("hits")) {
      flows.add(flow(hit.path("_source")));
    }
    return flows;
  }

  private static Map<Flow, Times> indexedFlowTimes(String query) throws Exception {
    Map<Flow, Times> flows = new LinkedHashMap<>();
    for (JsonNode hit : es.search("vigil-events-*", query).path("hits").path("hits")) {
      JsonNode s = hit.path("_source");
      JsonNode start = field(s, "event.start");
      JsonNode end = field(s, "event.end");
      assertThat(start.isTextual() && end.isTextual())
          .as("event.start and event.end of %s", s)
          .isTrue();
      flows.put(flow(s), new Times(Instant.parse(start.asText()), Instant.parse(end.asText())));
    }
    return flows;
  }

  private static Flow flow(JsonNode s) {
    return new Flow(
        canonical(field(s, "source.ip").asText()),
        canonical(field(s, "destination.ip").asText()),
        field(s, "network.transport").asText(null),
        optionalLong(field(s, "source.port")),
        optionalLong(field(s, "destination.port")),
        field(s, "network.packets").asLong(-1),
        field(s, "network.bytes").asLong(-1));
  }

  /** A dotted ECS field, whether the document nests it or keeps the dotted name. */
  private static JsonNode field(JsonNode source, String dotted) {
    if (source.has(dotted)) {
      return source.get(dotted);
    }
    JsonNode node = source;
    for (String part : dotted.split("\\.")) {
      node = node.path(part);
    }
    return node;
  }

  private static Long optionalLong(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.asLong();
  }

  /** One spelling per address, so {@code fd00:0:0::10} and {@code fd00::10} compare equal. */
  private static String canonical(String address) {
    if (address == null || address.isEmpty()) {
      return "missing";
    }
    try {
      // A literal: getByName parses it without a name lookup.
      return InetAddress.getByName(address).getHostAddress();
    } catch (IOException e) {
      return "unparseable:" + address;
    }
  }

  private static String name(Exporter exporter) {
    return exporter.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
