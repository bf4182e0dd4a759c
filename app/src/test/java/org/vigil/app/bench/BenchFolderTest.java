package org.vigil.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchFolderTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream progress = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Test
  void deletesATemporaryFolderWithWhatTheRunLeftInIt() throws Exception {
    Path dir;
    try (BenchFolder folder = BenchFolder.open(null, false, progress)) {
      dir = folder.path();
      Files.writeString(folder.enterable("e2e").resolve("lines.log"), "x\n");
    }
    assertThat(dir).doesNotExist();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .isEqualTo("bench data folder: " + dir + System.lineSeparator());
  }

  @Test
  void keepsATemporaryFolderWhenAskedTo() throws Exception {
    Path dir;
    try (BenchFolder folder = BenchFolder.open(null, true, progress)) {
      dir = folder.path();
    }
    try {
      assertThat(dir).isDirectory();
      assertThat(printed.toString(StandardCharsets.UTF_8)).contains(dir + " (kept)");
    } finally {
      Files.delete(dir);
    }
  }

  @Test
  void neverDeletesAFolderTheUserNamed(@TempDir Path tmp) throws Exception {
    Path given = tmp.resolve("mine");
    try (BenchFolder folder = BenchFolder.open(given, false, progress)) {
      Files.writeString(folder.path().resolve("other.txt"), "not the bench's\n");
    }
    assertThat(given.resolve("other.txt")).exists();
  }

  @Test
  void makesFoldersEnterableByAnotherUser(@TempDir Path tmp) throws Exception {
    Path dir = BenchFolder.enterable(tmp.resolve("a/b"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwxr-xr-x");
  }
}
