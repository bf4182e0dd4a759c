package org.vigil.collectors.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.model.Transport;

/**
 * Publishes each datagram as one message (RFC 5426 §3.1: one message per datagram, no framing). UDP
 * senders cannot be slowed down, so while Kafka is congested datagrams still go to the publisher,
 * whose queue is bounded: what it refuses is counted as dropped. Dropping on the first sign of
 * congestion would lose datagrams during every short stall (the first send after start waits for
 * topic metadata, for one).
 */
@Sharable
final class SyslogUdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger LOG = LoggerFactory.getLogger(SyslogUdpHandler.class);

  private final SyslogForwarder forwarder;
  private final int maxMessageSize;
  private volatile LastSender lastSender;

  SyslogUdpHandler(SyslogForwarder forwarder, int maxMessageSize) {
    this.forwarder = forwarder;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    ByteBuf content = packet.content();
    int length = messageLength(content);
    if (length == 0) {
      return;
    }
    boolean truncated = length > maxMessageSize;
    byte[] bytes = new byte[Math.min(length, maxMessageSize)];
    content.getBytes(content.readerIndex(), bytes);
    SyslogFrame frame = new SyslogFrame(bytes, truncated);
    forwarder.metrics().onReceived(true, length, truncated);
    forwarder.forward(frame, Transport.UDP, peer(packet.sender()));
  }

  /**
   * The sender, formatted once per run of datagrams from it rather than once per datagram. Several
   * reader threads may share this handler; a race at worst formats again.
   */
  private SyslogForwarder.Peer peer(InetSocketAddress sender) {
    LastSender last = lastSender;
    if (last != null && last.socketAddress.equals(sender)) {
      return last.peer;
    }
    SyslogForwarder.Peer peer = SyslogForwarder.Peer.of(sender);
    lastSender = new LastSender(sender, peer);
    return peer;
  }

  private record LastSender(InetSocketAddress socketAddress, SyslogForwarder.Peer peer) {}

  /** Length without the LF (or CR LF, or NUL) that many senders append to a datagram. */
  static int messageLength(ByteBuf content) {
    int length = content.readableBytes();
    int end = content.writerIndex();
    if (length > 0 && content.getByte(end - 1) == '\n') {
      length--;
      if (length > 0 && content.getByte(end - 2) == '\r') {
        length--;
      }
    } else if (length > 0 && content.getByte(end - 1) == 0) {
      length--;
    }
    return length;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // The socket serves every sender: keep it open whatever one datagram did.
    LOG.warn("syslog UDP receive failed", cause);
  }
}
