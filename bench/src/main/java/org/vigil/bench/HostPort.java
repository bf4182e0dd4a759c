package org.vigil.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A {@code HOST:PORT} pair as typed on the command line ({@code 127.0.0.1:5514}, {@code
 * collector.example:5514}, {@code [::1]:5514}).
 *
 * @param host a host name or an IP literal, without brackets
 * @param port 1 to 65535
 */
public record HostPort(String host, int port) {

  public HostPort {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("no host given: expected HOST:PORT");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
    }
  }

  /**
   * Reads {@code HOST:PORT}; an IPv6 literal goes in brackets.
   *
   * @throws IllegalArgumentException naming what is wrong with the text
   */
  public static HostPort parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("expected HOST:PORT, got nothing");
    }
    String s = text.trim();
    String host;
    String port;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("expected [IPV6]:PORT, got '" + text + "'");
      }
      host = s.substring(1, close);
      port = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon < 0 || s.indexOf(':') != colon) {
        throw new IllegalArgumentException(
            "expected HOST:PORT (IPv6 in brackets, e.g. [::1]:5514), got '" + text + "'");
      }
      host = s.substring(0, colon);
      port = s.substring(colon + 1);
    }
    try {
      return new HostPort(host, Integer.parseInt(port));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port '" + port + "' in '" + text + "' is not a number");
    }
  }

  /**
   * Resolves the host now, so that a typo fails before anything is sent.
   *
   * @throws IllegalArgumentException when the host name does not resolve
   */
  public InetSocketAddress resolve() {
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host '" + host + "'");
    }
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
