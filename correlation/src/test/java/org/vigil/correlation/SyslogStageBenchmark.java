package org.vigil.correlation;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.vigil.collectors.syslog.SyslogParser;
import org.vigil.correlation.normalise.NormaliserSet;
import org.vigil.correlation.parse.SyslogEventBuilder;
import org.vigil.correlation.sink.EventDocumentConverter;
import org.vigil.model.Envelope;
import org.vigil.model.Event;
import org.vigil.model.Ids;
import org.vigil.model.Protocol;
import org.vigil.model.Transport;
import org.vigil.rules.engine.RuleDefinition;
import org.vigil.rules.engine.RulePack;

/**
 * CPU cost per event of each stage of the job's per-event work, without Kafka, Flink's runtime or
 * Elasticsearch: the lines of {@code vigil bench} (benign sshd logins with failed-password bursts)
 * run through each stage in a loop, after a warm-up, timed by the thread's CPU time. A tool for
 * finding where the time goes, not a test; run it with {@code java -cp <test and runtime class
 * path> org.vigil.correlation.SyslogStageBenchmark [events] [rounds]}.
 */
public final class SyslogStageBenchmark {
  private SyslogStageBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    List<byte[]> lines = benchLines(events, new Random(42));
    Envelope envelope =
        new Envelope(
            Protocol.SYSLOG, Transport.TCP, "127.0.0.1", 40000, 1_764_000_000_000L, "bench");
    SyslogEventBuilder builder =
        new SyslogEventBuilder(NormaliserSet.loadBuiltIn(), ZoneOffset.UTC, Duration.ofDays(3650));
    NormaliserSet normalisers = NormaliserSet.loadBuiltIn();
    EventDocumentConverter converter = new EventDocumentConverter();
    RulePack pack = RulePack.builtIn();
    @SuppressWarnings("deprecation")
    TypeSerializer<Event> serializer =
        TypeInformation.of(Event.class).createSerializer(new SerializerConfigImpl());
    System.out.println("Event serializer: " + serializer.getClass().getName());

    List<Event> built = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      built.add(builder.build(lines.get(i), envelope, Ids.event("t", 0, i, 0)).event());
    }
    List<String> messages = new ArrayList<>();
    for (byte[] line : lines) {
      String text = new String(line, StandardCharsets.UTF_8);
      messages.add(text.substring(text.indexOf("]: ") + 3));
    }
    DataOutputSerializer out = new DataOutputSerializer(4096);
    DataInputDeserializer in = new DataInputDeserializer();

    // CPU time of this thread, not wall time: on a shared machine wall time measures the
    // neighbours.
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    for (int r = 0; r < rounds; r++) {
      boolean report = r >= rounds / 2;
      long sink = 0;
      long t0 = cpu.getCurrentThreadCpuTime();
      for (int i = 0; i < lines.size(); i++) {
        sink += Ids.event("vigil.raw.syslog", 0, i, 0).length();
      }
      long t1 = cpu.getCurrentThreadCpuTime();
      for (byte[] line : lines) {
        sink +=
            SyslogParser.parse(SyslogParser.decode(line), ZoneOffset.UTC, java.time.Instant.EPOCH)
                .message()
                .length();
      }
      long t2 = cpu.getCurrentThreadCpuTime();
      for (String m : messages) {
        sink += normalisers.normalise("sshd", m).isPresent() ? 1 : 0;
      }
      long t3 = cpu.getCurrentThreadCpuTime();
      for (int i = 0; i < lines.size(); i++) {
        sink += builder.build(lines.get(i), envelope, "id").event().getFields().size();
      }
      long t4 = cpu.getCurrentThreadCpuTime();
      for (Event e : built) {
        for (RuleDefinition rule : pack.rules()) {
          if (rule.accepts(e) && rule.groupOf(e) != null) {
            sink++;
          }
        }
      }
      long t5 = cpu.getCurrentThreadCpuTime();
      for (Event e : built) {
        sink += converter.apply(e, null).sizeInBytes();
      }
      long t6 = cpu.getCurrentThreadCpuTime();
      for (Event e : built) {
        out.clear();
        serializer.serialize(e, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        sink += serializer.deserialize(in).getFields().size();
      }
      long t7 = cpu.getCurrentThreadCpuTime();
      for (Event e : built) {
        sink += serializer.copy(e).getFields().size();
      }
      long t8 = cpu.getCurrentThreadCpuTime();
      if (report) {
        double n = lines.size();
        System.out.printf(
            "round %d: id %.0f, syslog parse %.0f, normalise %.0f, build (parse+normalise+fields)"
                + " %.0f, route %.0f, sink document %.0f, Flink serde round trip %.0f ns/event"
                + ", Flink copy %.0f ns/event (%d)%n",
            r,
            (t1 - t0) / n,
            (t2 - t1) / n,
            (t3 - t2) / n,
            (t4 - t3) / n,
            (t5 - t4) / n,
            (t6 - t5) / n,
            (t7 - t6) / n,
            (t8 - t7) / n,
            sink);
      }
    }
  }

  /** The mix {@code vigil bench} sends: benign logins, one burst of six failures per thousand. */
  private static List<byte[]> benchLines(int count, Random random) {
    String[] users = {"alice", "bob", "carol", "deploy", "backup", "ansible", "jdoe"};
    List<byte[]> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String body;
      int port = 32_768 + random.nextInt(28_000);
      if (i % 1000 >= 994) {
        body = "Failed password for invalid user admin from 198.18.7." + (i / 1000 % 250 + 1);
        body += " port " + port + " ssh2";
      } else {
        body =
            "Accepted publickey for "
                + users[random.nextInt(users.length)]
                + " from 10."
                + random.nextInt(256)
                + "."
                + random.nextInt(256)
                + "."
                + (1 + random.nextInt(254))
                + " port "
                + port
                + " ssh2: ED25519 SHA256:"
                + Long.toHexString(random.nextLong());
      }
      String line =
          "<38>Nov 26 01:35:42 bench-a1 sshd[" + (1000 + random.nextInt(60_000)) + "]: " + body;
      lines.add(line.getBytes(StandardCharsets.UTF_8));
    }
    return lines;
  }
}
