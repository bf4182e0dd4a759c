package org.vigil.bench.correlation;

import java.io.Serializable;
import java.util.List;
import org.vigil.model.Event;

/**
 * The events of {@code vigil bench correlation}, computed from their index so that parallel
 * generators need no shared state and every run is the same: logins (30 % failed) from {@code
 * groupKeys} source addresses in 10.0.0.0/8, to 50 servers on 1,000 ports, under 20 user names,
 * over {@code datasets} datasets (the event sources {@link BenchRulePack}'s rules read).
 *
 * <p>Traffic is skewed as real traffic is: one key in a hundred is hot and sends 30 % of the
 * events, enough that its rules' windows fill and alerts follow; the rest are cold keys whose
 * windows hold one or two events. Event time advances by {@code 1000 / eventsPerSecond} ms per
 * event, so the windows see the load's rate in event time whatever the machine's speed.
 */
public final class CorrelationLoad implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final String[] USERS = {
    "root", "admin", "oracle", "test", "ubuntu", "postgres", "alice", "bob", "carol", "deploy",
    "backup", "ansible", "svc-monitor", "jdoe", "mlopez", "kchen", "guest", "user", "pi", "ftp"
  };
  private static final List<String> AUTHENTICATION = List.of("authentication");
  private static final List<String> START = List.of("start");

  private final int groupKeys;
  private final int hotKeys;
  private final int datasets;
  private final long startMillis;
  private final double millisPerEvent;

  /**
   * @param groupKeys distinct source addresses, the rules' group keys
   * @param datasets datasets the events are spread over
   * @param startMillis event time of the first event
   * @param eventsPerSecond the load's rate in event time
   */
  public CorrelationLoad(int groupKeys, int datasets, long startMillis, double eventsPerSecond) {
    if (groupKeys < 100 || groupKeys > 16_000_000) {
      throw new IllegalArgumentException(
          "group keys must be between 100 and 16,000,000: " + groupKeys);
    }
    if (datasets < 1 || eventsPerSecond <= 0) {
      throw new IllegalArgumentException(
          "datasets and the event rate must be positive: " + datasets + ", " + eventsPerSecond);
    }
    this.groupKeys = groupKeys;
    this.hotKeys = groupKeys / 100;
    this.datasets = datasets;
    this.startMillis = startMillis;
    this.millisPerEvent = 1000.0 / eventsPerSecond;
  }

  /** The {@code event.dataset} of dataset {@code d}. */
  public static String dataset(int d) {
    return "bench.d" + d;
  }

  /** The event with this index; a new instance each call. */
  public Event event(long index) {
    long h = mix(index);
    int key =
        (int) Long.remainderUnsigned(h, 100) < 30
            ? (int) Long.remainderUnsigned(h >>> 8, hotKeys)
            : hotKeys + (int) Long.remainderUnsigned(h >>> 8, groupKeys - hotKeys);
    long r = h >>> 40;
    Event e = new Event("bench-" + index, startMillis + (long) (index * millisPerEvent));
    e.put("event.category", AUTHENTICATION);
    e.put("event.type", START);
    e.put("event.outcome", r % 10 < 3 ? "failure" : "success");
    e.put("event.dataset", dataset((int) ((r >>> 4) % datasets)));
    e.put("source.ip", sourceOf(key));
    e.put("destination.ip", "192.0.2." + (1 + (r >>> 10) % 50));
    e.put("destination.port", Long.toString(1 + (r >>> 16) % 1000));
    e.put("user.name", USERS[(int) ((r >>> 6) % USERS.length)]);
    return e;
  }

  /** The source address of group key {@code key}, as {@link #event} writes it. */
  public static String sourceOf(int key) {
    return "10." + (key >>> 16) + "." + ((key >>> 8) & 0xff) + "." + (key & 0xff);
  }

  /** SplitMix64's finaliser: consecutive indexes give independent-looking bits. */
  private static long mix(long x) {
    long z = x + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
