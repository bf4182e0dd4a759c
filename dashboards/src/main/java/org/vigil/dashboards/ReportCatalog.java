package org.vigil.dashboards;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.dashboards.reports.ReportDefinition;

/**
 * The report definitions an admin keeps as files ({@code *.yaml} in one folder): offered in the
 * dashboard and run on their schedules. A file that does not parse is left out and listed with its
 * error, so one typo does not take the others (or the dashboard) down.
 *
 * @param definitions by name, in file-name order; a name given twice keeps the first file
 * @param problems one line per file left out: the file and what is wrong
 */
public record ReportCatalog(List<ReportDefinition> definitions, List<String> problems) {
  private static final Logger LOG = LoggerFactory.getLogger(ReportCatalog.class);
  private static final String SHIPPED = "reports/definitions/";

  public ReportCatalog {
    definitions = List.copyOf(definitions);
    problems = List.copyOf(problems);
  }

  public static ReportCatalog empty() {
    return new ReportCatalog(List.of(), List.of());
  }

  /** Reads every {@code *.yaml} of the folder; none when the folder is null or absent. */
  public static ReportCatalog load(Path folder) {
    if (folder == null || !Files.isDirectory(folder)) {
      return empty();
    }
    List<ReportDefinition> definitions = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files =
          listing.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
    } catch (IOException e) {
      return new ReportCatalog(List.of(), List.of("cannot list " + folder + ": " + e));
    }
    for (Path file : files) {
      try {
        ReportDefinition definition = ReportDefinition.load(file);
        if (definitions.stream().anyMatch(d -> d.name().equals(definition.name()))) {
          problems.add(file + ": the name '" + definition.name() + "' is taken by another file");
        } else {
          definitions.add(definition);
        }
      } catch (IOException | IllegalArgumentException e) {
        problems.add(e.getMessage() == null ? file + ": " + e : e.getMessage());
      }
    }
    problems.forEach(p -> LOG.warn("report definition left out: {}", p));
    return new ReportCatalog(definitions, problems);
  }

  /**
   * Creates the folder with the shipped example definitions (a weekly NIST SP 800-53 and a monthly
   * ISO/IEC 27001 report) when it does not exist yet, so a new system has scheduled reports an
   * admin can edit. An existing folder is left alone, even when empty: emptying it is a choice.
   *
   * @return true when the folder was created
   */
  public static boolean seed(Path folder) throws IOException {
    if (Files.exists(folder)) {
      return false;
    }
    Files.createDirectories(folder);
    for (String name : shipped("index.txt").split("\\R")) {
      if (!name.isBlank()) {
        Files.writeString(folder.resolve(name.strip()), shipped(name.strip()));
      }
    }
    return true;
  }

  private static String shipped(String name) throws IOException {
    try (InputStream in =
        ReportCatalog.class.getClassLoader().getResourceAsStream(SHIPPED + name)) {
      if (in == null) {
        throw new IOException("the shipped report definition " + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public Optional<ReportDefinition> find(String name) {
    return definitions.stream().filter(d -> d.name().equals(name)).findFirst();
  }
}
