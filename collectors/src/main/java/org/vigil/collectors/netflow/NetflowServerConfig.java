package org.vigil.collectors.netflow;

import java.util.Objects;

/**
 * Settings of a {@link NetflowServer}. Each port is 0 for a free one (see {@link
 * NetflowServer#port(NetflowInput)}) or -1 for no listener; at least one listener must be on.
 *
 * @param bindHost address to listen on, IPv4 or IPv6; {@code 0.0.0.0} or {@code ::} for all
 * @param netflowPort UDP port for NetFlow v5 and v9
 * @param ipfixPort UDP port for IPFIX
 * @param ipfixTcpPort TCP port for IPFIX (RFC 7011 §10.4); off by default, as few exporters use it
 * @param udpReceiveBufferBytes requested SO_RCVBUF of each UDP socket: bursts beyond it are dropped
 *     by the kernel. Linux caps it at {@code net.core.rmem_max}
 * @param collectorId names this collector instance in every record's envelope
 */
public record NetflowServerConfig(
    String bindHost,
    int netflowPort,
    int ipfixPort,
    int ipfixTcpPort,
    int udpReceiveBufferBytes,
    String collectorId) {

  public static final String DEFAULT_BIND_HOST = "0.0.0.0";
  public static final int DEFAULT_NETFLOW_PORT = 2055;

  /** IANA's port for IPFIX over UDP, TCP and SCTP (RFC 7011 §10). */
  public static final int DEFAULT_IPFIX_PORT = 4739;

  /**
   * The same as syslog's, which {@code vigil up} gives both: enough for a stall of the reading
   * thread on a busy machine. Exporters send their flows in bursts and do not resend.
   */
  public static final int DEFAULT_UDP_RECEIVE_BUFFER_BYTES = 64 * 1024 * 1024;

  /** The value of a port that has no listener. */
  public static final int DISABLED = -1;

  public NetflowServerConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(collectorId, "collectorId");
    checkPort("NetFlow", netflowPort);
    checkPort("IPFIX", ipfixPort);
    checkPort("IPFIX TCP", ipfixTcpPort);
    if (netflowPort == DISABLED && ipfixPort == DISABLED && ipfixTcpPort == DISABLED) {
      throw new IllegalArgumentException("NetFlow server needs at least one port, all are -1");
    }
    if (netflowPort > 0 && netflowPort == ipfixPort) {
      // One socket cannot count two inputs; the key reads the version from the header anyway.
      throw new IllegalArgumentException(
          "NetFlow and IPFIX UDP ports must differ (or one be -1): both are " + netflowPort);
    }
    if (udpReceiveBufferBytes < 1) {
      throw new IllegalArgumentException(
          "udpReceiveBufferBytes must be positive: " + udpReceiveBufferBytes);
    }
  }

  /** NetFlow on 2055 and IPFIX on 4739 over UDP, on all addresses, with a 64 MiB buffer. */
  public static NetflowServerConfig defaults(String collectorId) {
    return new NetflowServerConfig(
        DEFAULT_BIND_HOST,
        DEFAULT_NETFLOW_PORT,
        DEFAULT_IPFIX_PORT,
        DISABLED,
        DEFAULT_UDP_RECEIVE_BUFFER_BYTES,
        collectorId);
  }

  public NetflowServerConfig withBindHost(String host) {
    return new NetflowServerConfig(
        host, netflowPort, ipfixPort, ipfixTcpPort, udpReceiveBufferBytes, collectorId);
  }

  /**
   * @param netflow UDP port for NetFlow v5/v9, 0 for a free one, -1 for none
   * @param ipfix UDP port for IPFIX, 0 for a free one, -1 for none
   * @param ipfixTcp TCP port for IPFIX, 0 for a free one, -1 for none
   */
  public NetflowServerConfig withPorts(int netflow, int ipfix, int ipfixTcp) {
    return new NetflowServerConfig(
        bindHost, netflow, ipfix, ipfixTcp, udpReceiveBufferBytes, collectorId);
  }

  /**
   * @param bytes the receive buffer to ask the kernel for on each UDP socket
   */
  public NetflowServerConfig withUdpReceiveBuffer(int bytes) {
    return new NetflowServerConfig(
        bindHost, netflowPort, ipfixPort, ipfixTcpPort, bytes, collectorId);
  }

  /** The configured port of an input: -1 when off, 0 when the kernel picks it. */
  public int port(NetflowInput input) {
    return switch (input) {
      case NETFLOW_UDP -> netflowPort;
      case IPFIX_UDP -> ipfixPort;
      case IPFIX_TCP -> ipfixTcpPort;
    };
  }

  private static void checkPort(String what, int port) {
    if (port < DISABLED || port > 65535) {
      throw new IllegalArgumentException(
          what + " port must be between 0 and 65535, or -1 for none: " + port);
    }
  }
}
