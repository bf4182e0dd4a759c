package org.vigil.collectors.syslog;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.collectors.netty.ListenerBinding;
import org.vigil.collectors.netty.TcpBackpressure;
import org.vigil.model.Topics;
import org.vigil.model.Transport;

/**
 * Receives syslog over UDP (RFC 5426) and TCP (RFC 6587) on one port, and over TLS (RFC 5425) on
 * another when {@link SyslogServerConfig#tls()} is set, and publishes every message, unparsed, to
 * {@link org.vigil.model.Topics#RAW_SYSLOG}; the correlation job parses it.
 *
 * <p>A TLS connection is a TCP connection with an {@code SslHandler} in front: same framing
 * detection, backpressure and idle timeout. Its certificate files are checked for changes every
 * {@link SyslogTlsConfig#reloadInterval()}, and new connections use the new certificate.
 *
 * <p>TCP senders are slowed down rather than dropped: while the publisher is congested, every TCP
 * connection stops reading, so the kernel's window closes on the senders. UDP cannot be slowed
 * down; its losses are counted in {@link #metrics()} and {@link #kernelUdpDrops()}.
 *
 * <p>Framing and publishing are cheap and non-blocking, so they run on the event loops; UDP has
 * loops of its own so a burst of datagrams never delays TCP connections. On Linux several sockets
 * share the UDP port, each read by its own loop (see {@link UdpReading}).
 */
