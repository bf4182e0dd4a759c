package org.vigil.correlation.netflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vigil.correlation.source.RawRecord;
import org.vigil.model.Envelope;
import org.vigil.model.Protocol;
import org.vigil.model.Topics;
import org.vigil.model.Transport;

/**
 * Real exporter captures from logstash-codec-netflow's spec, in the repository's testdata/netflow.
 */
final class NetflowCaptures {
  private NetflowCaptures() {}

  static byte[] packet(String name) {
    try {
      return Files.readAllBytes(captures().resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The capture as the collector would publish it, from {@code exporter}, at a Kafka offset. */
  static RawRecord raw(byte[] packet, String exporter, long offset, long receivedAt) {
    Envelope envelope =
        new Envelope(Protocol.NETFLOW, Transport.UDP, exporter, 2055, receivedAt, "test");
    return new RawRecord(Topics.RAW_NETFLOW, 0, offset, packet, envelope);
  }

  static RawRecord raw(String capture, String exporter, long offset, long receivedAt) {
    return raw(packet(capture), exporter, offset, receivedAt);
  }

  /** A copy of a v5 or v9 packet with another sequence number in its header. */
  static byte[] withSequence(byte[] packet, long sequence) {
    byte[] copy = packet.clone();
    int version = ((copy[0] & 0xFF) << 8) | (copy[1] & 0xFF);
    int at = version == 5 ? 16 : version == 9 ? 12 : 8;
    for (int i = 0; i < 4; i++) {
      copy[at + i] = (byte) (sequence >>> (24 - 8 * i));
    }
    return copy;
  }

  private static Path captures() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("testdata/netflow/logstash-codec-netflow");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("testdata/netflow not found above the working folder");
  }
}
