package org.vigil.collectors.beats;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.model.Payloads;
import org.vigil.model.Transport;

/**
 * One Beats connection under test: the server's pipeline in an {@link EmbeddedChannel}, publishing
 * through a {@link RawRecordPublisher} to a {@link MockProducer}. Every buffer written in is kept,
 * so a test can check that the pipeline released each one.
 */
final class BeatsChannelFixture implements AutoCloseable {
  final MockProducer<byte[], byte[]> producer;
  final RawRecordPublisher publisher;
  final BeatsCollectorMetrics metrics = new BeatsCollectorMetrics(false);
  final EmbeddedChannel channel;
  private final List<ByteBuf> written = new ArrayList<>();

  /**
   * @param autoComplete whether Kafka acknowledges every record at once; if not, the test does it
   *     with {@link MockProducer#completeNext()}
   */
  BeatsChannelFixture(BeatsServerConfig config, boolean autoComplete) {
    producer =
        new MockProducer<>(
            autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    publisher = new RawRecordPublisher(producer);
    BeatsForwarder forwarder =
        new BeatsForwarder(publisher, metrics, config.collectorId(), Transport.TCP);
    channel =
        new EmbeddedChannel(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                BeatsServer.pipeline(ch.pipeline(), config, forwarder);
              }
            });
  }

  static BeatsServerConfig config() {
    return BeatsServerConfig.defaults("beats-test").withPort(0);
  }

  /** Writes bytes as one read, unless the connection is already closed. */
  void write(byte[] bytes) {
    ByteBuf buffer = Unpooled.buffer(bytes.length).writeBytes(bytes);
    written.add(buffer);
    if (channel.isOpen()) {
      channel.writeInbound(buffer);
    } else {
      buffer.release();
    }
  }

  void write(String hex) {
    write(ByteBufUtil.decodeHexDump(hex));
  }

  /** What the server sent back since the last call, as hex. */
  String replies() {
    channel.runPendingTasks();
    StringBuilder hex = new StringBuilder();
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      hex.append(ByteBufUtil.hexDump(out));
      out.release();
    }
    return hex.toString();
  }

  /** The events published so far, in order, whatever records they went in. */
  List<String> publishedValues() {
    List<String> values = new ArrayList<>();
    for (byte[] event : events(producer.history())) {
      values.add(new String(event, java.nio.charset.StandardCharsets.UTF_8));
    }
    return values;
  }

  /** The events in records as {@link BeatsForwarder} writes them, in order. */
  static List<byte[]> events(List<ProducerRecord<byte[], byte[]>> records) {
    List<byte[]> events = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> record : records) {
      Header count = record.headers().lastHeader(Payloads.HEADER_COUNT);
      events.addAll(Payloads.split(record.value(), count == null ? null : count.value()));
    }
    return events;
  }

  /** Whether every buffer written in was released, after the channel is finished. */
  boolean allReleased() {
    channel.finishAndReleaseAll();
    return written.stream().allMatch(b -> b.refCnt() == 0);
  }

  @Override
  public void close() {
    channel.finishAndReleaseAll();
    publisher.close(Duration.ZERO);
  }

  /** Six bytes: an ACK frame. */
  static String ack(char version, int sequence) {
    return String.format("%02x41%08x", (int) version, sequence);
  }
}
