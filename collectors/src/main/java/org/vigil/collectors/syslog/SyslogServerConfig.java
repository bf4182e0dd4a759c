package org.vigil.collectors.syslog;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link SyslogServer}.
 *
 * @param bindHost address to listen on, IPv4 or IPv6; {@code 0.0.0.0} or {@code ::} for all
 * @param port one port for both UDP and TCP; 0 picks a free one (see {@link SyslogServer#port()})
 * @param maxMessageSize longest message kept, in bytes; longer ones are truncated and flagged
 * @param udpReceiveBufferBytes requested SO_RCVBUF of the UDP socket: bursts beyond it are dropped
 *     by the kernel. Linux caps it at {@code net.core.rmem_max}
 * @param tcpIdleTimeout a TCP connection that sends nothing for this long is closed
 * @param collectorId names this collector instance in every record's envelope
 * @param tls the syslog-over-TLS listener; null runs none, as TLS needs a certificate
 */
public record SyslogServerConfig(
    String bindHost,
    int port,
    int maxMessageSize,
    int udpReceiveBufferBytes,
    Duration tcpIdleTimeout,
    String collectorId,
    SyslogTlsConfig tls) {

  public static final String DEFAULT_BIND_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 5514;

  /**
   * Enough to hold what arrives while a busy machine keeps the reading thread off its core for a
   * moment, since UDP senders do not wait: at 80,000 msg/s on 2 cores, {@code vigil bench syslog}
   * lost 2-9 % with 4 MiB, about 4 % with 8 MiB, and nothing with 64 MiB. The kernel charges only
   * what is queued, so the size costs nothing while the collector keeps up.
   */
  public static final int DEFAULT_UDP_RECEIVE_BUFFER_BYTES = 64 * 1024 * 1024;

  public static final Duration DEFAULT_TCP_IDLE_TIMEOUT = Duration.ofMinutes(10);

  public SyslogServerConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(tcpIdleTimeout, "tcpIdleTimeout");
    Objects.requireNonNull(collectorId, "collectorId");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("syslog port must be between 0 and 65535: " + port);
    }
    if (maxMessageSize < 480 || maxMessageSize > 16 * 1024 * 1024) {
      // RFC 5424 6.1: receivers MUST accept 480 octets.
      throw new IllegalArgumentException(
          "maxMessageSize must be between 480 and 16 MiB: " + maxMessageSize);
    }
    if (udpReceiveBufferBytes < 1) {
      throw new IllegalArgumentException(
          "udpReceiveBufferBytes must be positive: " + udpReceiveBufferBytes);
    }
    if (tcpIdleTimeout.isNegative() || tcpIdleTimeout.isZero()) {
      throw new IllegalArgumentException("tcpIdleTimeout must be positive: " + tcpIdleTimeout);
    }
    if (tls != null && tls.port() != 0 && tls.port() == port) {
      throw new IllegalArgumentException(
          "syslog TLS port must differ from the plain syslog port: both are " + port);
    }
  }

  /** Without a TLS listener. */
  public SyslogServerConfig(
      String bindHost,
      int port,
      int maxMessageSize,
      int udpReceiveBufferBytes,
      Duration tcpIdleTimeout,
      String collectorId) {
    this(bindHost, port, maxMessageSize, udpReceiveBufferBytes, tcpIdleTimeout, collectorId, null);
  }

  /**
   * All defaults: 0.0.0.0:5514, 64 KiB messages, 64 MiB UDP buffer, 10 minutes idle, no TLS
   * listener.
   */
  public static SyslogServerConfig defaults(String collectorId) {
    return new SyslogServerConfig(
        DEFAULT_BIND_HOST,
        DEFAULT_PORT,
        SyslogFrameDecoder.DEFAULT_MAX_MESSAGE_SIZE,
        DEFAULT_UDP_RECEIVE_BUFFER_BYTES,
        DEFAULT_TCP_IDLE_TIMEOUT,
        collectorId);
  }

  public SyslogServerConfig withBindHost(String host) {
    return new SyslogServerConfig(
        host, port, maxMessageSize, udpReceiveBufferBytes, tcpIdleTimeout, collectorId, tls);
  }

  public SyslogServerConfig withPort(int newPort) {
    return new SyslogServerConfig(
        bindHost, newPort, maxMessageSize, udpReceiveBufferBytes, tcpIdleTimeout, collectorId, tls);
  }

  public SyslogServerConfig withTcpIdleTimeout(Duration timeout) {
    return new SyslogServerConfig(
        bindHost, port, maxMessageSize, udpReceiveBufferBytes, timeout, collectorId, tls);
  }

  /**
   * @param bytes the receive buffer to ask the kernel for on the UDP socket
   */
  public SyslogServerConfig withUdpReceiveBuffer(int bytes) {
    return new SyslogServerConfig(
        bindHost, port, maxMessageSize, bytes, tcpIdleTimeout, collectorId, tls);
  }

  /**
   * @param newTls the TLS listener's settings; null for none
   */
  public SyslogServerConfig withTls(SyslogTlsConfig newTls) {
    return new SyslogServerConfig(
        bindHost, port, maxMessageSize, udpReceiveBufferBytes, tcpIdleTimeout, collectorId, newTls);
  }
}
