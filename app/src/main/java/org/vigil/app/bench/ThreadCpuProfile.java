package org.vigil.app.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Where a phase's CPU went: this JVM's threads (collector, Kafka, Flink, replay sender), grouped by
 * name with numbers folded so subtasks and pool members add up, plus child processes such as
 * Elasticsearch from {@code /proc}. Taken before and after a phase; the difference is printed, the
 * busiest first, so the bottleneck of a run is in its output.
 *
 * <p>The JVM's own threads (JIT compilers, garbage collector) are not Java threads, so the thread
 * bean does not list them; on Linux they are read from {@code /proc/self/task} and whatever else
 * the process used is shown as {@code [jvm] other}. Without them a NetFlow run looked 1.2 cores
 * busy while the machine's 2 cores were full: the compilers alone took half a core.
 *
 * <p>A child process's JVM-internal threads are split out of it the same way, as {@code [process]
 * elasticsearch: JIT compiler} and {@code ...: garbage collector} beside {@code [process]
 * elasticsearch} for the rest: in a syslog run Elasticsearch's compilers took 23 of its 74
 * CPU-seconds, still compiling its segment flush and merge code minutes into the load, which the
 * process's total alone showed as indexing cost.
 */
final class ThreadCpuProfile {
  /** The group of the JVM's JIT compiler threads, in a process of its own or in a child. */
  private static final String JIT_COMPILER = "[jvm] JIT compiler";

  /** Linux's USER_HZ, the unit of /proc/PID/stat times, on every architecture Vigil runs on. */
  private static final long TICKS_PER_SECOND = 100;

  private final Map<Long, String> names = new HashMap<>();
  private final Map<Long, Long> threadNanos = new HashMap<>();
  private final Map<String, Long> processNanos = new HashMap<>();

  /** Of each child process, its JVM-internal threads' CPU by {@link #jvmGroup}. */
  private final Map<String, Map<String, Long>> processJvmNanos = new HashMap<>();

  private final Map<String, Long> jvmNanos = new HashMap<>();

  /** This whole process's CPU, of which the Java threads and {@link #jvmNanos} are parts. */
  private OptionalLong ownNanos = OptionalLong.empty();

  private final long wallNanos;

  private ThreadCpuProfile(long wallNanos) {
    this.wallNanos = wallNanos;
  }

