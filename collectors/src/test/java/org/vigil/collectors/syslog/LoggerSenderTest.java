package org.vigil.collectors.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigil.model.Envelope;
import org.vigil.model.Topics;
import org.vigil.model.Transport;

/**
 * util-linux {@code logger}, the sender every Linux host has, against a running {@link
 * SyslogServer}: each transport and framing it offers (UDP, TCP with newline framing, TCP with RFC
 * 6587 octet counting) in each format (RFC 3164, RFC 5424). The published record must be exactly
 * the message logger put on the wire, without framing, and parse with its format, app name, PROCID
 * and host.
 */
class LoggerSenderTest {
  private static final Path LOGGER = Path.of("/usr/bin/logger");
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SyslogServerConfig LOCAL =
      SyslogServerConfig.defaults("collector-test").withBindHost("127.0.0.1").withPort(0);

  @RegisterExtension final SyslogCollectorFixture collector = new SyslogCollectorFixture();

  private static String hostname;

  @BeforeAll
  static void requireLogger() throws Exception {
    assertThat(Files.isExecutable(LOGGER))
        .as(
            "%s is missing: these tests need the real util-linux logger (on Debian 12:"
                + " apt-get install bsdutils)",
            LOGGER)
        .isTrue();
    // What logger writes as HOSTNAME: the kernel's host name, as gethostname(2) returns it.
    hostname = Files.readString(Path.of("/proc/sys/kernel/hostname"), UTF_8).strip();
  }

  @ParameterizedTest(name = "logger {0} {1} {2}")
  @CsvSource({
    "--udp, '', --rfc3164",
    "--udp, '', --rfc5424",
    "--tcp, '', --rfc3164",
    "--tcp, '', --rfc5424",
    "--tcp, --octet-count, --rfc3164",
    "--tcp, --octet-count, --rfc5424",
  })
  void publishesExactlyWhatLoggerSentAndItParses(String transport, String framing, String format)
      throws Exception {
    SyslogServer server = collector.start(LOCAL, true);
    String text = "Failed password for root from 203.0.113.9 port 4242 ssh2 " + UUID.randomUUID();

    List<String> command =
        new ArrayList<>(
            List.of(
                LOGGER.toString(),
                "--server",
                "127.0.0.1",
                "--port",
                Integer.toString(server.port()),
                transport));
    if (!framing.isEmpty()) {
      command.add(framing);
    }
    command.addAll(List.of(format, "-t", "sshd", "--id=4242", "-p", "auth.info", text));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("logger finished").isTrue();
    assertThat(process.exitValue())
        .as("logger: %s", new String(process.getInputStream().readAllBytes(), UTF_8))
        .isZero();

    await().atMost(WAIT).until(() -> collector.producer().history().size() >= 1);
    Instant received = Instant.now();
    List<ProducerRecord<byte[], byte[]>> records = collector.producer().history();
    assertThat(records).hasSize(1);
    ProducerRecord<byte[], byte[]> record = records.get(0);
    assertThat(record.topic()).isEqualTo(Topics.RAW_SYSLOG);
    assertThat(envelope(record).transport())
        .isEqualTo(transport.equals("--udp") ? Transport.UDP : Transport.TCP);

    boolean rfc5424 = format.equals("--rfc5424");
    String wire = new String(record.value(), UTF_8);
    // Exactly one message, as logger formats it, with no newline or octet count left over.
    Pattern expected =
        rfc5424
            ? Pattern.compile(
                "<38>1 \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}[+-]\\d\\d:\\d\\d "
                    + Pattern.quote(hostname)
                    + " sshd 4242 - \\[timeQuality tzKnown=\"[01]\" isSynced=\"[01]\""
                    + "( syncAccuracy=\"\\d+\")?\\] "
                    + Pattern.quote(text))
            : Pattern.compile(
                "<38>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d "
                    + Pattern.quote(shortHostname())
                    + " sshd\\[4242\\]: "
                    + Pattern.quote(text));
    assertThat(wire).matches(expected);

    SyslogMessage message = SyslogParser.parse(record.value(), ZoneId.systemDefault(), received);
    assertThat(message.format()).isEqualTo(rfc5424 ? SyslogFormat.RFC5424 : SyslogFormat.RFC3164);
    assertThat(message.facility()).isEqualTo(4);
    assertThat(message.severity()).isEqualTo(6);
    assertThat(message.appName()).isEqualTo("sshd");
    assertThat(message.procId()).isEqualTo("4242");
    assertThat(message.hostname()).isEqualTo(rfc5424 ? hostname : shortHostname());
    assertThat(message.message()).isEqualTo(text);
    assertThat(Duration.between(message.timestamp(), received).abs())
        .isLessThan(Duration.ofMinutes(1));
    if (rfc5424) {
      assertThat(message.structuredData()).containsKey("timeQuality");
    }
    await().atMost(WAIT).until(() -> server.metrics().published() == 1);
  }

  /** RFC 3164 headers carry the host name up to its first dot. */
  private static String shortHostname() {
    int dot = hostname.indexOf('.');
    return dot < 0 ? hostname : hostname.substring(0, dot);
  }

  private static Envelope envelope(ProducerRecord<byte[], byte[]> record) {
    return Envelope.fromHeaders(
        name -> {
          Header header = record.headers().lastHeader(name);
          return header == null ? null : header.value();
        });
  }
}
