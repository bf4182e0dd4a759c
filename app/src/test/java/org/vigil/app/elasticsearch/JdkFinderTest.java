package org.vigil.app.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkFinderTest {
  @TempDir Path dir;

  private Path fakeJdk(String name, String version) throws IOException {
    Path home = dir.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    Files.writeString(
        home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
    Path java = Files.createFile(home.resolve("bin/java"));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }

  @Test
  void prefersEsJavaHomeWhenItIsNewEnough() throws IOException {
    Path jdk21 = fakeJdk("a", "21.0.2");
    fakeJdk("b", "25.0.1");
    JdkFinder.Jdk found =
        new JdkFinder(Map.of("ES_JAVA_HOME", jdk21.toString()), List.of(dir)).findJdk();
    assertThat(found.home()).isEqualTo(jdk21);
    assertThat(found.featureVersion()).isEqualTo(21);
  }

  @Test
  void skipsTooOldHomesAndPicksTheNewestUnderTheSearchRoots() throws IOException {
    Path jdk17 = fakeJdk("java-17", "17.0.15");
    fakeJdk("jdk-21", "21");
    Path jdk25 = fakeJdk("temurin-25", "25.0.3");
    JdkFinder.Jdk found =
        new JdkFinder(Map.of("JAVA_HOME", jdk17.toString()), List.of(dir)).findJdk();
    assertThat(found.home()).isEqualTo(jdk25);
  }

  @Test
  void explainsOnOneLineWhereItLookedWhenNothingFits() throws IOException {
    Path jdk17 = fakeJdk("java-17", "17.0.15");
    fakeJdk("java-8", "1.8.0_292");
    assertThatThrownBy(
            () -> new JdkFinder(Map.of("JAVA_HOME", jdk17.toString()), List.of(dir)).findJdk())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ES_JAVA_HOME (unset)")
        .hasMessageContaining("JAVA_HOME=" + jdk17 + " (Java 17)")
        .hasMessageContaining(dir + "/* (only Java 8, 17)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void readsOldAndNewVersionSchemes() {
    assertThat(JdkFinder.featureVersion("1.8.0_292")).isEqualTo(8);
    assertThat(JdkFinder.featureVersion("21")).isEqualTo(21);
    assertThat(JdkFinder.featureVersion("25.0.3")).isEqualTo(25);
  }
}
