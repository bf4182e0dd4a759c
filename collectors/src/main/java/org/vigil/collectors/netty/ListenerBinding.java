package org.vigil.collectors.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.unix.Errors;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.slf4j.Logger;

/**
 * Binding a collector's listening socket, with the one-line messages every collector gives when
 * that fails: what the socket is, why it cannot be bound, and which option or setting fixes it.
 */
public final class ListenerBinding {
  private ListenerBinding() {}

  /**
   * The address to bind.
   *
   * @param protocol names the collector in the message, e.g. "syslog"
   * @throws IllegalStateException when {@code bindHost} does not resolve
   */
  public static InetAddress resolve(String protocol, String bindHost) {
    try {
      return InetAddress.getByName(bindHost);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(
          protocol
              + " bind host "
              + bindHost
              + " is not a known address: use an IP address such as 0.0.0.0 or ::",
          e);
    }
  }

  /**
   * Waits for a bind and returns its channel.
   *
   * @param what the socket, as the message names it, e.g. "syslog port 5514 (UDP)"
   * @param option the command-line option that chooses its port
   * @param bindHost the configured bind host, for the message
   * @throws IllegalStateException saying what to fix when the bind failed
   */
  public static Channel awaitBound(
      ChannelFuture bind, String what, String option, String bindHost) {
    bind.awaitUninterruptibly();
    if (bind.isSuccess()) {
      return bind.channel();
    }
    throw new IllegalStateException(failure(bind.cause(), what, option, bindHost), bind.cause());
  }

  /** The message for a failed bind of {@code what}, for listeners Netty does not bind. */
  public static String failure(Throwable cause, String what, String option, String bindHost) {
    String reason = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    // The native (epoll) transport reports errno as a NativeIoException, not a BindException.
    if ((cause instanceof BindException || cause instanceof Errors.NativeIoException)
        && reason.contains("in use")) {
      return what
          + " is already in use: stop the process holding it or choose another port with "
          + option;
    }
    if (reason.contains("permission denied")) {
      return what
          + " needs privileges: ports below 1024 need root or CAP_NET_BIND_SERVICE; choose"
          + " another port with "
          + option;
    }
    if (reason.contains("assign requested address")) {
      return what
          + " cannot be bound on "
          + bindHost
          + ": it is not an address of this machine; choose another bind host";
    }
    return "cannot bind "
        + what
        + " on "
        + bindHost
        + ": "
        + String.valueOf(cause.getMessage()).replaceAll("\\s+", " ").trim();
  }

  /**
   * Logs a warning when the kernel granted a smaller receive buffer than asked for: it caps the
   * request at net.core.rmem_max, silently, and a burst then overflows the smaller buffer.
   *
   * @param what the socket, e.g. "syslog UDP"
   */
  public static void warnIfReceiveBufferCapped(
      Channel datagramChannel, int askedBytes, String what, Logger log) {
    int granted = receiveBufferBytes(datagramChannel);
    if (granted < askedBytes) {
      log.warn(cappedReceiveBuffer(what, granted, askedBytes));
    }
  }

  /**
   * What to say when the kernel granted a smaller receive buffer than asked for, and how to raise
   * its limit.
   *
   * @param what the socket, e.g. "syslog UDP"
   */
  public static String cappedReceiveBuffer(String what, int grantedBytes, int askedBytes) {
    return what
        + " receive buffer is "
        + grantedBytes
        + " bytes, not the "
        + askedBytes
        + " asked for: raise the kernel limit (sysctl -w net.core.rmem_max="
        + askedBytes
        + ") or bursts will be dropped";
  }

  /** The receive buffer a datagram socket has, as it was asked for (SO_RCVBUF). */
  public static int receiveBufferBytes(Channel datagramChannel) {
    int reported = ((DatagramChannel) datagramChannel).config().getReceiveBufferSize();
    // Linux reports twice the size it set (half is its bookkeeping); the JDK halves the figure
    // back, Netty's native transport does not.
    return datagramChannel instanceof EpollDatagramChannel ? reported / 2 : reported;
  }
}
