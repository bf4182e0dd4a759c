package org.vigil.collectors.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parses what util-linux {@code logger} really puts on the wire, when it is installed. */
class LoggerInteropTest {
  private static final String LOGGER = "/usr/bin/logger";

  @ParameterizedTest(name = "logger {0}")
  @ValueSource(strings = {"--rfc5424", "--rfc3164"})
  void parsesDatagramSentByUtilLinuxLogger(String format) throws Exception {
    assumeTrue(Files.isExecutable(Path.of(LOGGER)), "util-linux logger is not installed");
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      socket.setSoTimeout(5000);
      List<String> command =
          new ArrayList<>(
              List.of(
                  LOGGER,
                  "--server",
                  "127.0.0.1",
                  "--udp",
                  "--port",
                  Integer.toString(socket.getLocalPort()),
                  "-t",
                  "sshd",
                  "--id=123",
                  "-p",
                  "auth.info",
                  format,
                  "Failed password for root from 203.0.113.9 port 4242 ssh2"));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      DatagramPacket packet = new DatagramPacket(new byte[8192], 8192);
      socket.receive(packet);
      Instant received = Instant.now();
      byte[] payload = Arrays.copyOf(packet.getData(), packet.getLength());

      SyslogMessage m = SyslogParser.parse(payload, ZoneId.systemDefault(), received);

      assertThat(m.format())
          .isEqualTo(format.equals("--rfc5424") ? SyslogFormat.RFC5424 : SyslogFormat.RFC3164);
      assertThat(m.facility()).isEqualTo(4);
      assertThat(m.severity()).isEqualTo(6);
      assertThat(m.appName()).isEqualTo("sshd");
      assertThat(m.procId()).isEqualTo("123");
      assertThat(m.hostname()).isNotBlank();
      assertThat(Duration.between(m.timestamp(), received).abs()).isLessThan(Duration.ofMinutes(1));
      assertThat(m.message()).isEqualTo("Failed password for root from 203.0.113.9 port 4242 ssh2");
    }
  }
}
