package org.vigil.collectors.beats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.vigil.collectors.beats.BeatsChannelFixture.ack;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.collectors.metrics.CollectorMetricsRegistry;
import org.vigil.collectors.syslog.TlsTestPki;
import org.vigil.model.Envelope;
import org.vigil.model.Transport;

/** The server on real sockets, with a {@link MockProducer} in place of Kafka. */
class BeatsServerTest {
  private static ResourceLeakDetector.Level previousLevel;
  private static Map<String, JsonNode> vectors;

  private MockProducer<byte[], byte[]> producer;
  private RawRecordPublisher publisher;
  private BeatsServer server;

  @BeforeAll
  static void paranoidLeakDetection() throws Exception {
    previousLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    vectors = new HashMap<>();
    LumberjackVectorsTest.vectors()
        .forEach(a -> vectors.put((String) a.get()[0], (JsonNode) a.get()[1]));
  }

  @AfterAll
  static void restoreLeakDetection() {
    ResourceLeakDetector.setLevel(previousLevel);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (publisher != null) {
      publisher.close(Duration.ZERO);
    }
  }

  private BeatsServer start(BeatsServerConfig config, boolean autoComplete) {
    producer =
        new MockProducer<>(
            autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    publisher = new RawRecordPublisher(producer);
    server = new BeatsServer(config.withBindHost("127.0.0.1"), publisher);
    server.start();
    return server;
  }

  @Test
  void acknowledgesACompressedWindowOverTcpOnlyOnceKafkaHasIt() throws Exception {
    start(BeatsChannelFixture.config(), false);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(300);
      send(socket, "v2-two-json-compressed");
      // One compressed frame: its two events arrive in one read and go to Kafka as one record.
      await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
      assertThat(BeatsChannelFixture.events(producer.history())).hasSize(2);
      assertThatThrownBy(() -> readAck(socket)).isInstanceOf(SocketTimeoutException.class);

      producer.completeNext();
      socket.setSoTimeout(5000);
      assertThat(readAck(socket)).isEqualTo(ack('2', 2));
    }
    Envelope envelope =
        Envelope.fromHeaders(
            name -> {
              var header = producer.history().get(0).headers().lastHeader(name);
              return header == null ? null : header.value();
            });
    assertThat(envelope.transport()).isEqualTo(Transport.TCP);
    assertThat(envelope.peerAddress()).isEqualTo("127.0.0.1");
    assertThat(producer.history().get(0).key()).isEqualTo("127.0.0.1".getBytes());
    assertThat(server.metrics().acks()).isEqualTo(1);
  }