public final class SyslogServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyslogServer.class);

  /** Larger than any UDP payload (65,507 bytes over IPv4), so no datagram is cut by Netty. */
  private static final int DATAGRAM_BUFFER_BYTES = 65_536;

  private static final int DATAGRAMS_PER_READ = 8;

  private static final int EPHEMERAL_BIND_ATTEMPTS = 10;

  private final SyslogServerConfig config;
  private final RawRecordPublisher publisher;
  private final SyslogCollectorMetrics metrics = new SyslogCollectorMetrics();
  private final SyslogForwarder forwarder;
  private TcpBackpressure backpressure;

  private EventLoopGroup tcpGroup;
  private EventLoopGroup udpGroup;
  private Channel tcpChannel;
  private List<Channel> udpChannels = List.of();
  private final UdpReading udpReading;
  private boolean udpNative;
  private SyslogTlsContext tls;
  private Channel tlsChannel;
  private ScheduledExecutorService tlsReloader;
  private boolean closed;

  /**
   * @param publisher where messages go; flushed, not closed, by {@link #close()}, as its owner may
   *     share it with other servers
   */
  public SyslogServer(SyslogServerConfig config, RawRecordPublisher publisher) {
    this(config, publisher, UdpReading.defaults());
  }

  /**
   * @param udpReading how many threads read the UDP port, and whether they may use Linux's native
   *     transport to share it
   */
  public SyslogServer(
      SyslogServerConfig config, RawRecordPublisher publisher, UdpReading udpReading) {
    this.config = Objects.requireNonNull(config, "config");
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.udpReading = Objects.requireNonNull(udpReading, "udpReading");
    this.forwarder = new SyslogForwarder(publisher, metrics, config.collectorId());
  }

  /**
   * How the UDP port is read. One thread reading one socket is the limit for UDP: whatever the
   * kernel cannot hand over before the receive buffer fills is dropped. With Linux's native
   * transport, {@code readers} sockets share the port ({@code SO_REUSEPORT}) and the kernel spreads
   * senders over them by address and port, each socket read by a thread of its own. Elsewhere, or
   * when {@code preferNative} is false, one NIO socket reads the port.
   *
   * @param readers sockets and threads reading the port when the native transport is used
   * @param preferNative use the native transport where it is available
   */
  public record UdpReading(int readers, boolean preferNative) {
    private static final int DEFAULT_MAX_READERS = 4;

    public UdpReading {
      if (readers < 1 || readers > 64) {
        throw new IllegalArgumentException("UDP readers must be between 1 and 64: " + readers);
      }
    }

    /**
     * One reader per processor, at most four, natively where available: every reader socket gets a
     * receive buffer of its own, so the kernel memory a burst may take grows with their number.
     */
    public static UdpReading defaults() {
      return new UdpReading(
          Math.min(DEFAULT_MAX_READERS, Runtime.getRuntime().availableProcessors()), true);
    }

    /** One NIO socket, as on a platform without the native transport. */
    public static UdpReading singleNio() {
      return new UdpReading(1, false);
    }
  }

  /**
   * Binds the TCP and the UDP socket, and the TLS one when configured; returns once all listen.
   *
   * @throws IllegalStateException with a one-line message saying what to fix when a socket cannot
   *     be bound (port in use, no permission, unknown bind host), when a TLS certificate or key
   *     file is missing, unreadable or the key does not match, or when already started
   */
  public synchronized void start() {
    if (tcpChannel != null || closed) {
      throw new IllegalStateException("syslog server was already started");
    }
    InetAddress host = ListenerBinding.resolve("syslog", config.bindHost());
    if (config.tls() != null) {
      tls = SyslogTlsContext.load(config.tls());
    }
    publisher.awaitTopic(Topics.RAW_SYSLOG, Duration.ofSeconds(30));
    tcpGroup =
        new MultiThreadIoEventLoopGroup(
            0, new DefaultThreadFactory("vigil-syslog-tcp", true), NioIoHandler.newFactory());
    udpNative = udpReading.preferNative() && Epoll.isAvailable();
    if (udpReading.preferNative() && !udpNative) {
      LOG.info(
          "syslog UDP: native transport unavailable ({}); one NIO socket reads the port",
          String.valueOf(Epoll.unavailabilityCause()));
    }
    udpGroup =
        new MultiThreadIoEventLoopGroup(
            udpNative ? udpReading.readers() : 1,
            new DefaultThreadFactory("vigil-syslog-udp", true),
            udpNative ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    backpressure = new TcpBackpressure("syslog-tcp", publisher);
    try {
      bindBoth(host);
      if (tls != null) {
        tlsChannel = bindTls(host, config.tls().port());
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.info("syslog collector listening on {} port {} (UDP and TCP)", config.bindHost(), port());
    if (tls != null) {
      tlsReloader = tls.reloadEvery(config.tls().reloadInterval(), "syslog");
      LOG.info(
          "syslog collector listening on {} port {} (TLS; certificate {}; client certificates {})",
          config.bindHost(),
          tlsPort(),
          SyslogTlsContext.describe(tls.certificate()),
          config.tls().clientCaBundlePem() == null
              ? "not asked for"
              : config.tls().requireClientCertificate() ? "required" : "optional");
    }
  }

  /** The port both sockets are bound to; the chosen one when configured as 0. */
  public int port() {
    Channel channel = tcpChannel;
    if (channel == null) {
      throw new IllegalStateException("syslog server is not started");
    }
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** The port of the TLS listener; the chosen one when configured as 0. */
  public int tlsPort() {
    Channel channel = tlsChannel;
    if (channel == null) {
      throw new IllegalStateException("syslog TLS listener is not started");
    }
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /**
   * Reads the TLS certificate, key and client CA files again now, rather than at the next check of
   * their modification times. New connections use the new certificate; open ones are untouched.
   *
   * @throws IllegalStateException with a one-line message when the new files are bad; the listener
   *     keeps the previous certificate then
   */
  public void reloadCertificates() {
    SyslogTlsContext context = tls;
    if (context == null || tlsChannel == null || closed) {
      throw new IllegalStateException("syslog TLS listener is not started");
    }
    LOG.info("syslog TLS certificate reloaded: {}", SyslogTlsContext.describe(context.reload()));
  }

  public SyslogCollectorMetrics metrics() {
    return metrics;
  }

  /**
   * Datagrams the kernel dropped on this port because the receive buffer was full; empty where
   * Linux's /proc/net/udp cannot be read.
   */
  public OptionalLong kernelUdpDrops() {
    return udpChannels.isEmpty() ? OptionalLong.empty() : KernelUdpDrops.forPort(port());
  }

  /**
   * The receive buffer the kernel granted each UDP socket, in bytes: what was asked for, or less
   * when {@code net.core.rmem_max} caps it; empty before the server started.
   */
  public OptionalInt udpReceiveBufferBytes() {
    List<Channel> channels = udpChannels;
    return channels.isEmpty()
        ? OptionalInt.empty()
        : OptionalInt.of(ListenerBinding.receiveBufferBytes(channels.get(0)));
  }

  /** Sockets reading the UDP port: {@link UdpReading#readers()} natively, else one. */
  int udpReaderCount() {
    return udpChannels.size();
  }

  /** Whether the UDP port is read with Linux's native transport. */
  boolean udpNative() {
    return udpNative;
  }

  /**
   * Stops listening, closes every connection (publishing what they had framed), shuts the event
   * loops down and flushes the publisher.
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
    if (tcpChannel != null) {
      tcpChannel.close().awaitUninterruptibly();
    }
    if (tlsChannel != null) {
      tlsChannel.close().awaitUninterruptibly();
    }
    for (Channel channel : udpChannels) {
      channel.close().awaitUninterruptibly();
    }
    if (backpressure != null) {
      backpressure.close();
    }
    for (EventLoopGroup group : new EventLoopGroup[] {tcpGroup, udpGroup}) {
      if (group != null) {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
      }
    }
    publisher.flush();
  }

  private void bindBoth(InetAddress host) {
    if (config.port() != 0) {
      tcpChannel = bindTcp(host, config.port());
      udpChannels = bindUdp(host, config.port());
      return;
    }
    // Port 0: take whatever TCP port the kernel offers, and retry when UDP has it taken.
    for (int attempt = 1; ; attempt++) {
      tcpChannel = bindTcp(host, 0);
      try {
        udpChannels = bindUdp(host, port());
        return;
      } catch (IllegalStateException e) {
        tcpChannel.close().awaitUninterruptibly();
        tcpChannel = null;
        if (attempt == EPHEMERAL_BIND_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private Channel bindTcp(InetAddress host, int port) {
    ServerBootstrap bootstrap =
        streamBootstrap(
            ch ->
                ch.pipeline()
                    .addLast(
                        idleTimeout(),
                        new SyslogFrameDecoder(config.maxMessageSize()),
                        new SyslogTcpHandler(forwarder)));
    return bound(bootstrap.bind(host, port), port, "TCP");
  }

  private Channel bindTls(InetAddress host, int port) {
    ServerBootstrap bootstrap =
        streamBootstrap(
            ch ->
                ch.pipeline()
                    .addLast(
                        idleTimeout(),
                        // Read per connection, so a reload reaches the next connection only.
                        tls.current().newHandler(ch.alloc()),
                        new SyslogTlsHandshakeHandler(metrics),
                        new SyslogFrameDecoder(config.maxMessageSize()),
                        new SyslogTcpHandler(forwarder, Transport.TLS)));
    return ListenerBinding.awaitBound(
        bootstrap.bind(host, port),
        "syslog TLS port " + port,
        "--syslog-tls-port",
        config.bindHost());
  }

  /** TCP and TLS connections share the loops, the connection group and so the backpressure. */
  private ServerBootstrap streamBootstrap(Consumer<SocketChannel> pipeline) {
    return new ServerBootstrap()
        .group(tcpGroup)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                backpressure.add(ch);
                pipeline.accept(ch);
              }
            });
  }

  private IdleStateHandler idleTimeout() {
    return new IdleStateHandler(config.tcpIdleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS);
  }

  /**
   * Binds the UDP reader sockets; all or none: a failure closes those already bound. Each socket
   * registers on the next loop of the group, so each reader has a thread of its own.
   */
  private List<Channel> bindUdp(InetAddress host, int port) {
    Bootstrap bootstrap =
        new Bootstrap()
            .group(udpGroup)
            .option(ChannelOption.SO_RCVBUF, config.udpReceiveBufferBytes())
            .option(
                ChannelOption.RECVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(DATAGRAM_BUFFER_BYTES))
            .handler(new SyslogUdpHandler(forwarder, config.maxMessageSize()));
    int readers = 1;
    if (udpNative) {
      // recvmmsg: one system call reads up to DATAGRAMS_PER_READ datagrams, each into a slot as
      // large as the largest UDP payload, instead of one call per datagram.
      bootstrap
          .channel(EpollDatagramChannel.class)
          .option(EpollChannelOption.SO_REUSEPORT, true)
          .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, DATAGRAM_BUFFER_BYTES)
          .option(
              ChannelOption.RECVBUF_ALLOCATOR,
              new FixedRecvByteBufAllocator(DATAGRAM_BUFFER_BYTES * DATAGRAMS_PER_READ));
      readers = udpReading.readers();
    } else {
      bootstrap.channel(NioDatagramChannel.class);
    }
    List<Channel> channels = new ArrayList<>(readers);
    try {
      int bindPort = port;
      for (int i = 0; i < readers; i++) {
        Channel channel = bound(bootstrap.bind(host, bindPort), bindPort, "UDP");
        channels.add(channel);
        // Port 0 for the first socket: the others join whichever port it got.
        bindPort = ((InetSocketAddress) channel.localAddress()).getPort();
      }
    } catch (RuntimeException e) {
      for (Channel channel : channels) {
        channel.close().awaitUninterruptibly();
      }
      throw e;
    }
    ListenerBinding.warnIfReceiveBufferCapped(
        channels.get(0), config.udpReceiveBufferBytes(), "syslog UDP", LOG);
    return List.copyOf(channels);
  }

  private Channel bound(ChannelFuture bind, int port, String transport) {
    return ListenerBinding.awaitBound(
        bind, "syslog port " + port + " (" + transport + ")", "--syslog-port", config.bindHost());
  }
}
