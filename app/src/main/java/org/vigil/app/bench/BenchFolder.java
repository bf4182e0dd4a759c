package org.vigil.app.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A bench run's data folder: the one given, or a fresh temporary one that is deleted when the run
 * ends unless the user asked to keep it. A folder the user named is never deleted: it may hold more
 * than this run.
 */
record BenchFolder(Path path, boolean deleteOnClose) implements AutoCloseable {

  /** Creates (or reuses) the folder and tells the user where it is. */
  static BenchFolder open(Path given, boolean keep, PrintStream progress) throws IOException {
    Path dir = enterable(given != null ? given : Files.createTempDirectory("vigil-bench-"));
    progress.println("bench data folder: " + dir + (keep ? " (kept)" : ""));
    return new BenchFolder(dir, !keep && given == null);
  }

  /**
   * Creates {@code dir} readable and enterable by all: Elasticsearch runs as an unprivileged user
   * when Vigil runs as root, and must enter the folder.
   */
  static Path enterable(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  /** The sub-folder {@code name}, created {@linkplain #enterable(Path) enterable}. */
  Path enterable(String name) throws IOException {
    return enterable(path.resolve(name));
  }

  @Override
  public void close() throws IOException {
    if (deleteOnClose && Files.exists(path)) {
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    }
  }
}
