package org.vigil.collectors.netty;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.vigil.collectors.kafka.RawRecordPublisher;

/**
 * Stops reading from every TCP connection of a server while its publisher is congested, and resumes
 * when it drains: senders then wait in their own socket buffers instead of the collector buffering
 * without bound. A connection's own handler sets its first state when it becomes active.
 */
public final class TcpBackpressure implements AutoCloseable {
  private final RawRecordPublisher publisher;
  private final ChannelGroup connections;
  private final RawRecordPublisher.CongestionListener listener = congested -> apply();

  /**
   * @param name names the connection group in Netty's logs
   */
  public TcpBackpressure(String name, RawRecordPublisher publisher) {
    this.publisher = publisher;
    this.connections = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE);
    publisher.addCongestionListener(listener);
  }

  /** Follows a new connection until it closes. */
  public void add(Channel connection) {
    connections.add(connection);
  }

  /** Stops following the publisher and closes every connection. */
  @Override
  public void close() {
    publisher.removeCongestionListener(listener);
    connections.close().awaitUninterruptibly();
  }

  /**
   * Sets every connection to the publisher's state. Each update runs on the connection's own loop
   * and reads the state there, so the last one wins even when notifications race.
   */
  private void apply() {
    for (Channel connection : connections) {
      connection
          .eventLoop()
          .execute(() -> connection.config().setAutoRead(!publisher.isCongested()));
    }
  }
}
