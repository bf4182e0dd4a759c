package org.vigil.collectors.syslog;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.model.Transport;

/** Publishes the frames of one TCP or TLS connection; one instance per connection. */
final class SyslogTcpHandler extends SimpleChannelInboundHandler<SyslogFrame> {
  private static final Logger LOG = LoggerFactory.getLogger(SyslogTcpHandler.class);

  private final SyslogForwarder forwarder;
  private final Transport transport;
  private String peerAddress = "";
  private int peerPort;
  private SyslogForwarder.Peer peer;

  SyslogTcpHandler(SyslogForwarder forwarder) {
    this(forwarder, Transport.TCP);
  }

  /**
   * @param transport written in the envelope: {@link Transport#TLS} behind an {@code SslHandler}
   */
  SyslogTcpHandler(SyslogForwarder forwarder, Transport transport) {
    this.forwarder = forwarder;
    this.transport = transport;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
    this.peer = SyslogForwarder.Peer.of(peer);
    peerAddress = this.peer.address();
    peerPort = this.peer.port();
    // Accepted while Kafka is congested: start paused like the others.
    ctx.channel().config().setAutoRead(!forwarder.publisher().isCongested());
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, SyslogFrame frame) {
    forwarder.metrics().onReceived(false, frame.bytes().length, frame.truncated());
    forwarder.forward(frame, transport, peer);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    // A connection we paused for backpressure is quiet because of us, not idle.
    if (event instanceof IdleStateEvent && ctx.channel().config().isAutoRead()) {
      LOG.debug("closing idle syslog connection from {}:{}", peerAddress, peerPort);
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedFrameException) {
      forwarder.metrics().onFramingError();
      LOG.warn("syslog sender {}:{}: {}", peerAddress, peerPort, cause.getMessage());
      return;
    }
    if (cause instanceof IOException) {
      LOG.debug("syslog connection from {}:{} failed: {}", peerAddress, peerPort, cause.toString());
    } else {
      LOG.warn("closing syslog connection from {}:{}", peerAddress, peerPort, cause);
    }
    ctx.close();
  }
}
