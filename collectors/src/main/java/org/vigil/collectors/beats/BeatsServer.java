package org.vigil.collectors.beats;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.collectors.netty.ListenerBinding;
import org.vigil.collectors.netty.TcpBackpressure;
import org.vigil.collectors.syslog.SyslogTlsContext;
import org.vigil.model.Topics;
import org.vigil.model.Transport;

/**
 * Receives events from Beats (Filebeat, Winlogbeat, ...) and logstash-forwarder over Lumberjack v2
 * and v1, on TCP or TLS, and publishes each event, unparsed, to {@link Topics#RAW_BEATS}; a window
 * is acknowledged only once Kafka acknowledged all of its events (see {@link BeatsBatchHandler}).
 *
 * <p>A connection's pipeline reads as a sentence: TLS when configured, idle detection (reader idle
 * closes, writer idle sends keep-alives), the ACK encoder, the frame decoder, the inflater, the
 * window handler. All of it runs on the event loops: decoding is a copy per event, and inflating is
 * bounded by {@link LumberjackLimits#maxInflatedBytes()}, while handing frames to another executor
 * would queue them there without bound, outside the publisher's backpressure.
 */
public final class BeatsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BeatsServer.class);

  private final BeatsServerConfig config;
  private final RawRecordPublisher publisher;
  private final BeatsCollectorMetrics metrics;
  private final BeatsForwarder forwarder;
  private TcpBackpressure backpressure;
  private EventLoopGroup group;
  private Channel channel;
  private SyslogTlsContext tls;
  private ScheduledExecutorService tlsReloader;
  private boolean closed;

  /**
   * @param publisher where events go; flushed, not closed, by {@link #close()}, as its owner may
   *     share it with other servers
   */
  public BeatsServer(BeatsServerConfig config, RawRecordPublisher publisher) {
    this.config = Objects.requireNonNull(config, "config");
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.metrics = new BeatsCollectorMetrics(config.tls() != null);
    this.forwarder =
        new BeatsForwarder(
            publisher,
            metrics,
            config.collectorId(),
            config.tls() != null ? Transport.TLS : Transport.TCP);
  }

  /**
   * Binds the port; returns once it listens.
   *
   * @throws IllegalStateException with a one-line message saying what to fix when the port cannot
   *     be bound (in use, no permission, unknown bind host), when a TLS file is missing, unreadable
   *     or the key does not match, or when already started
   */
  public synchronized void start() {
    if (channel != null || closed) {
      throw new IllegalStateException("beats server was already started");
    }
    InetAddress host = ListenerBinding.resolve("beats", config.bindHost());
    if (config.tls() != null) {
      try {
        tls = SyslogTlsContext.load(config.tls().contextConfig());
      } catch (IllegalStateException e) {
        throw new IllegalStateException("beats TLS listener: " + e.getMessage(), e);
      }
    }
    publisher.awaitTopic(Topics.RAW_BEATS, Duration.ofSeconds(30));
    group =
        new MultiThreadIoEventLoopGroup(
            0, new DefaultThreadFactory("vigil-beats", true), NioIoHandler.newFactory());
    backpressure = new TcpBackpressure("beats", publisher);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    backpressure.add(ch);
                    if (tls != null) {
                      // Read per connection, so a reload reaches the next connection only.
                      SslContext context = tls.current();
                      ch.pipeline().addLast("tls", context.newHandler(ch.alloc()));
                    }
                    pipeline(ch.pipeline(), config, forwarder);
                  }
                });
    try {
      channel =
          ListenerBinding.awaitBound(
              bootstrap.bind(host, config.port()),
              "beats port " + config.port() + (tls != null ? " (TLS)" : ""),
              "--beats-port",
              config.bindHost());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    if (tls != null) {
      tlsReloader = tls.reloadEvery(config.tls().reloadInterval(), "beats");
      LOG.info(
          "beats collector listening on {} port {} (TLS; certificate {}; client certificates {})",
          config.bindHost(),
          port(),
          SyslogTlsContext.describe(tls.certificate()),
          config.tls().clientCaBundlePem() == null
              ? "not asked for"
              : config.tls().requireClientCertificate() ? "required" : "optional");
    } else {
      LOG.info("beats collector listening on {} port {} (TCP)", config.bindHost(), port());
    }
  }

  /**
   * The handlers of one connection after TLS, in order; also what tests put in an {@code
   * EmbeddedChannel}.
   */
  static void pipeline(
      ChannelPipeline pipeline, BeatsServerConfig config, BeatsForwarder forwarder) {
    pipeline.addLast(
        "idle",
        new IdleStateHandler(
            config.idleTimeout().toMillis(),
            config.keepAliveInterval().toMillis(),
            0,
            TimeUnit.MILLISECONDS));
    pipeline.addLast("ack-encoder", BeatsAckEncoder.INSTANCE);
    pipeline.addLast("frame-decoder", new BeatsFrameDecoder(config.limits()));
    pipeline.addLast("inflate", new BeatsInflateHandler(config.limits()));
    pipeline.addLast("windows", new BeatsBatchHandler(forwarder, config.maxAwaitingKafka()));
  }

  /** The bound port; the chosen one when configured as 0. */
  public int port() {
    Channel bound = channel;
    if (bound == null) {
      throw new IllegalStateException("beats server is not started");
    }
    return ((InetSocketAddress) bound.localAddress()).getPort();
  }

  public BeatsCollectorMetrics metrics() {
    return metrics;
  }

  /**
   * Reads the TLS files again now, rather than at the next check of their modification times. New
   * connections use the new certificate; open ones are untouched.
   *
   * @throws IllegalStateException with a one-line message when the new files are bad; the listener
   *     keeps the previous certificate then
   */
  public void reloadCertificates() {
    SyslogTlsContext context = tls;
    if (context == null || channel == null || closed) {
      throw new IllegalStateException("beats TLS listener is not started");
    }
    LOG.info("beats TLS certificate reloaded: {}", SyslogTlsContext.describe(context.reload()));
  }

  /**
   * Stops listening, closes every connection (what they had not acknowledged, their clients
   * resend), shuts the event loops down and flushes the publisher.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (tlsReloader != null) {
      tlsReloader.shutdownNow();
    }
    if (channel != null) {
      channel.close().awaitUninterruptibly();
    }
    if (backpressure != null) {
      backpressure.close();
    }
    if (group != null) {
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
    }
    publisher.flush();
  }
}
