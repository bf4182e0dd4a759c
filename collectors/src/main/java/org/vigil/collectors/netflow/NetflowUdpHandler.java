package org.vigil.collectors.netflow;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each datagram as one record: a NetFlow v5/v9 packet or an IPFIX message (RFC 7011
 * §10.3.3: one message per datagram). As for syslog, datagrams still go to the publisher while
 * Kafka is congested; its queue is bounded, and what it refuses is counted as dropped.
 */
@Sharable
final class NetflowUdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger LOG = LoggerFactory.getLogger(NetflowUdpHandler.class);

  private final NetflowForwarder forwarder;
  private final NetflowInput input;

  NetflowUdpHandler(NetflowForwarder forwarder, NetflowInput input) {
    this.forwarder = forwarder;
    this.input = input;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    ByteBuf content = packet.content();
    byte[] bytes = new byte[content.readableBytes()];
    content.getBytes(content.readerIndex(), bytes);
    InetSocketAddress sender = packet.sender();
    forwarder.forward(input, bytes, NetUtil.toAddressString(sender.getAddress()), sender.getPort());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // The socket serves every exporter: keep it open whatever one datagram did.
    LOG.warn("{} receive failed", input.tag(), cause);
  }
}
