package org.vigil.collectors.netflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.model.Envelope;

/**
 * A NetFlow collector under test: a {@link MockProducer} behind a {@link RawRecordPublisher} with a
 * started {@link NetflowServer} in front, all closed after each test; plus the shared packet
 * captures. Register it with {@code @RegisterExtension}.
 */
final class NetflowCollectorFixture implements AfterEachCallback {
  /** Loopback only, every input on a free port. */
  static final NetflowServerConfig LOCAL =
      NetflowServerConfig.defaults("collector-test").withBindHost("127.0.0.1").withPorts(0, 0, 0);

  private MockProducer<byte[], byte[]> producer;
  private RawRecordPublisher publisher;
  private NetflowServer server;

  /** A started server whose producer acknowledges every send at once. */
  NetflowServer start(NetflowServerConfig config) {
    return start(
        config,
        true,
        RawRecordPublisher.DEFAULT_HIGH_WATERMARK_BYTES,
        RawRecordPublisher.DEFAULT_LOW_WATERMARK_BYTES);
  }

  /**
   * @param autoComplete whether the mock acknowledges sends by itself; when not, the publisher
   *     turns congested above {@code high} unacknowledged bytes
   */
  NetflowServer start(NetflowServerConfig config, boolean autoComplete, long high, long low) {
    producer =
        new MockProducer<>(
            autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    publisher = new RawRecordPublisher(producer, high, low);
    server = new NetflowServer(config, publisher);
    server.start();
    return server;
  }

  MockProducer<byte[], byte[]> producer() {
    return producer;
  }

  RawRecordPublisher publisher() {
    return publisher;
  }

  NetflowServer server() {
    return server;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
    if (publisher != null) {
      publisher.close(Duration.ZERO);
      publisher = null;
    }
  }

  static Envelope envelope(ProducerRecord<byte[], byte[]> record) {
    return Envelope.fromHeaders(
        name -> {
          Header header = record.headers().lastHeader(name);
          return header == null ? null : header.value();
        });
  }

  /** A capture from logstash-codec-netflow's spec, in the repository's testdata/netflow. */
  static byte[] packet(String name) {
    try {
      return Files.readAllBytes(captures().resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path captures() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("testdata/netflow/logstash-codec-netflow");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("testdata/netflow not found above the working folder");
  }
}
