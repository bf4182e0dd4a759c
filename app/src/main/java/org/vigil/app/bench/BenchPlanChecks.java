package org.vigil.app.bench;

import static java.util.stream.Collectors.joining;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The checks of the settings every bench plan shares, so that the same bad option fails with the
 * same message whichever bench it was given to.
 */
final class BenchPlanChecks {
  private BenchPlanChecks() {}

  /**
   * Reads a comma-separated list of phases, each the lower-case name of one of {@code type}'s
   * constants, such as {@code collector,e2e}.
   *
   * @param expected what a bad name is told to be instead, such as {@code collector, e2e or both}
   */
  static <P extends Enum<P>> Set<P> phases(String text, Class<P> type, String expected) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "--phases needs at least one of: "
              + EnumSet.allOf(type).stream()
                  .map(BenchPlanChecks::optionName)
                  .collect(joining(", ")));
    }
    Set<P> phases = EnumSet.noneOf(type);
    for (String part : text.split(",")) {
      String name = part.strip().toLowerCase(Locale.ROOT);
      phases.add(
          EnumSet.allOf(type).stream()
              .filter(p -> optionName(p).equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown phase '" + part.strip() + "': expected " + expected)));
    }
    return phases;
  }

  private static String optionName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  static void warmup(long warmup) {
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup must not be negative, got " + warmup);
    }
  }

  /** The end-to-end system's settings: the job's parallelism and Elasticsearch's heap. */
  static void system(int parallelism, String elasticsearchHeap) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("--parallelism must be at least 1, got " + parallelism);
    }
    if (elasticsearchHeap == null || !elasticsearchHeap.matches("[0-9]+[kmgKMG]?")) {
      throw new IllegalArgumentException(
          "--elasticsearch-heap must be a JVM size such as 512m or 1g, got " + elasticsearchHeap);
    }
  }

  /** A whole-number option within its bounds, both inclusive. */
  static void range(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          option + " must be between " + min + " and " + max + ", got " + value);
    }
  }

  static void quiet(Duration quiet) {
    if (quiet.isNegative() || quiet.isZero()) {
      throw new IllegalArgumentException("--quiet must be positive, got " + quiet);
    }
  }
}
