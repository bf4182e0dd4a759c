package org.vigil.collectors.beats;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.model.Payloads;

/**
 * The windows of one Beats connection: publishes each event and acknowledges a window only once
 * Kafka acknowledged every event of it and of the windows before it. One instance per connection.
 *
 * <h2>Acknowledgement</h2>
 *
 * <p>A Beats client keeps an event until it is acknowledged, and resends it after a reconnect, so
 * an ACK is a promise that the event is durable. Events are published as they arrive, gathered into
 * one record per run of a window's events ({@link BeatsForwarder}): a record goes out when its
 * window is complete, when it is full, and at the end of every read, so an event never waits for
 * bytes the client has not sent. Kafka's answers (acks=all) come back on the producer's thread and
 * are handed to this connection's event loop, where a window's acknowledged prefix grows. A window
 * whose events all arrived and all are in Kafka is acknowledged with its last sequence number, once
 * every earlier window was: clients that send several windows without waiting (Filebeat's
 * pipelining, the npm {@code lumberjack-client}) get their ACKs in order. While a window waits,
 * every {@code keepAlive} without other writes (a writer-idle event) the client gets an ACK of the
 * sequence acknowledged so far in that window, 0 when none, as Logstash and go-lumber do, so it
 * does not time out and resend. When Kafka refuses an event for good, the connection is closed
 * without acknowledging it: the client resends, and the document id derived from the event keeps
 * the index free of duplicates.
 *
 * <h2>Bounded memory</h2>
 *
 * <p>Event bytes are held by the publisher, whose congestion stops every TCP connection through
 * {@link org.vigil.collectors.netty.TcpBackpressure}. On top of that a connection stops reading
 * while more than {@code maxAwaitingKafka} of its events wait for Kafka, or while its client does
 * not read its ACKs (the channel is not writable), and resumes at half that. Events gathered for
 * the next record count as waiting, and they are published at the end of the read that paused.
 * Should the shared backpressure resume reading meanwhile, the next read pauses it again, so the
 * excess is at most one read.
 *
 * <h2>Idle connections</h2>
 *
 * <p>A reader-idle event closes the connection only when the client owes us something: nothing
 * waits for Kafka and reading is not paused, since a client waiting for its ACK is quiet because of
 * us.
 */
