package org.vigil.bench.netflow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.vigil.collectors.netflow.InMemoryTemplateStore;
import org.vigil.collectors.netflow.NetflowDecodeException;
import org.vigil.collectors.netflow.NetflowDecoder;
import org.vigil.collectors.netflow.NetflowMessage;

/**
 * Decoder throughput in records per second: one data packet decoded over and over with its
 * templates already in the store, as in steady state. The packets are captures from the
 * repository's testdata/netflow (a Cisco ASA v9 packet of 19 records, an OpenBSD pflow IPFIX packet
 * of 26 records). JMH reports operations (packets) per second; multiply by {@code recordsPerPacket}
 * printed at setup, or read the "records" counter.
 *
 * <p>Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main NetflowDecoderBenchmark} with
 * {@code -Dvigil.testdata=/path/to/testdata/netflow} when not run from the repository root.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NetflowDecoderBenchmark {

  @Param({"v9-asa", "ipfix-pflow"})
  public String packet;

  private final NetflowDecoder decoder = new NetflowDecoder();
  private final InMemoryTemplateStore store = new InMemoryTemplateStore();
  private ByteBuffer data;

  @Setup(Level.Trial)
  public void setUp() throws NetflowDecodeException {
    String[] files =
        switch (packet) {
          case "v9-asa" ->
              new String[] {
                "netflow9_test_cisco_asa_2_tpl_26x.dat",
                "netflow9_test_cisco_asa_2_tpl_27x.dat",
                "netflow9_test_cisco_asa_2_data.dat"
              };
          case "ipfix-pflow" ->
              new String[] {
                "ipfix_test_openbsd_pflow_tpl.dat", "ipfix_test_openbsd_pflow_data.dat"
              };
          default -> throw new IllegalArgumentException(packet);
        };
    for (int i = 0; i < files.length - 1; i++) {
      decoder.decode(read(files[i]), store);
    }
    data = ByteBuffer.wrap(read(files[files.length - 1]));
    NetflowMessage m = decoder.decode(data, store);
    if (m.records().isEmpty() || !m.pending().isEmpty()) {
      throw new IllegalStateException(packet + " does not decode fully with its templates");
    }
    System.out.println("recordsPerPacket " + packet + " = " + m.records().size());
  }

  @Benchmark
  public void decode(Blackhole bh) throws NetflowDecodeException {
    bh.consume(decoder.decode(data, store));
  }

  private static byte[] read(String name) {
    Path dir = Path.of(System.getProperty("vigil.testdata", "testdata/netflow"));
    Path file = dir.resolve("logstash-codec-netflow").resolve(name);
    if (!Files.isRegularFile(file)) {
      file = Path.of("../testdata/netflow/logstash-codec-netflow").resolve(name);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("NetFlow fixture " + name + " (set -Dvigil.testdata)", e);
    }
  }
}
