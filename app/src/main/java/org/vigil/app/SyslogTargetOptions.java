package org.vigil.app;

import org.vigil.bench.HostPort;
import picocli.CommandLine.Option;

/** Where and how fast {@code vigil replay} and {@code vigil bench} send syslog. */
final class SyslogTargetOptions {
  @Option(
      names = "--to",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:5514",
      description = "The collector's syslog port (default: ${DEFAULT-VALUE}).")
  HostPort target;

  @Option(
      names = "--tcp",
      description = "Send over TCP, one message per line (default: UDP, one per datagram).")
  boolean tcp;

  @Option(
      names = "--rate",
      paramLabel = "N",
      defaultValue = "0",
      description = "Lines per second; 0 sends as fast as possible (default: ${DEFAULT-VALUE}).")
  double rate;
}