  /**
   * A snapshot now.
   *
   * @param children other processes to include, by name, e.g. {@code elasticsearch} → its pid
   */
  static ThreadCpuProfile take(Map<String, Long> children) {
    ThreadCpuProfile p = new ThreadCpuProfile(System.nanoTime());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (threads.isThreadCpuTimeSupported()) {
      if (!threads.isThreadCpuTimeEnabled()) {
        threads.setThreadCpuTimeEnabled(true);
      }
      for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info == null) {
          continue;
        }
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          p.names.put(info.getThreadId(), fold(info.getThreadName()));
          p.threadNanos.put(info.getThreadId(), cpu);
        }
      }
    }
    children.forEach(
        (name, pid) ->
            processCpu(pid)
                .ifPresent(
                    n -> {
                      p.processNanos.put(name, n);
                      p.processJvmNanos.put(name, processJvmThreadCpu(pid));
                    }));
    p.jvmNanos.putAll(jvmThreadCpu(Path.of("/proc/self/task")));
    p.ownNanos = ownCpu(ProcessHandle.current().pid());
    return p;
  }

  /**
   * The JVM-internal thread group a thread's kernel name (at most 15 characters) belongs to, or
   * null for a Java thread, which the thread bean reports under its full name.
   */
  static String jvmGroup(String comm) {
    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
      return JIT_COMPILER;
    }
    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
      return "[jvm] garbage collector";
    }
    return null;
  }

  /**
   * CPU of the JVM-internal threads listed in {@code taskDir} (a process's {@code /proc/PID/task})
   * by {@link #jvmGroup}; empty off Linux or when the process is gone.
   */
  private static Map<String, Long> jvmThreadCpu(Path taskDir) {
    Map<String, Long> used = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(taskDir)) {
      for (Path task : tasks) {
        try {
          String group = jvmGroup(Files.readString(task.resolve("comm")).strip());
          if (group != null) {
            used.merge(group, statNanos(Files.readString(task.resolve("stat"))), Long::sum);
          }
        } catch (IOException | RuntimeException gone) {
          // the thread ended between listing and reading: its time is no longer counted anywhere
        }
      }
    } catch (IOException | RuntimeException notLinux) {
      return Map.of();
    }
    return used;
  }

  /** {@link #jvmThreadCpu} of a process and its descendants, as {@link #processCpu} counts them. */
  static Map<String, Long> processJvmThreadCpu(long pid) {
    Map<String, Long> used = new HashMap<>();
    List<Long> pids = new ArrayList<>(List.of(pid));
    ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(c -> pids.add(c.pid())));
    for (long p : pids) {
      jvmThreadCpu(Path.of("/proc", Long.toString(p), "task"))
          .forEach((group, nanos) -> used.merge(group, nanos, Long::sum));
    }
    return used;
  }

  /**
   * The rows of a child process that used {@code delta} between two snapshots: its JVM-internal
   * groups' share (as {@code [process] NAME: JIT compiler}), and the rest as {@code [process]
   * NAME}. A group's thread that ended in between takes its time out of the group's sum, so a group
   * that shrank shows nothing and what it did is left in the rest.
   */
  static Map<String, Long> processRows(
      String name, long delta, Map<String, Long> jvmBefore, Map<String, Long> jvmAfter) {
    Map<String, Long> rows = new HashMap<>();
    long rest = delta;
    for (Map.Entry<String, Long> e : jvmAfter.entrySet()) {
      long used = Math.min(e.getValue() - jvmBefore.getOrDefault(e.getKey(), 0L), rest);
      if (used > 0) {
        rows.put(processRow(name, e.getKey()), used);
        rest -= used;
      }
    }
    rows.put("[process] " + name, rest);
    return rows;
  }

  /** The row of a child's JVM-internal group: {@code [process] NAME: JIT compiler}. */
  private static String processRow(String name, String jvmGroup) {
    return "[process] " + name + ": " + jvmGroup.substring(jvmGroup.indexOf(']') + 2);
  }

  /** Numbers in a thread name folded, so {@code (1/2)#0} and {@code (2/2)#0} add up. */
  static String fold(String name) {
    return name.replaceAll("[0-9]+", "N");
  }

  /**
   * The user and system CPU of a process and its descendants (Elasticsearch runs under a launcher,
   * or under another user's shell when Vigil runs as root); empty off Linux or when it is gone.
   */
  static OptionalLong processCpu(long pid) {
    OptionalLong own = ownCpu(pid);
    if (own.isEmpty()) {
      return own;
    }
    long sum = own.getAsLong();
    for (ProcessHandle child :
        ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
      sum += ownCpu(child.pid()).orElse(0);
    }
    return OptionalLong.of(sum);
  }

  /** One process's user and system CPU from /proc/PID/stat. */
  private static OptionalLong ownCpu(long pid) {
    try {
      return OptionalLong.of(
          statNanos(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** User and system CPU from the text of a /proc stat file, of a process or of one thread. */
  private static long statNanos(String stat) {
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 1_000_000_000L / TICKS_PER_SECOND;
  }

  /**
   * The CPU used between {@code before} and this snapshot, the busiest {@code top} groups first, as
   * lines for a terminal: CPU seconds and share of one core over the wall time.
   */
  String since(ThreadCpuProfile before, int top) {
    double wall = (wallNanos - before.wallNanos) / 1e9;
    Map<String, Long> used = new HashMap<>();
    threadNanos.forEach(
        (id, nanos) -> {
          long delta = nanos - before.threadNanos.getOrDefault(id, 0L);
          if (delta > 0) {
            used.merge(names.get(id), delta, Long::sum);
          }
        });
    addJvmThreads(before, used); // before the child processes: it subtracts the Java threads
    for (String name : processNanos.keySet()) {
      childRows(before, name).forEach((row, delta) -> used.merge(row, delta, Long::sum));
    }
    long total = used.values().stream().mapToLong(Long::longValue).sum();
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(used.entrySet());
    sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "CPU over %.1f s: %.1f core-seconds in all (%.2f cores busy on average)%n",
            wall,
            total / 1e9,
            wall <= 0 ? 0 : total / 1e9 / wall));
    for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(top, sorted.size()))) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %7.2f s %5.0f %% of a core  %s%n",
              e.getValue() / 1e9,
              wall <= 0 ? 0 : e.getValue() / 1e9 / wall * 100,
              e.getKey()));
    }
    return sb.toString();
  }

  /** This whole process's CPU between {@code before} and this snapshot; empty off Linux. */
  private OptionalLong ownNanosSince(ThreadCpuProfile before) {
    return ownNanos.isPresent() && before.ownNanos.isPresent()
        ? OptionalLong.of(ownNanos.getAsLong() - before.ownNanos.getAsLong())
        : OptionalLong.empty();
  }

  /** The CPU a child process used between {@code before} and this snapshot, when both saw it. */
  OptionalLong processNanosSince(ThreadCpuProfile before, String name) {
    Long now = processNanos.get(name);
    Long was = before.processNanos.get(name);
    return now == null || was == null || now < was
        ? OptionalLong.empty()
        : OptionalLong.of(now - was);
  }

  /**
   * {@link #processNanosSince} without the child's JIT compiler threads: what it would have spent
   * once compiled, as a server that has been running for hours is.
   */
  OptionalLong processNanosWithoutJitSince(ThreadCpuProfile before, String name) {
    OptionalLong all = processNanosSince(before, name);
    if (all.isEmpty()) {
      return all;
    }
    return OptionalLong.of(
        all.getAsLong() - childRows(before, name).getOrDefault(processRow(name, JIT_COMPILER), 0L));
  }

  /**
   * A child's {@link #processRows} between {@code before} and this snapshot; none when it used no
   * CPU or either snapshot missed it.
   */
  private Map<String, Long> childRows(ThreadCpuProfile before, String name) {
    OptionalLong used = processNanosSince(before, name);
    if (used.isEmpty() || used.getAsLong() == 0) {
      return Map.of();
    }
    return processRows(
        name,
        used.getAsLong(),
        before.processJvmNanos.getOrDefault(name, Map.of()),
        processJvmNanos.getOrDefault(name, Map.of()));
  }

  /**
   * The CPU used between {@code before} and this snapshot per item the phase handled, in all and
   * split into this JVM and each child process, as one line for a terminal. Comparing two systems
   * on the same machine by this, rather than by rate alone, shows which one a rate is bound by:
   * e.g. whether Elasticsearch alone costs more per document than a rival system end to end.
   *
   * @param items what the phase handled, e.g. documents indexed; no line when none
   * @param item what one item is, e.g. {@code indexed document}
   */
  String perItem(ThreadCpuProfile before, long items, String item) {
    Map<String, Long> children = new TreeMap<>();
    for (String name : processNanos.keySet()) {
      processNanosSince(before, name).ifPresent(nanos -> children.put(name, nanos));
    }
    return perItemLine(items, item, ownNanosSince(before).orElse(-1), children);
  }

  /**
   * {@link #perItem}'s line from its figures.
   *
   * @param jvmNanos this JVM's CPU, or -1 when unknown (off Linux)
   * @param childNanos each child process's CPU, by name, in the order to print
   */
  static String perItemLine(long items, String item, long jvmNanos, Map<String, Long> childNanos) {
    if (items <= 0) {
      return "";
    }
    StringBuilder parts = new StringBuilder();
    long total = 0;
    if (jvmNanos >= 0) {
      parts.append(String.format(Locale.ROOT, "this JVM %.1f", jvmNanos / 1e3 / items));
      total += jvmNanos;
    }
    for (Map.Entry<String, Long> e : childNanos.entrySet()) {
      parts
          .append(parts.length() == 0 ? "" : ", ")
          .append(String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / 1e3 / items));
      total += e.getValue();
    }
    return String.format(
        Locale.ROOT,
        "CPU per %s: %.1f us in all (%s) over %d%n",
        item,
        total / 1e3 / items,
        parts,
        items);
  }

  /**
   * Adds the JVM-internal groups to {@code used}, which holds the Java threads so far, and as
   * {@code [jvm] other} what the process used beyond both (threads that ended during the phase, the
   * VM thread, the rounding of the kernel's 10 ms ticks).
   */
  private void addJvmThreads(ThreadCpuProfile before, Map<String, Long> used) {
    long javaThreads = used.values().stream().mapToLong(Long::longValue).sum();
    long parts = 0;
    for (Map.Entry<String, Long> e : jvmNanos.entrySet()) {
      long delta = e.getValue() - before.jvmNanos.getOrDefault(e.getKey(), 0L);
      if (delta > 0) {
        used.put(e.getKey(), delta);
        parts += delta;
      }
    }
    OptionalLong own = ownNanosSince(before);
    if (own.isPresent()) {
      long other = own.getAsLong() - javaThreads - parts;
      if (other > 0) {
        used.put("[jvm] other", other);
      }
    }
  }
}
