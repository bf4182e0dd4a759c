package org.vigil.app;

import picocli.CommandLine.Option;

/**
 * {@code --udp-receive-buffer}, shared by {@code vigil up} and {@code vigil bench syslog} so that
 * the bench measures the collector as it runs.
 */
public final class UdpReceiveBufferOption {
  @Option(
      names = "--udp-receive-buffer",
      paramLabel = "SIZE",
      defaultValue = "64m",
      converter = ByteSizeConverter.class,
      description =
          "Receive buffer each UDP socket (syslog, NetFlow, IPFIX) asks the kernel for, in bytes"
              + " or with k, m or g; what a burst beyond it brings is dropped and counted. The"
              + " kernel grants at most net.core.rmem_max (sysctl -w"
              + " net.core.rmem_max=67108864 raises it) (default: ${DEFAULT-VALUE}).")
  int bytes;

  /** The size asked for, in bytes. */
  public int bytes() {
    return bytes;
  }
}