  @Test
  void aWindowKafkaLostIsResentByTheClientAndKeepsItsDocumentIds() throws Exception {
    start(BeatsChannelFixture.config(), false);
    byte[] window =
        BeatsFrameDecoderTest.concat(
            BeatsFrameDecoderTest.window('2', 2),
            BeatsFrameDecoderTest.compressed(
                '2',
                BeatsFrameDecoderTest.concat(
                    BeatsFrameDecoderTest.json('2', 1, fileLine(100)),
                    BeatsFrameDecoderTest.json('2', 2, fileLine(200)))));
    try (Socket first = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      first.setSoTimeout(5000);
      first.getOutputStream().write(window);
      await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
      producer.errorNext(new org.apache.kafka.common.errors.NotEnoughReplicasException("down"));
      // Closed without an ACK: the client must resend.
      assertThat(first.getInputStream().read()).isEqualTo(-1);
    }
    // As an ACK-aware client does after losing its connection: the same window again.
    try (Socket second = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      second.setSoTimeout(5000);
      second.getOutputStream().write(window);
      await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 2);
      producer.completeNext();
      assertThat(readAck(second)).isEqualTo(ack('2', 2));
    }
    java.util.Set<String> ids = new java.util.HashSet<>();
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    List<byte[]> events = BeatsChannelFixture.events(producer.history());
    assertThat(events).hasSize(4);
    for (byte[] event : events) {
      ids.add(BeatsEventId.of(json.readValue(event, new TypeReference<Map<String, Object>>() {})));
    }
    assertThat(ids).hasSize(2);
    assertThat(server.metrics().publishFailures()).isEqualTo(2);
  }

  private static String fileLine(int offset) {
    return "{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"agent\":{\"id\":\"a1\"},"
        + "\"log\":{\"file\":{\"path\":\"/var/log/auth.log\"},\"offset\":"
        + offset
        + "},\"message\":\"line at "
        + offset
        + "\"}";
  }

  @Test
  void itsMetersAppearOnTheCollectorsPrometheusEndpointAsTheBeatsTcpInput() throws Exception {
    start(BeatsChannelFixture.config(), true);
    try (CollectorMetricsRegistry metrics = new CollectorMetricsRegistry()) {
      metrics.bindBeats(server);
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        socket.setSoTimeout(5000);
        send(socket, "v2-two-json-compressed");
        assertThat(readAck(socket)).isEqualTo(ack('2', 2));
      }
      String scrape = metrics.registry().scrape();

      assertThat(scrape)
          .contains("vigil_collector_received_total{input=\"beats_tcp\"} 2.0")
          .contains("vigil_collector_published_total{input=\"beats_tcp\"} 2.0")
          .contains("vigil_collector_acks_total{input=\"beats_tcp\"} 1.0");
      assertThatThrownBy(() -> metrics.bindBeats(server)).hasMessageContaining("already bound");
    }
  }

  @Test
  void namesThePortAndTheOptionWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () -> start(BeatsChannelFixture.config().withPort(taken.getLocalPort()), true))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("beats port " + taken.getLocalPort())
          .hasMessageContaining("--beats-port");
    }
  }

  @Test
  void acceptsAClientWithACertificateOverTlsAndRefusesOneWithout(@TempDir Path dir)
      throws Exception {
    assertThat(TlsTestPki.opensslAvailable())
        .as("openssl is needed: apt-get install openssl")
        .isTrue();
    TlsTestPki pki = new TlsTestPki(dir);
    pki.createCa("ca");
    pki.issue("server", "ca", 2, true);
    pki.issue("filebeat", "ca", 3, false);
    BeatsTlsConfig tls =
        BeatsTlsConfig.of(pki.crt("server"), pki.key("server")).withClientCa(pki.crt("ca"), true);
    start(BeatsChannelFixture.config().withTls(tls), true);

    try (SSLSocket socket =
        (SSLSocket)
            pki.clientContext("ca", "filebeat")
                .getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(5000);
      send(socket, "v2-single-json");
      assertThat(readAck(socket)).isEqualTo(ack('2', 1));
    }
    Envelope envelope =
        Envelope.fromHeaders(
            name -> {
              var header = producer.history().get(0).headers().lastHeader(name);
              return header == null ? null : header.value();
            });
    assertThat(envelope.transport()).isEqualTo(Transport.TLS);

    try (SSLSocket anonymous =
        (SSLSocket)
            pki.clientContext("ca", null)
                .getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.port())) {
      anonymous.setSoTimeout(5000);
      assertThatThrownBy(
              () -> {
                send(anonymous, "v2-single-json");
                readAck(anonymous);
              })
          .isInstanceOf(IOException.class);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.metrics().tlsHandshakeFailures() == 1);
    assertThat(producer.history()).hasSize(1);
  }

  @Test
  void explainsWhichTlsFileIsMissing(@TempDir Path dir) {
    BeatsTlsConfig tls = BeatsTlsConfig.of(dir.resolve("none.crt"), dir.resolve("none.key"));
    assertThatThrownBy(() -> start(BeatsChannelFixture.config().withTls(tls), true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("beats TLS listener: ")
        .hasMessageContaining("none.crt");
  }

  private static void send(Socket socket, String vector) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(LumberjackVectorsTest.bytes(vectors.get(vector)));
    out.flush();
  }

  private static String readAck(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] ack = in.readNBytes(6);
    if (ack.length < 6) {
      throw new IOException("connection closed after " + ack.length + " bytes of an ACK");
    }
    return ByteBufUtil.hexDump(ack);
  }
}
