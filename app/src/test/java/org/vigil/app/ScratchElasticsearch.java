package org.vigil.app;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.vigil.app.bench.FreePorts;
import org.vigil.app.elasticsearch.ElasticsearchProcess;
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.elasticsearch.ElasticsearchSettings;

/**
 * The real Elasticsearch server for one test class, on free ports in a temporary folder that is
 * deleted when it closes. The folder is open to others: as root the server runs as {@code
 * vigil-es}, which must enter it.
 */
final class ScratchElasticsearch implements AutoCloseable {
  private final Path dataDir;
  private final ElasticsearchProcess process;
  private final ElasticsearchClients clients;

  private ScratchElasticsearch(
      Path dataDir, ElasticsearchProcess process, ElasticsearchClients clients) {
    this.dataDir = dataDir;
    this.process = process;
    this.clients = clients;
  }

  /** Starts a server; {@code name} prefixes its temporary folder. */
  static ScratchElasticsearch start(String name) throws Exception {
    Path dataDir =
        Files.createTempDirectory(
            name,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    ElasticsearchProcess process =
        ElasticsearchProcess.start(
            ElasticsearchProcess.Options.defaults(dataDir)
                .withPorts(FreePorts.tcp(), FreePorts.tcp())
                .withStartTimeout(Duration.ofMinutes(3)));
    return new ScratchElasticsearch(
        dataDir, process, ElasticsearchClients.create(ElasticsearchSettings.of(process.httpUrl())));
  }

  URI url() {
    return process.httpUrl();
  }

  ElasticsearchClient client() {
    return clients.client();
  }

  @Override
  public void close() throws IOException {
    clients.close();
    process.close();
    try (Stream<Path> paths = Files.walk(dataDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
