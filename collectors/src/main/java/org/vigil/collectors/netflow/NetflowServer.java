package org.vigil.collectors.netflow;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.collectors.kafka.RawRecordPublisher;
import org.vigil.collectors.netty.ListenerBinding;
import org.vigil.collectors.netty.TcpBackpressure;
import org.vigil.collectors.syslog.KernelUdpDrops;
import org.vigil.model.Topics;
import org.vigil.model.Transport;

/**
 * Receives NetFlow v5/v9 and IPFIX over UDP, and IPFIX over TCP (RFC 7011 §10.4) when configured,
 * and publishes every packet, undecoded, to {@link Topics#RAW_NETFLOW} keyed by its {@link
 * NetflowExporterKey exporter}; the correlation job decodes it with the exporter's templates in
 * Flink state.
 *
 * <p>The collector reads only the packet header, so it keeps no template state and any instance
 * behind a load balancer may receive any packet. UDP cannot be slowed down: what Kafka refuses is
 * counted in {@link #metrics()}, what the kernel drops in {@link #kernelUdpDrops(NetflowInput)}.
 * TCP exporters are slowed down instead: while the publisher is congested, no IPFIX connection
 * reads.
 *
 * <p>Keying and publishing are cheap and non-blocking, so they run on the event loops: one for both
 * UDP sockets, one for TCP connections so a burst of datagrams never delays them.
 */
public final class NetflowServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NetflowServer.class);

  /** Larger than any UDP payload (65,507 bytes over IPv4), so no datagram is cut by Netty. */
  private static final int DATAGRAM_BUFFER_BYTES = 65_536;

  private final NetflowServerConfig config;
  private final RawRecordPublisher publisher;
  private final NetflowCollectorMetrics metrics = new NetflowCollectorMetrics();
  private final NetflowForwarder forwarder;
  private TcpBackpressure backpressure;
  private final Map<NetflowInput, Channel> listeners = new EnumMap<>(NetflowInput.class);

  private EventLoopGroup udpGroup;
  private EventLoopGroup tcpGroup;
  private boolean started;
  private boolean closed;

  /**
   * @param publisher where packets go; flushed, not closed, by {@link #close()}, as its owner may
   *     share it with other servers
   */
  public NetflowServer(NetflowServerConfig config, RawRecordPublisher publisher) {
    this.config = Objects.requireNonNull(config, "config");
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.forwarder = new NetflowForwarder(publisher, metrics, config.collectorId());
  }

  /**
   * Binds every configured listener; returns once all listen.
   *
   * @throws IllegalStateException with a one-line message saying what to fix when a socket cannot
   *     be bound (port in use, no permission, unknown bind host), or when already started
   */
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException("NetFlow server was already started");
    }
    started = true;
    InetAddress host = ListenerBinding.resolve("NetFlow", config.bindHost());
    publisher.awaitTopic(Topics.RAW_NETFLOW, Duration.ofSeconds(30));
    udpGroup =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("vigil-netflow-udp", true), NioIoHandler.newFactory());
    backpressure = new TcpBackpressure("ipfix-tcp", publisher);
    try {
      for (NetflowInput input : NetflowInput.values()) {
        int port = config.port(input);
        if (port == NetflowServerConfig.DISABLED) {
          continue;
        }
        listeners.put(
            input,
            input == NetflowInput.IPFIX_TCP ? bindTcp(host, port) : bindUdp(host, port, input));
        LOG.info(
            "NetFlow collector listening on {} port {} ({})",
            config.bindHost(),
            port(input),
            describe(input));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * The port an input listens on; the chosen one when configured as 0.
   *
   * @throws IllegalStateException when that input is off or the server is not started
   */
  public int port(NetflowInput input) {
    Channel channel = listeners.get(input);
    if (channel == null) {
      throw new IllegalStateException(describe(input) + " listener is not started");
    }
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Whether the input has a listener: configured and started. */
  public boolean isListening(NetflowInput input) {
    return listeners.containsKey(input);
  }

  public NetflowCollectorMetrics metrics() {
    return metrics;
  }

  /**
   * Datagrams the kernel dropped on a UDP input's port because the receive buffer was full; empty
   * for TCP, for inputs that are off, and where Linux's /proc/net/udp cannot be read.
   */
  public OptionalLong kernelUdpDrops(NetflowInput input) {
    if (input.transport() != Transport.UDP || !isListening(input)) {
      return OptionalLong.empty();
    }
    return KernelUdpDrops.forPort(port(input));
  }

  /**
   * The receive buffer the kernel granted a UDP input's socket, in bytes: what was asked for, or
   * less when {@code net.core.rmem_max} caps it; empty for TCP and for inputs that are off.
   */
  public OptionalInt udpReceiveBufferBytes(NetflowInput input) {
    Channel channel = listeners.get(input);
    if (input.transport() != Transport.UDP || channel == null) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(ListenerBinding.receiveBufferBytes(channel));
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
    for (Channel channel : listeners.values()) {
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

  private Channel bindUdp(InetAddress host, int port, NetflowInput input) {
    Bootstrap bootstrap =
        new Bootstrap()
            .group(udpGroup)
            .channel(NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, config.udpReceiveBufferBytes())
            .option(
                ChannelOption.RECVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(DATAGRAM_BUFFER_BYTES))
            .handler(new NetflowUdpHandler(forwarder, input));
    Channel channel = bound(bootstrap.bind(host, port), port, input);
    ListenerBinding.warnIfReceiveBufferCapped(
        channel, config.udpReceiveBufferBytes(), describe(input), LOG);
    return channel;
  }

  private Channel bindTcp(InetAddress host, int port) {
    tcpGroup =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("vigil-ipfix-tcp", true), NioIoHandler.newFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(tcpGroup)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 128)
            // Exporters keep one connection open and may be quiet for long: let the kernel find
            // dead peers rather than an idle timeout that would cut live ones.
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    backpressure.add(ch);
                    ch.pipeline().addLast(new IpfixStreamDecoder(), new IpfixTcpHandler(forwarder));
                  }
                });
    return bound(bootstrap.bind(host, port), port, NetflowInput.IPFIX_TCP);
  }

  private Channel bound(ChannelFuture bind, int port, NetflowInput input) {
    return ListenerBinding.awaitBound(
        bind, describe(input) + " port " + port, option(input), config.bindHost());
  }

  private static String describe(NetflowInput input) {
    return switch (input) {
      case NETFLOW_UDP -> "NetFlow (UDP)";
      case IPFIX_UDP -> "IPFIX (UDP)";
      case IPFIX_TCP -> "IPFIX (TCP)";
    };
  }

  private static String option(NetflowInput input) {
    return switch (input) {
      case NETFLOW_UDP -> "--netflow-port";
      case IPFIX_UDP -> "--ipfix-port";
      // No command-line option yet: only code (the config's ipfixTcpPort) turns it on.
      case IPFIX_TCP -> "the IPFIX TCP port setting";
    };
  }
}
