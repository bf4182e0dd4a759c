package org.vigil.bench.netflow;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link NetflowDecoderBenchmark} through JMH's Runner API with a short fixed configuration,
 * one thread, and turns its packets per second into records per second per core: the decoder's
 * figure for {@code vigil bench netflow}, comparable from run to run because the configuration
 * never changes with the command's other options.
 */
public final class NetflowDecoderJmh {
  /** The benchmark's packet parameters and the captures whose data datagram each one decodes. */
  private static final List<String> PACKETS = List.of("v9-asa", "ipfix-pflow");

  /**
   * The settings of a run.
   *
   * @param fork true to measure in a forked JVM (clean JIT profile, what JMH recommends); false to
   *     measure in this JVM, for tests and for class paths a child JVM cannot rebuild
   * @param warmupIterations iterations before measuring
   * @param measurementIterations iterations measured
   * @param iterationMillis length of each iteration
   */
  public record Settings(
      boolean fork, int warmupIterations, int measurementIterations, long iterationMillis) {
    public Settings {
      if (warmupIterations < 0 || measurementIterations < 1 || iterationMillis < 1) {
        throw new IllegalArgumentException(
            "JMH needs 0+ warm-up iterations, 1+ measured ones and a positive iteration time");
      }
    }

    /** What {@code vigil bench netflow} uses: a forked JVM, 3 × 1 s warm-up, 5 × 1 s measured. */
    public static Settings standard() {
      return new Settings(true, 3, 5, 1_000);
    }
  }

  /**
   * One packet's figure.
   *
   * @param packet the benchmark's parameter, e.g. {@code v9-asa}
   * @param packetsPerSecond JMH's score
   * @param error JMH's 99.9 % confidence half-interval of the score, NaN when it cannot say
   * @param recordsPerPacket records in the packet
   */
  public record Figure(String packet, double packetsPerSecond, double error, int recordsPerPacket) {
    /** Records per second on one thread, that is on one core. */
    public double recordsPerSecond() {
      return packetsPerSecond * recordsPerPacket;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%s: %.0f records/s per core (%.0f ± %.0f packets/s × %d records)",
          packet,
          recordsPerSecond(),
          packetsPerSecond,
          Double.isNaN(error) ? 0 : error,
          recordsPerPacket);
    }
  }

  private final Path captures;
  private final Settings settings;

  /**
   * @param captures the folder of the recorded datagrams ({@code
   *     testdata/netflow/logstash-codec-netflow})
   */
  public NetflowDecoderJmh(Path captures, Settings settings) {
    this.captures = Objects.requireNonNull(captures, "captures");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Runs the benchmark for each packet, one after the other.
   *
   * @throws IOException when a capture cannot be read
   * @throws IllegalStateException when JMH fails or reports nothing
   */
  public List<Figure> run() throws IOException {
    int v9Records =
        NetflowCapture.read("v9-asa", captures, NetflowCapture.CISCO_ASA).data().get(0).records();
    int ipfixRecords =
        NetflowCapture.read("ipfix-pflow", captures, NetflowCapture.OPENBSD_PFLOW)
            .data()
            .get(0)
            .records();
    // The benchmark reads its packets itself, relative to this property.
    String testdata = captures.toAbsolutePath().getParent().toString();
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(NetflowDecoderBenchmark.class.getName() + ".decode")
            .param("packet", PACKETS.toArray(String[]::new))
            .threads(1)
            .forks(settings.fork() ? 1 : 0)
            .warmupIterations(settings.warmupIterations())
            .warmupTime(TimeValue.milliseconds(settings.iterationMillis()))
            .measurementIterations(settings.measurementIterations())
            .measurementTime(TimeValue.milliseconds(settings.iterationMillis()))
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT);
    String previous = System.getProperty("vigil.testdata");
    if (settings.fork()) {
      options = options.jvmArgsAppend("-Dvigil.testdata=" + testdata, "-Xmx512m");
    } else {
      System.setProperty("vigil.testdata", testdata);
    }
    Collection<RunResult> results;
    try {
      results = new Runner(options.build()).run();
    } catch (RunnerException e) {
      throw new IllegalStateException(
          "JMH run of the NetFlow decoder failed: " + e.getMessage(), e);
    } finally {
      if (!settings.fork()) {
        if (previous == null) {
          System.clearProperty("vigil.testdata");
        } else {
          System.setProperty("vigil.testdata", previous);
        }
      }
    }
    List<Figure> figures = new ArrayList<>();
    for (RunResult r : results) {
      String packet = r.getParams().getParam("packet");
      Result<?> primary = r.getPrimaryResult();
      int records = "v9-asa".equals(packet) ? v9Records : ipfixRecords;
      figures.add(new Figure(packet, primary.getScore(), primary.getScoreError(), records));
    }
    if (figures.size() != PACKETS.size()) {
      throw new IllegalStateException(
          "JMH reported " + figures.size() + " results for " + PACKETS.size() + " packets");
    }
    return figures;
  }
}
