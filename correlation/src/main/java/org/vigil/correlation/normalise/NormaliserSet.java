package org.vigil.correlation.normalise;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The normalisers in force, in order: for a message, the first normaliser that applies to its
 * program and has a matching pattern gives its fields. Built once (regexes compiled at load) and
 * shared; immutable, thread-safe and serialisable, so a Flink function can carry it.
 */
public final class NormaliserSet implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The classpath folder of the built-in normalisers (module {@code rules}). */
  public static final String BUILT_IN_FOLDER = "normalisers/";

  private static final NormaliserSet EMPTY = new NormaliserSet(List.of());

  private final List<Normaliser> normalisers;

  private NormaliserSet(List<Normaliser> normalisers) {
    this.normalisers = normalisers;
  }

  /** A set of these normalisers, in this order; their names must be unique. */
  public static NormaliserSet of(List<Normaliser> normalisers) {
    Set<String> names = new HashSet<>();
    for (Normaliser n : normalisers) {
      if (!names.add(n.name())) {
        throw new NormaliserException(
            "two normalisers are named " + n.name() + " (the second from " + n.source() + ")");
      }
    }
    return new NormaliserSet(List.copyOf(normalisers));
  }

  public static NormaliserSet empty() {
    return EMPTY;
  }

  /**
   * The normalisers shipped with Vigil: the files named, one a line, in {@code
   * normalisers/index.txt} on the classpath. An index rather than a folder listing, because a
   * folder inside a jar cannot be listed reliably.
   *
   * @throws NormaliserException when the index or a file it names is missing or invalid
   */
  public static NormaliserSet loadBuiltIn() {
    ClassLoader loader = NormaliserSet.class.getClassLoader();
    List<Normaliser> loaded = new ArrayList<>();
    for (String file : builtInFiles(loader)) {
      try (InputStream in = loader.getResourceAsStream(BUILT_IN_FOLDER + file)) {
        if (in == null) {
          throw new NormaliserException(
              BUILT_IN_FOLDER + "index.txt names " + file + ", which is not on the classpath");
        }
        loaded.add(Normaliser.fromYaml(in, BUILT_IN_FOLDER + file));
      } catch (IOException e) {
        throw new NormaliserException("cannot read " + BUILT_IN_FOLDER + file, e);
      }
    }
    return of(loaded);
  }

  /** The file names listed in the built-in index; blank lines and {@code #} comments skipped. */
  public static List<String> builtInFiles(ClassLoader loader) {
    List<String> files = new ArrayList<>();
    try (InputStream in = loader.getResourceAsStream(BUILT_IN_FOLDER + "index.txt")) {
      if (in == null) {
        throw new NormaliserException(
            BUILT_IN_FOLDER + "index.txt is not on the classpath (is module rules missing?)");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        line = line.strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          files.add(line);
        }
      }
    } catch (IOException e) {
      throw new NormaliserException("cannot read " + BUILT_IN_FOLDER + "index.txt", e);
    }
    return files;
  }

  /**
   * An admin's own normalisers: every {@code *.yaml} and {@code *.yml} file directly in {@code
   * dir}, in file-name order.
   *
   * @throws NormaliserException when the folder cannot be read or a file is invalid
   */
  public static NormaliserSet loadFrom(Path dir) {
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files =
          listing
              .filter(Files::isRegularFile)
              .filter(
                  p -> {
                    String n = p.getFileName().toString();
                    return n.endsWith(".yaml") || n.endsWith(".yml");
                  })
              .sorted()
              .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new NormaliserException("cannot list normaliser folder " + dir + ": " + e, e);
    }
    List<Normaliser> loaded = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        loaded.add(Normaliser.fromYaml(in, file.toString()));
      } catch (IOException e) {
        throw new NormaliserException("cannot read " + file + ": " + e, e);
      }
    }
    return of(loaded);
  }

  /** These normalisers followed by {@code later} ones (an admin's after the built-in ones). */
  public NormaliserSet plus(NormaliserSet later) {
    List<Normaliser> all = new ArrayList<>(normalisers);
    all.addAll(later.normalisers);
    return of(all);
  }

  public List<Normaliser> normalisers() {
    return normalisers;
  }

  /**
   * Normalises one message.
   *
   * @param appName the program that sent it (syslog APP-NAME), or null
   * @param message the syslog MSG
   * @return the first matching pattern's result; else the common fields of the first normaliser
   *     that applies to the program; else empty
   */
  public Optional<Normalisation> normalise(String appName, String message) {
    Normalisation fallback = null;
    for (Normaliser n : normalisers) {
      Optional<Normalisation> applied = n.apply(appName, message);
      if (applied.isPresent()) {
        Normalisation result = applied.get();
        if (result.matched()) {
          return Optional.of(result);
        }
        if (fallback == null) {
          fallback = result;
        }
      }
    }
    return Optional.ofNullable(fallback);
  }

  /** Runs every normaliser's own tests; one line per failed check. */
  public List<String> runTests() {
    List<String> failures = new ArrayList<>();
    for (Normaliser n : normalisers) {
      failures.addAll(n.runTests());
    }
    return failures;
  }
}
