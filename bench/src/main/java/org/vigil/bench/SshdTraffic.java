package org.vigil.bench;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * The benchmark's load: {@code count} sshd syslog lines from host {@code bench-<runId>}, mostly
 * benign {@code Accepted publickey} logins from many private sources, with brute-force bursts of
 * {@value #BURST_FAILURES} {@code Failed password} lines spread evenly through the run, each burst
 * from a fresh source in 198.18.0.0/15 (the benchmarking range of RFC 2544), drawn at random per
 * run so that alerts of an earlier run cannot be mistaken for this run's.
 */
public final class SshdTraffic {
  /** Failures per burst: more than the five a brute-force rule typically needs. */
  public static final int BURST_FAILURES = 6;

  private static final String[] USERS = {
    "alice", "bob", "carol", "deploy", "backup", "ansible", "svc-monitor", "jdoe", "mlopez", "kchen"
  };
  private static final String[] GUESSES = {"root", "admin", "oracle", "test", "ubuntu", "postgres"};
  private static final DateTimeFormatter RFC3164 =
      DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

  private final String hostname;
  private final int count;
  private final List<String> burstSources;
  private final int spacing;
  private final Random random;
  private final Clock clock;
  private long stampSecond = Long.MIN_VALUE;
  private String stamp;

  /**
   * @param runId lower-case letters and digits naming this run
   * @param count lines in total, at least 1
   * @param seed seeds the choice of sources, users and ports
   */
  public SshdTraffic(String runId, int count, long seed, Clock clock) {
    if (runId == null || !runId.matches("[a-z0-9]+")) {
      throw new IllegalArgumentException("run id must be lower-case letters and digits: " + runId);
    }
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1: " + count);
    }
    this.hostname = "bench-" + runId;
    this.count = count;
    this.random = new Random(seed);
    this.clock = clock;
    int bursts = count < BURST_FAILURES ? 0 : Math.max(1, Math.min(200, count / 1000));
    this.spacing = bursts == 0 ? Integer.MAX_VALUE : count / bursts;
    this.burstSources = drawSources(bursts);
  }

  private List<String> drawSources(int bursts) {
    Set<String> sources = new LinkedHashSet<>();
    while (sources.size() < bursts) {
      int n = random.nextInt(1 << 17);
      int third = n >> 8;
      int fourth = n & 0xff;
      if (fourth == 0 || fourth == 255) {
        continue;
      }
      sources.add("198." + (18 + (third >> 8)) + "." + (third & 0xff) + "." + fourth);
    }
    return Collections.unmodifiableList(new ArrayList<>(sources));
  }

  /** The host name every line carries, the marker that finds this run's events. */
  public String hostname() {
    return hostname;
  }

  public int count() {
    return count;
  }

  /** The source of each burst, in the order they are sent. */
  public List<String> burstSources() {
    return burstSources;
  }

  /**
   * The burst that line {@code index} belongs to, or -1 for a benign line. Burst {@code b} takes
   * the last {@value #BURST_FAILURES} lines of the {@code b}-th slice of {@code count / bursts}
   * lines.
   */
  public int burstOf(int index) {
    if (burstSources.isEmpty()) {
      return -1;
    }
    int slice = index / spacing;
    if (slice >= burstSources.size()) {
      return -1;
    }
    int offsetInSlice = index - slice * spacing;
    return offsetInSlice >= spacing - BURST_FAILURES ? slice : -1;
  }

  /** True when line {@code index} is the last failure of its burst. */
  public boolean endsBurst(int index) {
    return burstOf(index) >= 0 && (index + 1) % spacing == 0;
  }

  /** Line {@code index} (0-based) as a full RFC 3164 message stamped now. */
  public String line(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("line " + index + " of " + count);
    }
    int burst = burstOf(index);
    int pid = 1000 + random.nextInt(60_000);
    int port = 32_768 + random.nextInt(28_000);
    String body;
    if (burst >= 0) {
      String user = GUESSES[random.nextInt(GUESSES.length)];
      body =
          "Failed password for "
              + (user.equals("root") ? "" : "invalid user ")
              + user
              + " from "
              + burstSources.get(burst)
              + " port "
              + port
              + " ssh2";
    } else {
      String source =
          "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
      body =
          "Accepted publickey for "
              + USERS[random.nextInt(USERS.length)]
              + " from "
              + source
              + " port "
              + port
              + " ssh2: ED25519 SHA256:"
              + Long.toHexString(random.nextLong());
    }
    return "<38>" + now() + " " + hostname + " sshd[" + pid + "]: " + body;
  }

  private String now() {
    long second = clock.millis() / 1000;
    if (second != stampSecond) {
      stampSecond = second;
      stamp = RFC3164.format(ZonedDateTime.now(clock));
    }
    return stamp;
  }
}
