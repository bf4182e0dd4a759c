package org.vigil.app.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.vigil.bench.BenchReport;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every {@code vigil bench} command shares: where the run's data goes and how the
 * figures are printed. A picocli mixin, so each bench lists them the same way, last.
 */
final class BenchRunOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec bench;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Run in this folder (kept) instead of a new temporary one.")
  Path dataDir;

  @Option(names = "--keep", description = "Keep the temporary data folder afterwards.")
  boolean keep;

  @Option(names = "--json", description = "Print the figures as JSON instead of a table.")
  boolean json;

  Path dataDir() {
    return dataDir;
  }

  /** A folder the user named is always kept: it may hold more than this run. */
  boolean keep() {
    return keep || dataDir != null;
  }

  /**
   * The plan {@code build} makes of the options, its {@link IllegalArgumentException} turned into a
   * usage error of the bench command, so a bad option reads as one and exits as one.
   */
  <P> P plan(Supplier<P> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(bench.commandLine(), e.getMessage());
    }
  }

  /** Prints the report as the user asked, table or JSON. */
  void print(BenchReport report, PrintStream out) {
    out.print(json ? report.json() : report.table());
    out.flush();
  }
}
