package org.vigil.collectors.syslog;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits behind the {@code SslHandler} of a TLS connection: counts failed handshakes and turns TLS
 * errors into one log line and a closed connection, instead of a stack trace per scanner or
 * misconfigured sender. One instance per connection.
 */
final class SyslogTlsHandshakeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(SyslogTlsHandshakeHandler.class);

  private final SyslogCollectorMetrics metrics;

  SyslogTlsHandshakeHandler(SyslogCollectorMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof SslHandshakeCompletionEvent completion && !completion.isSuccess()) {
      Throwable cause = completion.cause();
      SocketAddress peer = ctx.channel().remoteAddress();
      if (cause instanceof ClosedChannelException) {
        // Closed before a handshake finished: a port probe or a load balancer's health check.
        LOG.debug("syslog TLS connection from {} closed before its handshake", peer);
      } else {
        metrics.onTlsHandshakeFailed();
        LOG.info("syslog TLS handshake with {} failed: {}", peer, describe(cause));
      }
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable tls = cause instanceof DecoderException ? cause.getCause() : cause;
    if (tls instanceof SSLException) {
      // The handshake event above reports failed handshakes; later errors end the connection.
      LOG.debug("syslog TLS connection from {} failed: {}", ctx.channel().remoteAddress(), tls);
      ctx.close();
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  private static String describe(Throwable cause) {
    Throwable tls =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    String message = tls.getMessage() == null ? tls.getClass().getSimpleName() : tls.getMessage();
    return message.replaceAll("\\s+", " ").trim();
  }
}
