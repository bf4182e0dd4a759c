package org.vigil.collectors.netflow;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the IPFIX messages of one TCP connection, framed by {@link IpfixStreamDecoder}; one
 * instance per connection. A broken stream is counted and the connection closed: the exporter
 * reconnects and, as RFC 7011 §10.4.2 requires on a new connection, sends its templates again.
 */
final class IpfixTcpHandler extends SimpleChannelInboundHandler<byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(IpfixTcpHandler.class);

  private final NetflowForwarder forwarder;
  private String peerAddress = "";
  private int peerPort;

  IpfixTcpHandler(NetflowForwarder forwarder) {
    this.forwarder = forwarder;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
    peerAddress = NetUtil.toAddressString(peer.getAddress());
    peerPort = peer.getPort();
    // Accepted while Kafka is congested: start paused like the others.
    ctx.channel().config().setAutoRead(!forwarder.publisher().isCongested());
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, byte[] message) {
    forwarder.forward(NetflowInput.IPFIX_TCP, message, peerAddress, peerPort);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedFrameException) {
      forwarder.metrics().onFramingError(NetflowInput.IPFIX_TCP);
      LOG.warn(
          "closing IPFIX connection from {}:{}: {}", peerAddress, peerPort, cause.getMessage());
    } else if (cause instanceof IOException) {
      LOG.debug("IPFIX connection from {}:{} failed: {}", peerAddress, peerPort, cause.toString());
    } else {
      LOG.warn("closing IPFIX connection from {}:{}", peerAddress, peerPort, cause);
    }
    ctx.close();
  }
}
