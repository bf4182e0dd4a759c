package org.vigil.collectors.syslog;

import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.vigil.collectors.kafka.RawRecordPublisher;

/**
 * A collector under test: a {@link MockProducer} behind a {@link RawRecordPublisher}, optionally
 * with a started {@link SyslogServer} in front, all closed after each test. Register it with
 * {@code @RegisterExtension}; whether the mock acknowledges sends by itself decides whether a test
 * sees the collector congested.
 */
public final class SyslogCollectorFixture implements AfterEachCallback {
  private MockProducer<byte[], byte[]> producer;
  private RawRecordPublisher publisher;
  private SyslogServer server;

  /** A publisher with the default watermarks and no server. */
  public RawRecordPublisher publisher(boolean autoComplete) {
    return publisher(
        autoComplete,
        RawRecordPublisher.DEFAULT_HIGH_WATERMARK_BYTES,
        RawRecordPublisher.DEFAULT_LOW_WATERMARK_BYTES);
  }

  /** A publisher that reports congestion above {@code high} in-flight bytes, and no server. */
  public RawRecordPublisher publisher(boolean autoComplete, long high, long low) {
    producer =
        new MockProducer<>(
            autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    publisher = new RawRecordPublisher(producer, high, low);
    return publisher;
  }

  /** A started server publishing through a new publisher with the default watermarks. */
  public SyslogServer start(SyslogServerConfig config, boolean autoComplete) {
    return start(
        config,
        autoComplete,
        RawRecordPublisher.DEFAULT_HIGH_WATERMARK_BYTES,
        RawRecordPublisher.DEFAULT_LOW_WATERMARK_BYTES);
  }

  /** A started server publishing through a new publisher with the given watermarks. */
  public SyslogServer start(SyslogServerConfig config, boolean autoComplete, long high, long low) {
    publisher(autoComplete, high, low);
    return start(config);
  }

  /** A started server in front of the publisher made before. */
  public SyslogServer start(SyslogServerConfig config) {
    if (publisher == null) {
      throw new IllegalStateException("make the publisher first");
    }
    return start(config, SyslogServer.UdpReading.defaults());
  }

  /** A started server in front of the publisher made before, reading UDP as told. */
  public SyslogServer start(SyslogServerConfig config, SyslogServer.UdpReading udpReading) {
    if (publisher == null) {
      throw new IllegalStateException("make the publisher first");
    }
    server = new SyslogServer(config, publisher, udpReading);
    server.start();
    return server;
  }

  public MockProducer<byte[], byte[]> producer() {
    return producer;
  }

  public RawRecordPublisher publisher() {
    return publisher;
  }

  public SyslogServer server() {
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
}
