package org.vigil.app;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;

/**
 * Checks every port of the all-in-one system before anything starts, so a taken port is reported in
 * one line at once rather than after Elasticsearch has spent ten seconds starting. The embedded
 * components check their own ports with {@link #tcpBindFailure} too, each in its own words.
 */
public final class PortCheck {
  private PortCheck() {}

  /**
   * Why a TCP listener could not bind {@code host:port} now, or empty when it could. Like the
   * servers themselves, it reuses the address: connections in TIME_WAIT from a previous run do not
   * count as taking the port.
   */
  public static Optional<IOException> tcpBindFailure(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e);
    }
  }

  /**
   * @param what what the port is for, e.g. "dashboard"
   * @param option the command-line option that changes it
   */
  static void requireFreeTcp(String what, String host, int port, String option) {
    tcpBindFailure(host, port)
        .ifPresent(
            e -> {
              throw new IllegalStateException(message(what, "TCP", port, option), e);
            });
  }

  static void requireFreeUdp(String what, String host, int port, String option) {
    try (DatagramSocket socket = new DatagramSocket(null)) {
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new IllegalStateException(message(what, "UDP", port, option), e);
    }
  }

  private static String message(String what, String protocol, int port, String option) {
    return what
        + " port "
        + port
        + " ("
        + protocol
        + ") is already in use: stop the process holding it (e.g. an earlier 'vigil up') or"
        + " choose another port with "
        + option;
  }
}
