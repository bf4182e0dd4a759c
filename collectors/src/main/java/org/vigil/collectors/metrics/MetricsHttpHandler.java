package org.vigil.collectors.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one aggregated request: the scrape on {@code GET /metrics}, an error status otherwise.
 */
final class MetricsHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpHandler.class);
  private static final String TEXT = "text/plain; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  MetricsHttpHandler(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      // The codec cannot find the next request's start after a malformed one.
      respond(ctx, request, error(HttpResponseStatus.BAD_REQUEST), true);
      return;
    }
    if (!MetricsHttpServer.PATH.equals(new QueryStringDecoder(request.uri()).path())) {
      respond(ctx, request, error(HttpResponseStatus.NOT_FOUND), false);
      return;
    }
    if (!HttpMethod.GET.equals(request.method())) {
      FullHttpResponse response = error(HttpResponseStatus.METHOD_NOT_ALLOWED);
      response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
      respond(ctx, request, response, false);
      return;
    }
    FullHttpResponse response;
    try {
      response =
          response(
              HttpResponseStatus.OK,
              Unpooled.wrappedBuffer(registry.scrape().getBytes(UTF_8)),
              CollectorMetricsRegistry.CONTENT_TYPE);
    } catch (RuntimeException e) {
      LOG.error("collecting the metrics for a scrape failed", e);
      response = error(HttpResponseStatus.INTERNAL_SERVER_ERROR);
    }
    respond(ctx, request, response, false);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof ReadTimeoutException || cause instanceof IOException)) {
      LOG.warn("metrics connection from {} failed", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }

  /** {@link io.netty.handler.codec.http.HttpServerKeepAliveHandler} closes when it should. */
  private static void respond(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      FullHttpResponse response,
      boolean close) {
    HttpUtil.setKeepAlive(response, !close && HttpUtil.isKeepAlive(request));
    ctx.writeAndFlush(response);
  }

  private static FullHttpResponse error(HttpResponseStatus status) {
    return response(status, Unpooled.copiedBuffer(status + "\n", UTF_8), TEXT);
  }

  private static FullHttpResponse response(
      HttpResponseStatus status, ByteBuf body, String contentType) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    return response;
  }
}
