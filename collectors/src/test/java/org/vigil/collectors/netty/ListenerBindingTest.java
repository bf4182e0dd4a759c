package org.vigil.collectors.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ListenerBindingTest {
  /** Below any kernel's net.core.rmem_max, so the kernel grants exactly this. */
  private static final int ASKED = 65_536;

  @Test
  void readsTheReceiveBufferOfANioSocketAsAskedFor() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel channel = bind(group, NioDatagramChannel.class);
      assertThat(ListenerBinding.receiveBufferBytes(channel)).isEqualTo(ASKED);
      channel.close().sync();
    } finally {
      group.shutdownGracefully().sync();
    }
  }

  @Test
  void readsTheReceiveBufferOfANativeSocketAsAskedForNotAsLinuxDoublesIt() throws Exception {
    assumeTrue(Epoll.isAvailable(), "no native epoll transport here");
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    try {
      Channel channel = bind(group, EpollDatagramChannel.class);
      assertThat(ListenerBinding.receiveBufferBytes(channel)).isEqualTo(ASKED);
      channel.close().sync();
    } finally {
      group.shutdownGracefully().sync();
    }
  }

  private static Channel bind(EventLoopGroup group, Class<? extends Channel> type)
      throws InterruptedException {
    return new Bootstrap()
        .group(group)
        .channel(type)
        .option(ChannelOption.SO_RCVBUF, ASKED)
        .handler(new ChannelInboundHandlerAdapter())
        .bind(InetAddress.getLoopbackAddress(), 0)
        .sync()
        .channel();
  }
}
