package org.vigil.collectors.netflow;

import java.util.Locale;
import org.vigil.model.Transport;

/** The listeners of a {@link NetflowServer}; each counts on its own and is a metrics tag. */
public enum NetflowInput {
  /** NetFlow v5 and v9 datagrams, by default on port 2055. */
  NETFLOW_UDP(Transport.UDP),
  /** IPFIX datagrams (RFC 7011 §10.3), by default on port 4739. */
  IPFIX_UDP(Transport.UDP),
  /** IPFIX messages over TCP connections (RFC 7011 §10.4). */
  IPFIX_TCP(Transport.TCP);

  private final Transport transport;

  NetflowInput(Transport transport) {
    this.transport = transport;
  }

  public Transport transport() {
    return transport;
  }

  /** The {@code input} tag of the collector's meters: {@code netflow_udp}, {@code ipfix_udp}... */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