public final class BeatsBatchHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(BeatsBatchHandler.class);

  private final BeatsForwarder forwarder;
  private final int maxAwaitingKafka;
  private final ArrayDeque<Window> windows = new ArrayDeque<>();
  private Window filling;

  // The events read and not yet published: one window's, from gatheredFrom on, of one frame type.
  private final Payloads.Writer gatheredEvents = new Payloads.Writer();
  private Window gatheredWindow;
  private int gatheredFrom;
  private LumberjackFrameType gatheredType;
  private int awaitingKafka;
  private boolean paused;
  private boolean closing;
  private ChannelHandlerContext ctx;
  private BeatsForwarder.Peer peer = new BeatsForwarder.Peer("", new byte[0], 0);

  /**
   * @param maxAwaitingKafka events of this connection waiting for Kafka at which it stops reading
   */
  BeatsBatchHandler(BeatsForwarder forwarder, int maxAwaitingKafka) {
    this.forwarder = forwarder;
    this.maxAwaitingKafka = maxAwaitingKafka;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    SocketAddress remote = ctx.channel().remoteAddress();
    if (remote instanceof InetSocketAddress address && address.getAddress() != null) {
      peer = BeatsForwarder.Peer.of(address);
    }
    // Accepted while Kafka is congested: start paused like the others.
    ctx.channel().config().setAutoRead(!forwarder.publisher().isCongested());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof LumberjackFrame.Event event) {
      onEvent(event);
    } else if (msg instanceof LumberjackFrame.Window window) {
      onWindow(window);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void onWindow(LumberjackFrame.Window window) {
    if (filling != null) {
      throw new BeatsProtocolException(
          "window frame after "
              + filling.received
              + " of the "
              + filling.sequences.length
              + " events the previous window announced");
    }
    // An empty window needs no answer: go-lumber's server sends none either.
    if (window.count() > 0) {
      filling = new Window(window.version(), window.count());
      windows.addLast(filling);
    }
  }

  private void onEvent(LumberjackFrame.Event event) {
    Window window = filling;
    if (window == null) {
      throw new BeatsProtocolException(
          "event frame (sequence "
              + event.unsignedSequence()
              + ") outside a window: a window frame must announce it");
    }
    int index = window.received++;
    window.sequences[index] = event.sequence();
    awaitingKafka++;
    forwarder.received(event);
    if (gatheredEvents.count() > 0
        && (event.type() != gatheredType
            || gatheredEvents.sizeWith(event.json().length) > BeatsForwarder.MAX_RECORD_BYTES)) {
      publishGathered();
    }
    if (gatheredEvents.count() == 0) {
      gatheredWindow = window;
      gatheredFrom = index;
      gatheredType = event.type();
    }
    gatheredEvents.add(event.json());
    if (window.received == window.sequences.length) {
      filling = null;
      publishGathered();
    }
    updateReading();
  }

  /**
   * Publishes the events gathered since the last record as one record. Called when a window is
   * complete, when the next event would not fit or is of another frame type, and at the end of
   * every read, so no event waits for bytes the client has not sent yet.
   */
  private void publishGathered() {
    int count = gatheredEvents.count();
    if (count == 0) {
      return;
    }
    Window window = gatheredWindow;
    int from = gatheredFrom;
    gatheredWindow = null;
    forwarder
        .publish(window.version, gatheredType, gatheredEvents, peer)
        .whenComplete((ignored, failure) -> onKafkaAnswer(window, from, count, failure));
  }

  /** Runs on the producer's thread, or the caller's when the publisher failed at once. */
  private void onKafkaAnswer(Window window, int from, int count, Throwable failure) {
    if (ctx.executor().inEventLoop()) {
      kafkaAnswered(window, from, count, failure);
      return;
    }
    try {
      ctx.executor().execute(() -> kafkaAnswered(window, from, count, failure));
    } catch (RejectedExecutionException shuttingDown) {
      // The server is closing: the connection goes with it, unacknowledged.
    }
  }

  private void kafkaAnswered(Window window, int from, int count, Throwable failure) {
    awaitingKafka -= count;
    if (closing) {
      return;
    }
    if (failure != null) {
      LOG.warn(
          "closing beats connection from {}:{} without acknowledging its window: Kafka did not"
              + " take {} of its events ({}); the client will resend",
          peer.address(),
          peer.port(),
          count,
          failure.toString());
      close();
      return;
    }
    window.acknowledged(from, count);
    boolean wrote = false;
    Window head;
    while ((head = windows.peekFirst()) != null && head.complete()) {
      windows.pollFirst();
      ctx.write(new BeatsAck(head.version, head.sequences[head.sequences.length - 1]));
      forwarder.metrics().onAck();
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
    updateReading();
  }

  /** Re-pauses a connection the shared backpressure resumed while it was over its own limit. */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!closing) {
      publishGathered();
    }
    updateReading();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    updateReading();
    ctx.fireChannelWritabilityChanged();
  }

  private void updateReading() {
    if (closing) {
      return;
    }
    boolean writable = ctx.channel().isWritable();
    if (!paused && (awaitingKafka >= maxAwaitingKafka || !writable)) {
      paused = true;
    } else if (paused && awaitingKafka <= maxAwaitingKafka / 2 && writable) {
      paused = false;
      ctx.channel().config().setAutoRead(!forwarder.publisher().isCongested());
      return;
    }
    if (paused && ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent idle) {
      if (idle.state() == IdleState.WRITER_IDLE) {
        keepAlive();
      } else if (!closing && awaitingKafka == 0 && ctx.channel().config().isAutoRead()) {
        LOG.debug("closing idle beats connection from {}:{}", peer.address(), peer.port());
        close();
      }
      return;
    }
    if (event instanceof SslHandshakeCompletionEvent completion && !completion.isSuccess()) {
      Throwable cause = completion.cause();
      if (cause instanceof ClosedChannelException) {
        // Closed before a handshake finished: a port probe or a load balancer's health check.
        LOG.debug("beats TLS connection from {} closed before its handshake", ctx.channel());
      } else {
        forwarder.metrics().onTlsHandshakeFailed();
        LOG.info(
            "beats TLS handshake with {} failed: {}",
            ctx.channel().remoteAddress(),
            oneLine(cause));
      }
    }
    ctx.fireUserEventTriggered(event);
  }

  private void keepAlive() {
    Window head = windows.peekFirst();
    if (closing || head == null) {
      return;
    }
    ctx.writeAndFlush(new BeatsAck(head.version, head.acknowledgedSequence()));
    forwarder.metrics().onKeepAlive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    int unpublished = gatheredEvents.count();
    if (unpublished > 0) {
      // Never published, so never acknowledged: the client sends them again.
      awaitingKafka -= unpublished;
      forwarder.dropped(unpublished);
      gatheredWindow = null;
      gatheredEvents.take();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (closing) {
      return;
    }
    Throwable tls = cause instanceof DecoderException ? cause.getCause() : cause;
    if (tls instanceof SSLException) {
      LOG.debug("beats TLS connection from {} failed: {}", ctx.channel().remoteAddress(), tls);
    } else if (cause instanceof BeatsInflateLimitException) {
      forwarder.metrics().onInflateLimitHit();
      LOG.warn(
          "closing beats connection from {}:{}: {}",
          peer.address(),
          peer.port(),
          cause.getMessage());
    } else if (cause instanceof BeatsProtocolException) {
      forwarder.metrics().onMalformed();
      LOG.warn(
          "closing beats connection from {}:{}: {}",
          peer.address(),
          peer.port(),
          cause.getMessage());
    } else if (cause instanceof IOException) {
      LOG.debug(
          "beats connection from {}:{} failed: {}", peer.address(), peer.port(), cause.toString());
    } else {
      LOG.warn("closing beats connection from {}:{}", peer.address(), peer.port(), cause);
    }
    close();
  }

  private void close() {
    closing = true;
    ctx.close();
  }

  private static String oneLine(Throwable e) {
    Throwable tls = e instanceof DecoderException && e.getCause() != null ? e.getCause() : e;
    String message = tls.getMessage() == null ? tls.getClass().getSimpleName() : tls.getMessage();
    return message.replaceAll("\\s+", " ").trim();
  }

  /** One window's events: their sequence numbers and how many from the start Kafka holds. */
  private static final class Window {
    final byte version;
    final int[] sequences;
    final boolean[] acknowledged;
    int received;
    int acknowledgedPrefix;

    Window(byte version, int count) {
      this.version = version;
      this.sequences = new int[count];
      this.acknowledged = new boolean[count];
    }

    void acknowledged(int from, int count) {
      Arrays.fill(acknowledged, from, from + count, true);
      while (acknowledgedPrefix < received && acknowledged[acknowledgedPrefix]) {
        acknowledgedPrefix++;
      }
    }

    boolean complete() {
      return acknowledgedPrefix == sequences.length;
    }

    /** The last sequence number of the acknowledged prefix; 0, acknowledging nothing, if none. */
    int acknowledgedSequence() {
      return acknowledgedPrefix == 0 ? 0 : sequences[acknowledgedPrefix - 1];
    }
  }
}
