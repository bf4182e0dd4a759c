package org.vigil.rules.engine;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;

/**
 * The shipped pack folder ({@code rules/packs/}: DRL files, {@code cases/}, {@code benign/}) as a
 * {@link Path}, whether the classpath holds it as a folder (a build) or inside a jar (an installed
 * {@code vigil}); a jar is opened as a zip file system, which {@link #close} closes again.
 */
public final class BuiltInPackFolder implements AutoCloseable {
  private final Path path;
  private final FileSystem jar;

  private BuiltInPackFolder(Path path, FileSystem jar) {
    this.path = path;
    this.jar = jar;
  }

  /**
   * @throws IOException when the jar cannot be opened
   * @throws IllegalStateException when the classpath holds no shipped pack (a build defect)
   */
  public static BuiltInPackFolder open() throws IOException {
    String index = RulePack.BUILT_IN_FOLDER + "index.txt";
    URL url = RulePack.class.getClassLoader().getResource(index);
    if (url == null) {
      throw new IllegalStateException("classpath resource " + index + " is missing");
    }
    URI uri;
    try {
      uri = url.toURI();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("classpath resource " + index + " has no URI: " + url, e);
    }
    if ("jar".equals(uri.getScheme())) {
      String text = uri.toString();
      URI jarUri = URI.create(text.substring(0, text.indexOf("!/")));
      FileSystem fs;
      try {
        fs = FileSystems.newFileSystem(jarUri, Map.of());
      } catch (java.nio.file.FileSystemAlreadyExistsException e) {
        // Someone else holds it open: use theirs, and leave it open for them.
        return new BuiltInPackFolder(FileSystems.getFileSystem(jarUri).getPath(packPath()), null);
      }
      return new BuiltInPackFolder(fs.getPath(packPath()), fs);
    }
    return new BuiltInPackFolder(Path.of(uri).getParent(), null);
  }

  private static String packPath() {
    return "/" + RulePack.BUILT_IN_FOLDER;
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    if (jar != null) {
      jar.close();
    }
  }
}
