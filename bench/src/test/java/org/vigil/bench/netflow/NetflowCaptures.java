package org.vigil.bench.netflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The repository's recorded captures, seen from the module's folder or the root. */
final class NetflowCaptures {
  private NetflowCaptures() {}

  static Path dir() {
    for (String p :
        new String[] {
          "../testdata/netflow/logstash-codec-netflow", "testdata/netflow/logstash-codec-netflow"
        }) {
      if (Files.isDirectory(Path.of(p))) {
        return Path.of(p);
      }
    }
    throw new IllegalStateException(
        "testdata/netflow not found from " + Path.of("").toAbsolutePath());
  }

  static NetflowCapture asa() {
    return read("cisco-asa", NetflowCapture.CISCO_ASA);
  }

  static NetflowCapture pflow() {
    return read("openbsd-pflow", NetflowCapture.OPENBSD_PFLOW);
  }

  private static NetflowCapture read(String name, List<String> files) {
    try {
      return NetflowCapture.read(name, dir(), files);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
