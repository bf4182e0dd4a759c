package org.vigil.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** The DRL files named on a {@code vigil rules} command line. */
final class RuleFiles {
  private RuleFiles() {}

  /**
   * DRL text by file name: files as given, folders' {@code *.drl} in name order.
   *
   * @throws CommandLine.ParameterException for a missing path, a folder without DRL, or two files
   *     of one name
   */
  static Map<String, String> read(CommandLine cl, List<Path> paths) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    for (Path path : paths) {
      List<Path> drls = new ArrayList<>();
      if (Files.isDirectory(path)) {
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(path, "*.drl")) {
          dir.forEach(drls::add);
        }
        if (drls.isEmpty()) {
          throw new CommandLine.ParameterException(cl, "folder " + path + " holds no .drl file");
        }
        drls.sort(null);
      } else if (Files.isRegularFile(path)) {
        drls.add(path);
      } else {
        throw new CommandLine.ParameterException(cl, "no such file or folder: " + path);
      }
      for (Path drl : drls) {
        String name = drl.getFileName().toString();
        if (files.put(name, Files.readString(drl, StandardCharsets.UTF_8)) != null) {
          throw new CommandLine.ParameterException(
              cl, "two files are named " + name + ": a release names its files without folders");
        }
      }
    }
    return files;
  }

  /** The folders among the paths: pack folders, whose cases are checked. */
  static List<Path> folders(List<Path> paths) {
    return paths.stream().filter(Files::isDirectory).toList();
  }
}
