package org.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyslogSenderTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private final SyslogLineRewriter rewriter =
      new SyslogLineRewriter(
          Clock.fixed(Instant.parse("2026-03-07T14:05:09Z"), ZoneOffset.UTC), "replayhost", false);

  @TempDir Path dir;

  @Test
  void sendsOneDatagramPerLineWithTheRewrite() throws Exception {
    Path file = dir.resolve("auth.log");
    Files.writeString(
        file,
        "Nov 25 06:12:01 web01 sshd[2211]: Failed password for root from 203.0.113.77 port 51422"
            + " ssh2\n\nplain line\n<13>as is\n");
    try (DatagramSocket receiver = new DatagramSocket(0, LOOPBACK)) {
      receiver.setSoTimeout(5_000);
      SyslogSender.SendSummary summary;
      try (SyslogSender sender = SyslogSender.udp(hostPort(receiver.getLocalPort()), 0)) {
        summary = sender.sendFile(file, rewriter);
      }
      assertThat(summary.sent()).isEqualTo(3);
      assertThat(summary.toString()).startsWith("sent 3 lines to udp 127.0.0.1:");
      assertThat(receive(receiver, 3))
          .containsExactly(
              "<38>Mar  7 14:05:09 web01 sshd[2211]: Failed password for root from 203.0.113.77"
                  + " port 51422 ssh2",
              "<38>Mar  7 14:05:09 replayhost plain line",
              "<13>as is");
    }
  }

  @Test
  void framesTcpMessagesWithNewlines() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
      CompletableFuture<String> received = readAll(server);
      try (SyslogSender sender =
          SyslogSender.tcp(hostPort(server.getLocalPort()), SyslogSender.Framing.NEWLINE, 0)) {
        sender.send("<38>one");
        sender.send("<38>twö");
      }
      assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("<38>one\n<38>twö\n");
    }
  }

  @Test
  void framesTcpMessagesWithOctetCountsInBytes() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
      CompletableFuture<String> received = readAll(server);
      try (SyslogSender sender =
          SyslogSender.tcp(
              hostPort(server.getLocalPort()), SyslogSender.Framing.OCTET_COUNTING, 0)) {
        sender.send("<38>one");
        sender.send("<38>twö");
      }
      assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("7 <38>one8 <38>twö");
    }
  }

  @Test
  void pacedSendingDeliversEveryLine() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
      CompletableFuture<String> received = readAll(server);
      try (SyslogSender sender =
          SyslogSender.tcp(hostPort(server.getLocalPort()), SyslogSender.Framing.NEWLINE, 2_000)) {
        for (int i = 0; i < 300; i++) {
          sender.send("<38>line " + i);
        }
        assertThat(sender.sent()).isEqualTo(300);
      }
      String[] lines = received.get(30, TimeUnit.SECONDS).split("\n");
      assertThat(lines).hasSize(300);
      assertThat(lines[299]).isEqualTo("<38>line 299");
    }
  }

  @Test
  void refusedTcpConnectionNamesTheTarget() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
      port = probe.getLocalPort();
    }
    assertThatThrownBy(() -> SyslogSender.tcp(hostPort(port), SyslogSender.Framing.NEWLINE, 0))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot connect to tcp 127.0.0.1:" + port);
  }

  @Test
  void rejectsANegativeRateAndAMissingFile() throws Exception {
    assertThatThrownBy(() -> SyslogSender.udp(hostPort(5514), -1))
        .isInstanceOf(IllegalArgumentException.class);
    try (SyslogSender sender = SyslogSender.udp(hostPort(5514), 0)) {
      assertThatThrownBy(() -> sender.sendFile(dir.resolve("missing.log"), rewriter))
          .hasMessageContaining("cannot read file");
    }
  }

  @Test
  void refusesAMessageLargerThanADatagram() throws Exception {
    try (SyslogSender sender = SyslogSender.udp(hostPort(5514), 0)) {
      assertThatThrownBy(() -> sender.send("x".repeat(SyslogSender.MAX_DATAGRAM + 1)))
          .hasMessageContaining("--tcp");
    }
  }

  private static HostPort hostPort(int port) {
    return new HostPort("127.0.0.1", port);
  }

  private static List<String> receive(DatagramSocket socket, int n) throws IOException {
    List<String> out = new ArrayList<>();
    byte[] buf = new byte[65_536];
    for (int i = 0; i < n; i++) {
      DatagramPacket packet = new DatagramPacket(buf, buf.length);
      socket.receive(packet);
      out.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static CompletableFuture<String> readAll(ServerSocket server) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Socket socket = server.accept();
              InputStream in = socket.getInputStream()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }
}
