package org.vigil.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ThreadCpuProfileTest {
  private static final Pattern TOTAL =
      Pattern.compile("([0-9.]+) core-seconds in all \\(([0-9.]+) cores busy");

  @Test
  void jvmInternalThreadsAreGroupedByWhatTheyDo() {
    // Kernel thread names, cut to 15 characters as /proc/PID/task/TID/comm shows them.
    assertThat(ThreadCpuProfile.jvmGroup("C2 CompilerThre")).isEqualTo("[jvm] JIT compiler");
    assertThat(ThreadCpuProfile.jvmGroup("C1 CompilerThre")).isEqualTo("[jvm] JIT compiler");
    assertThat(ThreadCpuProfile.jvmGroup("GC Thread#1")).isEqualTo("[jvm] garbage collector");
    assertThat(ThreadCpuProfile.jvmGroup("G1 Conc#0")).isEqualTo("[jvm] garbage collector");
    assertThat(ThreadCpuProfile.jvmGroup("G1 Refine#0")).isEqualTo("[jvm] garbage collector");
    assertThat(ThreadCpuProfile.jvmGroup("main")).isNull();
    assertThat(ThreadCpuProfile.jvmGroup("Evaluate rules ")).isNull();
  }

  @Test
  void aChildProcessesCompilersAndCollectorAreSplitOutOfItsTotal() {
    long second = 1_000_000_000L;
    Map<String, Long> rows =
        ThreadCpuProfile.processRows(
            "elasticsearch",
            10 * second,
            Map.of("[jvm] JIT compiler", 2 * second, "[jvm] garbage collector", second),
            Map.of("[jvm] JIT compiler", 6 * second, "[jvm] garbage collector", 2 * second));

    assertThat(rows)
        .containsOnly(
            Map.entry("[process] elasticsearch: JIT compiler", 4 * second),
            Map.entry("[process] elasticsearch: garbage collector", second),
            Map.entry("[process] elasticsearch", 5 * second));
    // A compiler thread that ended took its time out of the group's sum: the rest keeps it.
    assertThat(
            ThreadCpuProfile.processRows(
                "es",
                3 * second,
                Map.of("[jvm] JIT compiler", 2 * second),
                Map.of("[jvm] JIT compiler", second)))
        .containsOnly(Map.entry("[process] es", 3 * second));
  }

  @Test
  void cpuPerItemAddsThisJvmAndEveryChild() {
    long second = 1_000_000_000L;
    Map<String, Long> children = new java.util.LinkedHashMap<>();
    children.put("elasticsearch", 3 * second);
    children.put("rsyslogd", second / 2);
    // 1.5 + 3 + 0.5 core-seconds over 100,000 documents: 50 us each.
    assertThat(
            ThreadCpuProfile.perItemLine(
                100_000, "indexed document", second + second / 2, children))
        .isEqualTo(
            "CPU per indexed document: 50.0 us in all (this JVM 15.0, elasticsearch 30.0,"
                + " rsyslogd 5.0) over 100000\n");
    // Off Linux the JVM's own total is unknown: the children alone, and nothing for no items.
    assertThat(ThreadCpuProfile.perItemLine(10, "flow", -1, Map.of("elasticsearch", 20_000L)))
        .isEqualTo("CPU per flow: 2.0 us in all (elasticsearch 2.0) over 10\n");
    assertThat(ThreadCpuProfile.perItemLine(0, "flow", second, Map.of())).isEmpty();
  }

  @Test
  void cpuPerItemCountsAChildProcess() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
    // A child that burns CPU until killed: its share must show under its name.
    Process burner = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
    try {
      Map<String, Long> children = Map.of("burner", burner.pid());
      ThreadCpuProfile before = ThreadCpuProfile.take(children);
      long until = System.nanoTime() + 300_000_000L;
      while (System.nanoTime() < until) {
        Thread.sleep(20);
      }
      ThreadCpuProfile after = ThreadCpuProfile.take(children);
      String line = after.perItem(before, 1000, "item");
      // A shell has no JIT compiler threads: leaving them out takes nothing away.
      assertThat(after.processNanosWithoutJitSince(before, "burner"))
          .isEqualTo(after.processNanosSince(before, "burner"));
      assertThat(after.processNanosSince(before, "absent")).isEmpty();
      Matcher m =
          Pattern.compile(
                  "CPU per item: ([0-9.]+) us in all \\(this JVM [0-9.]+, burner ([0-9.]+)\\)")
              .matcher(line);
      assertThat(m.find()).as(line).isTrue();
      // Some of 0.3 s of wall time went to the burner, on any machine with a free core slice.
      assertThat(Double.parseDouble(m.group(2))).as(line).isGreaterThan(0);
      assertThat(Double.parseDouble(m.group(1)))
          .isGreaterThanOrEqualTo(Double.parseDouble(m.group(2)));
    } finally {
      burner.destroyForcibly().waitFor();
    }
  }

  @Test
  void aProcessesCompilerThreadsAreFoundUnderProc() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
    // HotSpot keeps at least one C1 and one C2 compiler thread, whatever their CPU so far.
    assertThat(ThreadCpuProfile.processJvmThreadCpu(ProcessHandle.current().pid()))
        .containsKey("[jvm] JIT compiler");
  }

  @Test
  void aBusyThreadAndTheWholeProcessAreCounted() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
    // The kernel's window must hold the profile's: read first, before the first snapshot.
    long processBefore = processTicks();
    ThreadCpuProfile before = ThreadCpuProfile.take(Map.of());
    CountDownLatch burned = new CountDownLatch(1);
    CountDownLatch measured = new CountDownLatch(1);
    Thread burner =
        new Thread(
            () -> {
              // By its own CPU time, not the clock, so a loaded machine only makes it take longer.
              ThreadMXBean bean = ManagementFactory.getThreadMXBean();
              long x = 0;
              while (bean.getCurrentThreadCpuTime() < 200_000_000L) {
                x += Long.numberOfTrailingZeros(x + System.nanoTime());
              }
              Blackhole.sink = x;
              burned.countDown();
              // Alive at the second snapshot: the thread bean lists only live threads.
              awaitQuietly(measured);
            },
            "profile-test-burner");
    burner.start();
    burned.await();
    String report = ThreadCpuProfile.take(Map.of()).since(before, 50);
    long processAfter = processTicks();
    measured.countDown();
    burner.join();

    assertThat(report).contains("profile-test-burner");
    Matcher total = TOTAL.matcher(report);
    assertThat(total.find()).as(report).isTrue();
    // Everything the process used between the snapshots is in the total, which the kernel's own
    // account of the process bounds from above (the snapshots sit inside it).
    double reported = Double.parseDouble(total.group(1));
    double kernel = (processAfter - processBefore) / 100.0;
    assertThat(reported).isLessThanOrEqualTo(kernel + 0.05);
    assertThat(reported).isGreaterThanOrEqualTo(0.19);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long processTicks() throws Exception {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static final class Blackhole {
    static volatile long sink;
  }
}
