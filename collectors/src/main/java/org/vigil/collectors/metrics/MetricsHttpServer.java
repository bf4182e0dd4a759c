package org.vigil.collectors.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.collectors.netty.ListenerBinding;

/**
 * Serves {@code GET /metrics} in the Prometheus text format for a Prometheus server (or anything
 * else) to scrape. Every other path answers 404, every other method 405.
 *
 * <p>A scrape only reads counters and gauges, so it runs on the one event loop; it never waits on
 * Kafka. The server listens on loopback unless told otherwise, since the figures describe the
 * deployment.
 */
public final class MetricsHttpServer implements AutoCloseable {
  public static final String DEFAULT_BIND_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9464;

  /** The path Prometheus scrapes by default. */
  public static final String PATH = "/metrics";

  private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpServer.class);

  /** Request heads and bodies beyond this are refused: a scrape request has no body. */
  private static final int MAX_REQUEST_BYTES = 8 * 1024;

  /** Closes connections a scraper left open; Prometheus scrapes every 15 s to 1 min. */
  private static final int IDLE_SECONDS = 5 * 60;

  private final String bindHost;
  private final int port;
  private final PrometheusMeterRegistry registry;
  private final ChannelGroup connections =
      new DefaultChannelGroup("metrics-http", GlobalEventExecutor.INSTANCE);

  private EventLoopGroup group;
  private Channel channel;
  private boolean closed;

  /**
   * @param bindHost address to listen on; {@link #DEFAULT_BIND_HOST} keeps the metrics local
   * @param port 0 picks a free one (see {@link #port()})
   * @param registry what a scrape returns
   */
  public MetricsHttpServer(String bindHost, int port, PrometheusMeterRegistry registry) {
    this.bindHost = Objects.requireNonNull(bindHost, "bindHost");
    this.registry = Objects.requireNonNull(registry, "registry");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("metrics port must be between 0 and 65535: " + port);
    }
    this.port = port;
  }

  /**
   * Binds the port; returns once it listens.
   *
   * @throws IllegalStateException with a one-line message saying what to fix when the port cannot
   *     be bound (in use, no permission, unknown bind host), or when already started
   */
  public synchronized void start() {
    if (channel != null || closed) {
      throw new IllegalStateException("metrics HTTP server was already started");
    }
    InetAddress host = resolve(bindHost);
    group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("vigil-metrics-http", true), NioIoHandler.newFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    connections.add(ch);
                    ch.pipeline()
                        .addLast(
                            new ReadTimeoutHandler(IDLE_SECONDS),
                            new HttpServerCodec(),
                            new HttpServerKeepAliveHandler(),
                            new HttpObjectAggregator(MAX_REQUEST_BYTES),
                            new MetricsHttpHandler(registry));
                  }
                });
    ChannelFuture bind = bootstrap.bind(host, port).awaitUninterruptibly();
    if (!bind.isSuccess()) {
      close();
      throw new IllegalStateException(
          ListenerBinding.failure(bind.cause(), "metrics port " + port, "--metrics-port", bindHost),
          bind.cause());
    }
    channel = bind.channel();
    LOG.info("metrics served on http://{}:{}{}", bindHost, port(), PATH);
  }

  /** The bound port; the chosen one when configured as 0. */
  public int port() {
    Channel bound = channel;
    if (bound == null) {
      throw new IllegalStateException("metrics HTTP server is not started");
    }
    return ((InetSocketAddress) bound.localAddress()).getPort();
  }

  /** Stops listening, closes open connections and frees the port before returning. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (channel != null) {
      channel.close().awaitUninterruptibly();
    }
    connections.close().awaitUninterruptibly();
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }

  private static InetAddress resolve(String bindHost) {
    try {
      return InetAddress.getByName(bindHost);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(
          "metrics bind host "
              + bindHost
              + " is not a known address: use an IP address such as 127.0.0.1 or 0.0.0.0",
          e);
    }
  }
}
