package org.vigil.correlation.normalise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs the {@code tests:} of every built-in normaliser, so a new YAML file is tested as added. */
class NormaliserFilesTest {

  @TestFactory
  Stream<DynamicTest> everyBuiltInNormaliserPassesItsOwnTests() {
    NormaliserSet set = NormaliserSet.loadBuiltIn();
    assertThat(set.normalisers()).isNotEmpty();
    return set.normalisers().stream()
        .map(
            n ->
                DynamicTest.dynamicTest(
                    n.name() + " (" + n.source() + ")",
                    () -> {
                      assertThat(n.tests()).as("a normaliser must bring tests").isNotEmpty();
                      assertThat(n.runTests()).isEmpty();
                    }));
  }

  @Test
  void indexNamesEveryNormaliserFileInTheFolder() throws IOException, URISyntaxException {
    URL index =
        getClass().getClassLoader().getResource(NormaliserSet.BUILT_IN_FOLDER + "index.txt");
    assertThat(index).isNotNull();
    if (!index.getProtocol().equals("file")) {
      return; // inside a jar there is no folder to compare with
    }
    Path folder = Path.of(index.toURI()).getParent();
    List<String> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files =
          listing
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
              .toList();
    }
    assertThat(NormaliserSet.builtInFiles(getClass().getClassLoader()))
        .containsExactlyInAnyOrderElementsOf(files);
  }

  @Test
  void sshdCoversItsAppNamesSinceOpenSsh98() {
    NormaliserSet set = NormaliserSet.loadBuiltIn();
    for (String app : List.of("sshd", "sshd-session")) {
      assertThat(set.normalise(app, "Failed password for root from 203.0.113.9 port 4242 ssh2"))
          .hasValueSatisfying(n -> assertThat(n.pattern()).isEqualTo("failed_login"));
    }
    assertThat(set.normalise("cron", "Failed password for root from 203.0.113.9 port 1")).isEmpty();
  }
}
