package org.vigil.app.elasticsearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds a JDK new enough for Elasticsearch, which needs Java 21 or later while Vigil itself runs on
 * 17. Looks at {@code ES_JAVA_HOME}, {@code VIGIL_ES_JAVA_HOME} and {@code JAVA_HOME} first, then
 * at every folder under {@code /usr/lib/jvm} and {@code /opt} (newest first), and reads each
 * candidate's {@code release} file rather than running it.
 */
public final class JdkFinder {
  /** Elasticsearch 9 refuses older JVMs. */
  public static final int MINIMUM_FEATURE_VERSION = 21;

  private static final List<String> VARIABLES =
      List.of("ES_JAVA_HOME", "VIGIL_ES_JAVA_HOME", "JAVA_HOME");
  private static final List<Path> SEARCH_ROOTS = List.of(Path.of("/usr/lib/jvm"), Path.of("/opt"));
  private static final Pattern JAVA_VERSION =
      Pattern.compile("^JAVA_VERSION=\"?([0-9][0-9._+a-zA-Z-]*)\"?\\s*$", Pattern.MULTILINE);

  private final Map<String, String> environment;
  private final List<Path> searchRoots;

  /** A JDK found: its home and its feature version (21, 25...). */
  public record Jdk(Path home, int featureVersion) {}

  public JdkFinder(Map<String, String> environment, List<Path> searchRoots) {
    this.environment = Map.copyOf(environment);
    this.searchRoots = List.copyOf(searchRoots);
  }

  /** Searches this process's environment and the standard folders. */
  public static Jdk find() {
    return new JdkFinder(System.getenv(), SEARCH_ROOTS).findJdk();
  }

  /**
   * The first suitable JDK.
   *
   * @throws IllegalStateException with a one-line message naming every place looked at
   */
  public Jdk findJdk() {
    List<String> looked = new ArrayList<>();
    for (String variable : VARIABLES) {
      String value = environment.get(variable);
      if (value == null || value.isBlank()) {
        looked.add(variable + " (unset)");
        continue;
      }
      Optional<Jdk> jdk = inspect(Path.of(value));
      if (jdk.isPresent() && jdk.get().featureVersion() >= MINIMUM_FEATURE_VERSION) {
        return jdk.get();
      }
      looked.add(variable + "=" + value + describe(jdk));
    }
    for (Path root : searchRoots) {
      List<Jdk> found = new ArrayList<>();
      try (Stream<Path> children = Files.list(root)) {
        children.filter(Files::isDirectory).forEach(dir -> inspect(dir).ifPresent(found::add));
      } catch (IOException e) {
        looked.add(root + "/* (not readable)");
        continue;
      }
      Optional<Jdk> best =
          found.stream()
              .filter(j -> j.featureVersion() >= MINIMUM_FEATURE_VERSION)
              .max(Comparator.comparingInt(Jdk::featureVersion));
      if (best.isPresent()) {
        return best.get();
      }
      looked.add(
          root
              + "/* ("
              + (found.isEmpty()
                  ? "no JDK"
                  : "only Java "
                      + found.stream()
                          .map(Jdk::featureVersion)
                          .distinct()
                          .sorted()
                          .map(String::valueOf)
                          .collect(Collectors.joining(", ")))
              + ")");
    }
    throw new IllegalStateException(
        "Elasticsearch needs Java "
            + MINIMUM_FEATURE_VERSION
            + " or newer and none was found; looked at "
            + String.join(", ", looked)
            + ". Install one (e.g. apt-get install openjdk-21-jdk-headless) or set ES_JAVA_HOME.");
  }

  private static String describe(Optional<Jdk> jdk) {
    return jdk.map(j -> " (Java " + j.featureVersion() + ")").orElse(" (not a JDK)");
  }

  /** A JDK at {@code home}: a {@code release} file with JAVA_VERSION and a runnable bin/java. */
  static Optional<Jdk> inspect(Path home) {
    Path release = home.resolve("release");
    Path java = home.resolve("bin").resolve("java");
    if (!Files.isRegularFile(release) || !Files.isExecutable(java)) {
      return Optional.empty();
    }
    try {
      Matcher m = JAVA_VERSION.matcher(Files.readString(release));
      if (!m.find()) {
        return Optional.empty();
      }
      return Optional.of(new Jdk(home, featureVersion(m.group(1))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** {@code 25.0.1} is 25, {@code 21} is 21, the old scheme {@code 1.8.0_292} is 8. */
  static int featureVersion(String javaVersion) {
    String[] parts = javaVersion.split("[._+-]");
    int first = Integer.parseInt(parts[0]);
    return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
  }
}
